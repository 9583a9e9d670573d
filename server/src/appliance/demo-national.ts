/**
 * The national link of the demo (SPEC §1.1 "npm start runs … a simulated national server"): the
 * national-server simulator (tests/sim/national, its own CA and LevelDB under the state directory,
 * a seeded population of other prefectures' residents) and ken-national between the store's outbox
 * socket and it. The live view shows ken-national's lag and the national side's acknowledged
 * position, read from ken-national's status file — figures only.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { spawnDaemon, type DaemonProcess } from './daemon-process.ts'
import { startNationalSimulator } from '../../../tests/sim/national/simulator.ts'
import { otherPrefectureResidents } from '../../../tests/sim/national/others.ts'
import type { DemoSetup } from './demo-setup.ts'

/** Residents of other prefectures the simulator answers 照会 for. */
const SEEDED_RESIDENTS = 2000

/**
 * Start the simulator in this process on an ephemeral port (two demos, or a demo and the tests, never
 * contend for a port), then ken-national pointed at it. Returns ken-national for the shutdown and the
 * simulator's close.
 */
export async function startNationalLink (setup: DemoSetup, root: string, statusFile: string): Promise<{ ken: DaemonProcess, closeSimulator: () => Promise<void>, url: string }> {
  const pki = setup.paths.pkiDir
  const sim = await startNationalSimulator({
    dbPath: path.join(setup.paths.stateDir, 'national', 'db'),
    cert: readFileSync(setup.national.certFile),
    key: readFileSync(setup.national.keyFile),
    clientCa: readFileSync(path.join(pki, 'ca.crt')),
    crl: readFileSync(path.join(pki, 'crl.pem')),
    seed: otherPrefectureResidents(SEEDED_RESIDENTS)
  })
  const url = `mqtts://localhost:${sim.port}`
  const ken = spawnDaemon('national', path.join(root, 'server/bin/ken-national.js'), [
    '--outbox', setup.paths.outboxSocket, '--prefecture', setup.config.prefecture.code, '--url', url,
    '--ca', path.resolve(setup.paths.stateDir, setup.config.national.caFile),
    '--cert', path.join(pki, 'national', 'ken-national.crt'), '--key', path.join(pki, 'national', 'ken-national.key'),
    '--window', String(setup.config.national.window), '--status-file', statusFile, '--maint-socket', setup.paths.nationalMaintSocket
  ], path.join(setup.logDir, 'national.log'))
  return { ken, closeSimulator: sim.close, url }
}

/** One live-view line: the outbox lag and the national side's acknowledged position. */
export function nationalLine (statusFile: string): string {
  let s: { linkUp?: boolean, confirmed?: number, acknowledged?: number, lagPositions?: number, pendingForwards?: number, oldestAgeMs?: number, forwarded?: number }
  try {
    s = JSON.parse(readFileSync(statusFile, 'utf8')) as typeof s
  } catch {
    return 'national (全国サーバ): ken-national starting'
  }
  const n = (v: number | undefined): string => (v ?? 0).toLocaleString('en-US')
  return `national (全国サーバ): link ${s.linkUp === true ? 'up' : 'DOWN'}  acknowledged #${n(s.acknowledged)}  confirmed #${n(s.confirmed)}  outbox lag ${n(s.lagPositions)} positions, ${n(s.pendingForwards)} in flight, oldest ${((s.oldestAgeMs ?? 0) / 1000).toFixed(1)} s  forwarded ${n(s.forwarded)}`
}
