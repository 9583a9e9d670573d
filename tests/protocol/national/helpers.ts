// The national link's test bench, in one process: the prefecture's development PKI (with ken-national's
// client certificate), the simulator's own PKI, a store daemon with its outbox socket, the simulator,
// and ken-national — each started on demand, all on 127.0.0.1 / Unix sockets in a temp directory.
import type { Test } from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import pino from 'pino'
import { devPki } from '../../../certs/src/dev-pki.ts'
import { startStoreDaemon, type StoreDaemon } from '../../../server/src/store/daemon.ts'
import { startNationalDaemon, type NationalDaemon } from '../../../server/src/national/daemon.ts'
import type { NationalInput } from '../../../server/src/national/options.ts'
import type { NationalLogger } from '../../../server/src/national/logger.ts'
import { nationalPki, type NationalPki } from '../../sim/national/ca.ts'
import { startNationalSimulator, type NationalSimulator, type NationalSimulatorOptions, type SimulatorLogger } from '../../sim/national/simulator.ts'
import { FUKUOKA, KITAKYUSHU, tempDir } from '../../unit/store/helpers.ts'

export interface LoggedEvent { readonly event: string, readonly [k: string]: unknown }

/** A logger of either daemon that keeps every line, for assertions on events. */
export function recorder (): NationalLogger & SimulatorLogger & { events: LoggedEvent[] } {
  const events: LoggedEvent[] = []
  const keep = (a: unknown, b: unknown): void => {
    if (typeof a === 'string') events.push({ event: a, ...(b as object) })
    else events.push(a as LoggedEvent)
  }
  return { events, info: keep, warn: keep, error: keep } as NationalLogger & SimulatorLogger & { events: LoggedEvent[] }
}

/** Wait until `check` holds, polling; fails after `ms` (generous: a loaded 2-core machine). */
export async function until (check: () => boolean | Promise<boolean>, ms = 60_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export interface Bench {
  readonly dir: string
  readonly pkiDir: string
  readonly national: NationalPki
  readonly outboxSocketPath: string
  startStore: () => Promise<StoreDaemon>
  startSim: (overrides?: Partial<NationalSimulatorOptions>) => Promise<NationalSimulator>
  startNational: (port: number, overrides?: Partial<NationalInput>, logger?: NationalLogger) => Promise<NationalDaemon>
}

export async function bench (t: Test): Promise<Bench> {
  const dir = tempDir(t, 'ken-national-')
  const pkiDir = path.join(dir, 'pki')
  await devPki(pkiDir, [FUKUOKA, KITAKYUSHU], { nationalClient: '40', people: [] })
  const national = await nationalPki(path.join(dir, 'national-pki'))
  const outboxSocketPath = path.join(dir, 'run', 'outbox.sock')
  return {
    dir,
    pkiDir,
    national,
    outboxSocketPath,
    startStore: async () => {
      const daemon = await startStoreDaemon({ dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'keys', 'appliance.key'), outboxSocketPath, nationalQueryTimeoutMs: 20_000 }, { logger: pino({ level: 'silent' }) })
      t.teardown(async () => await daemon.close())
      return daemon
    },
    startSim: async (overrides = {}) => {
      const sim = await startNationalSimulator({
        dbPath: path.join(dir, 'national-db'),
        cert: readFileSync(national.certFile),
        key: readFileSync(national.keyFile),
        clientCa: readFileSync(path.join(pkiDir, 'ca.crt')),
        crl: readFileSync(path.join(pkiDir, 'crl.pem')),
        ...overrides
      })
      t.teardown(async () => await sim.close())
      return sim
    },
    startNational: async (port, overrides = {}, logger) => {
      const daemon = await startNationalDaemon({
        outboxSocketPath,
        prefectureCode: '40',
        nationalUrl: `mqtts://localhost:${port}`,
        caFile: national.caFile,
        certFile: path.join(pkiDir, 'national', 'ken-national.crt'),
        keyFile: path.join(pkiDir, 'national', 'ken-national.key'),
        reconnectMinMs: 50,
        reconnectMaxMs: 500,
        readWaitMs: 200,
        ...overrides
      }, { logger: logger ?? recorder() })
      t.teardown(async () => await daemon.close())
      return daemon
    }
  }
}
