/**
 * One commit group (SPEC §3, §4): plan its jobs in order against one overlay, write everything as
 * one atomic, durable batch — entries as one log block, their view changes, new wrapped keys and the
 * views' head — and only then answer. A request that cannot be planned is refused whole and taken
 * back from the overlay; the rest of the group goes on. A failed write fails the store.
 */
import type { AppendItem, LogAdminAct, UpdateResult } from '../../../proto/src/types.ts'
import { isKenError, type KenError } from '../../../proto/src/ken-error.ts'
import type { CommitJob } from './group-commit.ts'
import { planAdmin, planItem, type GroupState } from './planner.ts'
import { prefetchGroup } from './prefetch.ts'
import { ViewTx } from './view-tx.ts'
import { headOp } from './replay.ts'
import { positionKey } from './layout.ts'
import type { Keyring } from './keyring.ts'
import type { Head, LogIo, StoreLogger } from './store-types.ts'
import { errors } from './errors.ts'

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
  /** Set when a write failed: every later group is refused. */
  failed: KenError | undefined
  readonly onFailure: (err: KenError) => void
}

export async function runGroup (jobs: Job[], env: GroupEnv): Promise<void> {
  if (env.failed !== undefined) {
    for (const job of jobs) job.reject(errors.KEN_ERR_STORE_FAILED(undefined, { cause: env.failed }))
    return
  }
  const first = jobs[0]
  if (first?.kind === 'task') return await runTask(first)
  const now = env.clock()
  const g: GroupState = { tx: new ViewTx(env.io.getMany), keyring: env.keyring, head: env.head, frames: [], recordedAt: now.toISOString(), today: jstDate(now) }
  try {
    await prefetchGroup(g, jobs.flatMap((job) => job.kind === 'append' ? job.items : []))
  } catch (err) {
    env.logger.warn({ event: 'store.group.prefetch_failed', code: isKenError(err) ? err.code : 'unknown' }, 'prefetch failed; planning reads on demand')
  }
  const answers: Array<() => void> = []
  for (const job of jobs) answers.push(await planJob(g, job, env.logger))
  if (g.frames.length > 0) {
    const ops = g.tx.ops()
    ops.push({ space: 'log', key: positionKey(env.head.position + 1), value: g.frames.length === 1 ? (g.frames[0] as Buffer) : Buffer.concat(g.frames) })
    ops.push(headOp(g.head))
    try {
      await env.io.write(ops)
    } catch (err) {
      const failure = errors.KEN_ERR_STORE_WRITE_FAILED(undefined, { cause: err })
      env.onFailure(failure)
      for (const job of jobs) job.reject(failure)
      return
    }
    env.head = g.head
  }
  for (const answer of answers) answer()
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
