/**
 * The demo appliance's operator terminal (`npm start`): the development operator, administrators and
 * technician (credentials from the development PKI, PIN certs/src/dev-pki.ts DEV_PIN), created as
 * set-up accounts the first time the store starts (the A1 bootstrap path, here for the whole
 * development set so that a newcomer can log in at once; a real set-up bootstraps one administrator
 * who registers everyone else with a second administrator's approval).
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'

/** The development people the PKI issues credentials for. */
export const DEMO_PEOPLE = [
  { id: 'AD001', role: 'admin' }, { id: 'AD002', role: 'admin' }, { id: 'OP001', role: 'operator' }, { id: 'TE001', role: 'technician' },
  { id: 'SO001', role: 'security' }
] as const

export interface DemoTerminalFiles {
  readonly socketPath: string
  readonly accountsFile: string
  readonly bootstrapFile: string
}

/** Write the set-up accounts file and the PIN file under the state directory. */
export function prepareDemoTerminal (stateDir: string, pkiDir: string, runDir: string): DemoTerminalFiles {
  const pinFile = path.join(stateDir, 'dev-operator-pin')
  writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
  const cert = (id: string): string => path.join(pkiDir, 'operators', `${id}.crt`)
  const accounts = [
    { accountId: 'AD001', role: 'system-admin', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], certificateFile: cert('AD001'), pinFile },
    { accountId: 'AD002', role: 'system-admin', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], certificateFile: cert('AD002'), pinFile },
    { accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-RYOKEN', 'J1-KYOIKU'], certificateFile: cert('OP001'), pinFile },
    { accountId: 'TE001', role: 'technician', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], certificateFile: cert('TE001'), pinFile },
    // The security officer who approves 物理削除 (SPEC §2.5) filed by AD001 or AD002.
    { accountId: 'SO001', role: 'security-officer', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], certificateFile: cert('SO001'), pinFile }
  ]
  const bootstrapFile = path.join(stateDir, 'terminal-bootstrap.json')
  writeFileSync(bootstrapFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 })
  return { socketPath: path.join(runDir, 'terminal.sock'), accountsFile: path.join(stateDir, 'terminal-accounts.json'), bootstrapFile }
}

/** The lines npm start prints about the console. */
export function terminalBanner (url: string, pkiDir: string): string[] {
  return [
    `operator terminal (web console): ${url}  — accept the development CA (${path.join(pkiDir, 'ca.crt')}) or the browser's warning`,
    `  development credentials in ${path.join(pkiDir, 'operators')}/: OP001 operator, AD001/AD002 system administrators, SO001 security officer, TE001 technician (.crt + .key), PIN ${DEV_PIN}`,
    `  command line: npx ken-term login --url ${url} --ca ${path.join(pkiDir, 'ca.crt')} --id OP001 --cert … --key … (PIN from $KEN_TERM_PIN)`
  ]
}
