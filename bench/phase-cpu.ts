/**
 * CPU of the initial load phase by phase (load-phases.ts): the store's by thread (thread-cpu.ts) and
 * the gateway's, per update, and how many of the machine's cores were busy. A phase whose cores are
 * not all busy is bounded by latency (each link's in-flight window and the commit), not by CPU; one
 * whose per-update CPU grows is paying for the store's size (LevelDB's compactions) — issue 18's tail.
 */
import { readFileSync } from 'node:fs'
import { ackedBetween, type LoadPhase } from './load-phases.ts'
import { processCpuMicros, ticksToMicros } from './targets.ts'
import { sampleThreads, threadCpuBetween, type ThreadSample } from './thread-cpu.ts'

export interface CpuSample {
  readonly atSeconds: number
  readonly store: ThreadSample
  readonly gatewayMicros: number
  /** CPU time all cores of the machine spent busy (not idle, not waiting for I/O), µs. */
  readonly machineMicros: number
}

export interface PhaseCpu {
  readonly busyLinks: string
  /** The store's CPU per update by thread group (thread-cpu.ts names), µs. */
  readonly storeThreads: Record<string, number>
  readonly store: number
  readonly gateway: number
  /** Cores busy on average over the phase (all processes of the machine). */
  readonly coresBusy: number
}

/** Busy CPU of the whole machine so far from /proc/stat's first line (user nice system idle iowait irq softirq steal), µs; 0 when unreadable. */
export function machineBusyMicros (): number {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number)
    const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0)
    return ticksToMicros(busy)
  } catch {
    return 0
  }
}

/** Samples the store's threads, the gateway and the machine every `everyMs` from now (seconds counted from `t0`, performance.now()). */
export function startPhaseSampler (pids: { readonly store: number | undefined, readonly gateway: number | undefined }, t0: number, everyMs = 5000): { stop: () => CpuSample[] } {
  const samples: CpuSample[] = []
  const take = (): void => {
    samples.push({ atSeconds: (performance.now() - t0) / 1000, store: sampleThreads(pids.store), gatewayMicros: processCpuMicros(pids.gateway), machineMicros: machineBusyMicros() })
  }
  take()
  // Unreferenced: a load that fails never stops the sampler, and must not keep the bench alive.
  const timer = setInterval(take, everyMs).unref()
  return { stop: () => { clearInterval(timer); take(); return samples } }
}

const round1 = (x: number): number => Math.round(x * 10) / 10

/** Each phase's CPU, between the samples nearest its bounds (outside them). */
export function phaseCpu (samples: readonly CpuSample[], phases: readonly LoadPhase[], ackedPerSecond: readonly number[]): PhaseCpu[] {
  if (samples.length < 2) return []
  return phases.map((ph) => {
    const a = [...samples].reverse().find((s) => s.atSeconds <= ph.fromSeconds) ?? samples[0] as CpuSample
    const b = samples.find((s) => s.atSeconds >= ph.toSeconds) ?? samples[samples.length - 1] as CpuSample
    const updates = Math.max(1, ackedBetween(ackedPerSecond, a.atSeconds, b.atSeconds))
    const storeThreads = Object.fromEntries(Object.entries(threadCpuBetween(a.store, b.store)).map(([name, us]) => [name, round1(us / updates)]))
    const wall = Math.max(0.001, b.atSeconds - a.atSeconds)
    return {
      busyLinks: ph.busyLinks,
      storeThreads,
      store: round1((b.store.processMicros - a.store.processMicros) / updates),
      gateway: round1((b.gatewayMicros - a.gatewayMicros) / updates),
      coresBusy: Math.round(((b.machineMicros - a.machineMicros) / 1e6 / wall) * 100) / 100
    }
  })
}
