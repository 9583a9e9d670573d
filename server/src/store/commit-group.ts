/**
 * One commit group (SPEC §3, §4): plan its jobs in order against one overlay, write everything
 * durably — the entries as one atomic log block, with the new wrapped keys before it and the view
 * changes and the views' head after it (level-store.ts) — and only then answer. A request that
 * cannot be planned is refused whole and taken back from the overlay; the rest of the group goes on.
 * A failed write fails the store.
 *
 * Pipelined: while a group's write is on its way to the disk, the next group is planned — reading
 * through the writes of the group in flight, which are not in LevelDB yet — and its own write starts
 * only when that one is durable. So writes stay in order, at most one group is planned on state that
 * is not durable yet, and if its predecessor's write fails it is refused, never written.
 */
import type { AppendItem, LogAdminAct, UpdateResult } from '../../../proto/src/types.ts'
import { isKenError, type KenError } from '../../../proto/src/ken-error.ts'
import type { CommitJob } from './group-commit.ts'
import { planAdmin, planItem, type GroupState } from './planner.ts'
import { prefetchGroup } from './prefetch.ts'
import { overlayId, ViewTx, type BaseReader } from './view-tx.ts'
import { headOp } from './replay.ts'
import { positionKey, type WriteOp } from './layout.ts'
import type { Keyring } from './keyring.ts'
import type { Head, LogIo, StoreLogger } from './store-types.ts'
import { errors } from './errors.ts'

/** Items planned between two turns of the event loop. */
const YIELD_EVERY = 32

/** What waits in the committer's queue. */
export type Job = CommitJob & (
  | { readonly kind: 'append', readonly items: readonly AppendItem[], readonly resolve: (r: UpdateResult[]) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'admin', readonly act: LogAdminAct, readonly resolve: (r: Head) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'task', readonly fn: () => Promise<void>, readonly resolve: () => void, readonly reject: (e: Error) => void }
)

/** The store's state a group reads and moves. */
export interface GroupEnv {
  readonly io: LogIo
  readonly keyring: Keyring | undefined
  readonly clock: () => Date
  readonly logger: StoreLogger
  /** The committed head; set only after the batch is durable. */
  head: Head
  /** The head of the last group planned (ahead of `head` while its write is in flight). */
  tip: Head
  /** The write of the last group planned, and its ops for the next group to read through. */
  inFlight: { readonly done: Promise<void>, readonly ops: ReadonlyMap<string, WriteOp> } | undefined
  /** Set when a write failed: every later group is refused. */
  failed: KenError | undefined
  readonly onFailure: (err: KenError) => void
}

export async function runGroup (jobs: Job[], env: GroupEnv): Promise<void> {
  const first = jobs[0]
  if (first?.kind === 'task') {
    await settled(env)
    return await runTask(first)
  }
  if (env.failed !== undefined) return refuseAll(jobs, env.failed)
  const now = env.clock()
  const previous = env.inFlight
  const read = previous === undefined ? env.io.getMany : readThrough(previous.ops, env.io.getMany)
  const g: GroupState = { tx: new ViewTx(read), keyring: env.keyring, head: env.tip, frames: [], recordedAt: now.toISOString(), today: jstDate(now) }
  try {
    await prefetchGroup(g, jobs.flatMap((job) => job.kind === 'append' ? job.items : []))
  } catch (err) {
    env.logger.warn({ event: 'store.group.prefetch_failed', code: isKenError(err) ? err.code : 'unknown' }, 'prefetch failed; planning reads on demand')
  }
  const answers: Array<() => void> = []
  let planned = 0
  for (const job of jobs) {
    answers.push(await planJob(g, job, env.logger))
    // Planning runs on promises that are already resolved, which never let the event loop take I/O
    // completions: yield now and then so the previous group's write moves on to its next batch.
    planned += job.kind === 'append' ? job.items.length : 1
    if (planned >= YIELD_EVERY) {
      planned = 0
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  // Planned on the state the previous group leaves: written only once that is durable.
  await previous?.done
  if (env.failed !== undefined) return refuseAll(jobs, env.failed)
  if (g.frames.length === 0) {
    for (const answer of answers) answer()
    return
  }
  const ops = g.tx.ops()
  ops.push({ space: 'log', key: positionKey(env.tip.position + 1), value: g.frames.length === 1 ? (g.frames[0] as Buffer) : Buffer.concat(g.frames) })
  ops.push(headOp(g.head))
  env.tip = g.head
  const done = (async () => {
    try {
      await env.io.write(ops)
    } catch (err) {
      const failure = errors.KEN_ERR_STORE_WRITE_FAILED(undefined, { cause: err })
      env.onFailure(failure)
      for (const job of jobs) job.reject(failure)
      return
    }
    env.head = g.head
    for (const answer of answers) answer()
  })()
  const inFlight = { done, ops: g.tx.writes() }
  env.inFlight = inFlight
  void done.finally(() => { if (env.inFlight === inFlight) env.inFlight = undefined })
}

/** Resolves once the last group's write has ended (durable, or failed). */
export async function settled (env: GroupEnv): Promise<void> {
  while (env.inFlight !== undefined) await env.inFlight.done
}

function refuseAll (jobs: readonly Job[], failed: KenError): void {
  for (const job of jobs) job.reject(errors.KEN_ERR_STORE_FAILED(undefined, { cause: failed }))
}

/** Reads that see the writes of the group in flight before the committed state. */
function readThrough (pending: ReadonlyMap<string, WriteOp>, base: BaseReader): BaseReader {
  return async (space, keys) => {
    const out: Array<Buffer | undefined> = new Array(keys.length)
    const missing: Buffer[] = []
    const at: number[] = []
    keys.forEach((key, i) => {
      const op = pending.get(overlayId(space, key))
      if (op === undefined) {
        missing.push(key)
        at.push(i)
      } else {
        out[i] = op.value ?? undefined
      }
    })
    if (missing.length > 0) {
      const values = await base(space, missing)
      at.forEach((i, j) => { out[i] = values[j] })
    }
    return out
  }
}

/** Plan one job into the group; returns how to answer it once the batch is durable. */
async function planJob (g: GroupState, job: Job, logger: StoreLogger): Promise<() => void> {
  const mark = g.tx.mark()
  const head = g.head
  const frames = g.frames.length
  try {
    if (job.kind === 'append') {
      const results: UpdateResult[] = []
      for (const item of job.items) results.push(await planItem(g, item))
      return () => job.resolve(results)
    }
    if (job.kind === 'admin') {
      const done = await planAdmin(g, job.act)
      return () => job.resolve(done)
    }
    throw new Error('a task cannot share a group')
  } catch (err) {
    g.tx.rollback(mark)
    g.head = head
    g.frames.length = frames
    const refusal = isKenError(err) ? err : errors.KEN_ERR_STORE_APPEND_FAILED(undefined, { cause: err })
    logger.error({ event: 'store.append.refused', code: refusal.code }, 'a request could not be planned')
    return () => job.reject(refusal)
  }
}

async function runTask (job: Extract<Job, { kind: 'task' }>): Promise<void> {
  try {
    await job.fn()
    job.resolve()
  } catch (err) {
    job.reject(err as Error)
  }
}

/** 通知を受けた年月日: the date in Japan (UTC+9, no DST) at `now`. */
export function jstDate (now: Date): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10)
}
