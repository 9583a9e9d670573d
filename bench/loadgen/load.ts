/**
 * Runs the load generator: forks `workers` processes (so the generator is not the bottleneck), splits
 * the identities among them, starts them together, and merges their counts and histograms.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Histogram } from './histogram.ts'
import type { BenchIdentity, LinkFinish, WorkerJob, WorkerReport } from './protocol.ts'

export interface LoadResult {
  ratePerSec: number
  acked: number
  sent: number
  errors: number
  received: number
  p50Ms: number
  p99Ms: number
  /** Wall time of the run: the measuring window, or until the last worker finished ('exhaust'). */
  seconds: number
  /** 'exhaust' mode: every payload was sent and acknowledged. */
  exhausted: boolean
  /** CS links whose connection closed before all their PUBLISHes were acknowledged (never reconnected). */
  droppedLinks: number
  /** Counted PUBACKs in each second after the start, and when each link's last one came. */
  timeline: { ackedPerSecond: number[], links: LinkFinish[] }
  /** CPU of the load generator's worker processes over the run, µs (user + system, all workers). */
  generatorCpuMicros: number
}

export interface LoadOptions extends Omit<WorkerJob, 'identities'> {
  identities: BenchIdentity[]
  workers: number
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))

export async function runLoad (opts: LoadOptions): Promise<LoadResult> {
  const groups: BenchIdentity[][] = Array.from({ length: opts.workers }, () => [])
  opts.identities.forEach((id, i) => groups[i % opts.workers]?.push(id))
  const children = groups.filter((g) => g.length > 0).map((identities) => {
    const job: WorkerJob = { ...opts, identities }
    return fork(WORKER, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, KEN_BENCH_JOB: JSON.stringify(job) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  })
  const reports = children.map((child) => new Promise<WorkerReport & { type: 'done' }>((resolve, reject) => {
    child.on('message', (msg: WorkerReport) => {
      if (msg.type === 'done') resolve(msg)
      if (msg.type === 'failed') reject(new Error(`load worker failed: ${msg.message}`))
    })
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`load worker exited ${String(code)}`)) })
  }))
  // Every promise is awaited together, so a failing worker fails the run instead of the process.
  const ready = children.map((child) => new Promise<void>((resolve, reject) => {
    child.on('message', (msg: WorkerReport) => { if (msg.type === 'ready') resolve() })
    child.on('exit', () => reject(new Error('load worker exited before it was ready')))
  }))
  let done: Array<WorkerReport & { type: 'done' }>
  try {
    await Promise.race([Promise.all(ready), Promise.all(reports)])
    for (const child of children) child.send({ type: 'go' })
    done = await Promise.all(reports)
  } catch (err) {
    for (const child of children) child.kill('SIGKILL')
    await Promise.allSettled([...ready, ...reports])
    throw err
  }
  const hist = new Histogram()
  let acked = 0; let sent = 0; let errors = 0; let received = 0; let generatorCpuMicros = 0; let droppedLinks = 0
  const ackedPerSecond: number[] = []
  const links: LinkFinish[] = []
  for (const r of done) {
    hist.merge(new Histogram(r.histogram))
    acked += r.acked; sent += r.sent; errors += r.errors; received += r.received; droppedLinks += r.dropped
    generatorCpuMicros += r.cpuMicros
    r.ackedPerSecond.forEach((c, i) => { ackedPerSecond[i] = (ackedPerSecond[i] ?? 0) + c })
    links.push(...r.links)
  }
  const seconds = Math.max(...done.map((r) => r.seconds))
  links.sort((a, b) => a.seconds - b.seconds)
  return {
    ratePerSec: Math.round(acked / seconds),
    acked,
    sent,
    errors,
    received,
    p50Ms: round3(hist.quantile(0.5)),
    p99Ms: round3(hist.quantile(0.99)),
    seconds,
    exhausted: done.every((r) => r.exhausted),
    droppedLinks,
    timeline: { ackedPerSecond: Array.from(ackedPerSecond, (c) => c ?? 0), links },
    generatorCpuMicros
  }
}

function round3 (n: number): number {
  return Math.round(n * 1000) / 1000
}
