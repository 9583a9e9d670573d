/**
 * The national link during the initial load (issue 12, `npm run bench`): the national-server simulator
 * and ken-national run beside the ken-server target while the load goes on; ken-national's status file
 * is sampled every second, and the figures are the forwarding rate (forwards confirmed per second),
 * the outbox lag (log positions not yet confirmed, and the age of the oldest forward in flight) at its
 * worst, and how long after the last acknowledged update the link took to catch up.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from '../server/src/appliance/daemon-process.ts'
import { nationalPki } from '../tests/sim/national/ca.ts'
import { processCpuMicros } from './targets.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface NationalFigures {
  readonly forwarded: number
  /** Forwards confirmed per second while the load ran. */
  readonly forwardedPerSec: number
  readonly maxLagPositions: number
  readonly maxOldestAgeSeconds: number
  /** Seconds from the end of the load until every forward was confirmed (−1: not within the wait). */
  readonly catchUpSeconds: number
  /**
   * CPU per forward (µs, all threads) from the start of the load to the catch-up: ken-national (the
   * appliance's, issue 18 "+ national link") and the simulated national server (not the appliance's).
   * Absent in records kept from before session 11.
   */
  readonly cpuPerForwardUs?: { readonly national: number, readonly simulator: number }
}

interface Status { confirmed: number, lagPositions: number, oldestAgeMs: number, forwarded: number, pendingForwards: number }

export interface NationalBench {
  /** Note the end of the load; wait (bounded) for the lag to reach 0; stop both daemons; the figures. */
  finish: (loadSeconds: number, maxWaitMs?: number) => Promise<NationalFigures>
  readonly processes: DaemonProcess[]
}

/** Start the simulator and ken-national for a target whose store serves `outboxSocket`. */
export async function startNationalBench (o: { pkiDir: string, dir: string, outboxSocket: string, port: number, window?: number, batch?: number }): Promise<NationalBench> {
  const pki = await nationalPki(path.join(o.dir, 'national-pki'))
  const statusFile = path.join(o.dir, 'national-status.json')
  const sim = spawnDaemon('national-sim', path.join(root, 'tests/sim/national/bin.ts'), [
    '--db', path.join(o.dir, 'national-db'), '--cert', pki.certFile, '--key', pki.keyFile,
    '--client-ca', path.join(o.pkiDir, 'ca.crt'), '--crl', path.join(o.pkiDir, 'crl.pem'), '--port', String(o.port)
  ], path.join(o.dir, 'logs', 'national-sim.log'))
  await waitUntilReachable(sim, { host: '127.0.0.1', port: o.port }, 60_000)
  const ken = spawnDaemon('national', path.join(root, 'server/bin/ken-national.js'), [
    '--outbox', o.outboxSocket, '--prefecture', '40', '--url', `mqtts://localhost:${o.port}`, '--ca', pki.caFile,
    '--cert', path.join(o.pkiDir, 'national', 'ken-national.crt'), '--key', path.join(o.pkiDir, 'national', 'ken-national.key'),
    ...(o.window === undefined ? [] : ['--window', String(o.window)]), ...(o.batch === undefined ? [] : ['--batch', String(o.batch)]), '--status-file', statusFile
  ], path.join(o.dir, 'logs', 'national.log'))
  const read = (): Status | undefined => {
    try {
      return JSON.parse(readFileSync(statusFile, 'utf8')) as Status
    } catch {
      return undefined
    }
  }
  let maxLag = 0
  let maxAge = 0
  // Both daemons' start-up (tsx compiling their modules) is left out: the load has not begun.
  const cpuAtStart = { national: processCpuMicros(ken.child.pid), simulator: processCpuMicros(sim.child.pid) }
  const sampler = setInterval(() => {
    const s = read()
    if (s === undefined) return
    maxLag = Math.max(maxLag, s.lagPositions)
    maxAge = Math.max(maxAge, s.oldestAgeMs)
  }, 1000)
  return {
    processes: [sim, ken],
    finish: async (loadSeconds, maxWaitMs = 600_000) => {
      const atEnd = read()
      const t0 = performance.now()
      let caughtUp = -1
      while (performance.now() - t0 < maxWaitMs) {
        const s = read()
        if (s !== undefined && s.pendingForwards === 0 && s.lagPositions === 0) {
          caughtUp = (performance.now() - t0) / 1000
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      clearInterval(sampler)
      const last = read()
      const perForward = (micros: number): number => Math.round((micros / Math.max(1, last?.forwarded ?? 0)) * 10) / 10
      const cpuPerForwardUs = { national: perForward(processCpuMicros(ken.child.pid) - cpuAtStart.national), simulator: perForward(processCpuMicros(sim.child.pid) - cpuAtStart.simulator) }
      await ken.stop()
      await sim.stop()
      const forwarded = last?.forwarded ?? 0
      return {
        forwarded,
        forwardedPerSec: Math.round((atEnd?.forwarded ?? 0) / Math.max(0.001, loadSeconds)),
        maxLagPositions: maxLag,
        maxOldestAgeSeconds: Math.round(maxAge / 100) / 10,
        catchUpSeconds: caughtUp < 0 ? -1 : Math.round(caughtUp * 10) / 10,
        cpuPerForwardUs
      }
    }
  }
}

/** One line for the progress log and the table. */
export function describeNational (f: NationalFigures): string {
  return `${f.forwarded} forwarded to the national simulator, ${f.forwardedPerSec}/s during the load; outbox lag at worst ${f.maxLagPositions} positions, oldest ${f.maxOldestAgeSeconds} s; caught up ${f.catchUpSeconds < 0 ? 'not within the wait' : `${f.catchUpSeconds} s after the load`}${f.cpuPerForwardUs === undefined ? '' : `; CPU per forward: ken-national ${f.cpuPerForwardUs.national} µs, national simulator ${f.cpuPerForwardUs.simulator} µs`}`
}
