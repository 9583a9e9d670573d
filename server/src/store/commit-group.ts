/**
 * One commit group (SPEC §3, §4): plan its jobs in order against one overlay, write everything
 * durably in two steps — first the new wrapped keys and the entries as one atomic log block (the
 * commit point), then the erased keys, the view changes and the views' head (level-store.ts) — and
 * answer once the log block is durable. A request that cannot be planned is refused whole and taken
 * back from the overlay; the rest of the group goes on. A failed write fails the store.
 *
 * Answering at the log block is what SPEC §3 asks ("PUBACK only after the update is durably
 * committed"): the views are derived from the log, and recovery replays the log into views that are
 * behind it (recovery.ts), as after a crash between the two steps. Reads of the views wait for the
 * view writes of the groups answered before them (store.ts), so a caller still reads its own writes.
 *
 * Pipelined: while a group's log block is on its way to the disk, the next group is planned —
 * reading through the writes of every group whose views are not durable yet — and its own log
 * block is written only when that one is durable, alongside the previous group's views. So log
 * blocks and view writes each stay in order, at most one group's views lag behind the log, and a
 * group planned on a log block whose write then fails is refused, never written.
 */
import type { AppendItem, LogAdminAct, UpdateResult } from '../../../proto/src/types.ts'
import { isKenError, type KenError } from '../../../proto/src/ken-error.ts'
import type { CommitJob } from './group-commit.ts'
import { planAct, planAdmin, planItem, planStep, planTemp, stepMark, takeBack, type GroupState } from './planner.ts'
import { prefetchGroup } from './prefetch.ts'
import { ViewTx, type BaseReader, type GroupWrites } from './view-tx.ts'
import { headOp } from './replay.ts'
import { positionKey, type Space, type WriteOp } from './layout.ts'
import type { Keyring } from './keyring.ts'
import type { LogTree } from './log-tree.ts'
import type { ActInput, Head, LogIo, StoreLogger } from './store-types.ts'
import { errors } from './errors.ts'

/**
 * The overlay's keys an update touches, read or written (bench:store's initial load: 11; the overlay's
 * arrays are made this long per item at once: view-tx.ts).
 */
const KEYS_PER_ITEM = 12

/** Items planned between two turns of the event loop. */
const YIELD_EVERY = 32

/** What waits in the committer's queue. */
export type Job = CommitJob & (
  | { readonly kind: 'append', readonly items: readonly AppendItem[], readonly resolve: (r: UpdateResult[]) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'admin', readonly act: LogAdminAct, readonly resolve: (r: Head) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'act', readonly act: ActInput, readonly resolve: (r: Head) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'temp', readonly slot: Buffer, readonly value: Buffer | null, readonly act: ActInput, readonly resolve: (r: Head) => void, readonly reject: (e: Error) => void }
  | { readonly kind: 'task', readonly fn: () => Promise<void>, readonly resolve: () => void, readonly reject: (e: Error) => void }
)

/** The store's state a group reads and moves. */
export interface GroupEnv {
  readonly io: LogIo
  readonly keyring: Keyring | undefined
  readonly clock: () => Date
  readonly logger: StoreLogger
  /** The Merkle tree and checkpoints (log-tree.ts); set once the store is open. */
  tree: LogTree | undefined
  /** The committed head; set only once its log block is durable. */
  head: Head
  /** The head of the last group planned (ahead of `head` while its write is in flight). */
  tip: Head
  /** The groups whose views are not durable yet, oldest first. */
  readonly pending: PendingGroup[]
  /** Set when a write failed: every later group is refused. */
  failed: KenError | undefined
  readonly onFailure: (err: KenError) => void
}

/** A group written (or being written) whose views are not durable yet. */
export interface PendingGroup {
  /** True once its wrapped keys and log block are durable; false when that write failed. */
  readonly logged: Promise<boolean>
  /** Settles when its views are durable, or will never be written (a failed write). Never rejects. */
  readonly done: Promise<void>
  /** Its writes, for later groups to read through until they are in LevelDB. */
  readonly ops: GroupWrites
}

/** Groups whose views may lag behind the log: the one being written and the one before it. */
const MAX_PENDING = 2

export async function runGroup (jobs: Job[], env: GroupEnv): Promise<void> {
  const first = jobs[0]
  if (first?.kind === 'task') {
    await settled(env)
    return await runTask(first)
  }
  if (env.failed !== undefined) return refuseAll(jobs, env.failed)
  const now = env.clock()
  const previous = env.pending.at(-1)
  const read = env.pending.length === 0 ? env.io.getMany : readThrough(env.pending.map((p) => p.ops).reverse(), env.io.getMany)
  const items = jobs.flatMap((job) => job.kind === 'append' ? job.items : [])
  const g: GroupState = { tx: new ViewTx(read, KEYS_PER_ITEM * items.length), keyring: env.keyring, head: env.tip, frames: [], made: [], recordedAt: now.toISOString(), today: jstDate(now) }
  try {
    await prefetchGroup(g, items)
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
  // Later groups read this one's writes (until its views are durable), never through it what it read.
  g.tx.endReads()
  // Planned on the state the previous group leaves: written only once its log block is durable,
  // and with at most one group's views still on their way.
  await previous?.logged
  while (env.pending.length >= MAX_PENDING) await (env.pending[0] as PendingGroup).done
  if (env.failed !== undefined) return refuseAll(jobs, env.failed)
  if (g.frames.length === 0) {
    for (const answer of answers) answer()
    return
  }
  // Step 1, the commit point: the new wrapped keys and the log block. Step 2: everything else.
  const logOps: WriteOp[] = []
  const viewOps: WriteOp[] = []
  // New keys and temporary-area slots are durable with the log block that first uses them.
  for (const op of g.tx.ops()) ((op.space === 'keys' || op.space === 'temp') && op.value !== null ? logOps : viewOps).push(op)
  logOps.push({ space: 'log', key: positionKey(env.tip.position + 1), value: g.frames.length === 1 ? (g.frames[0] as Buffer) : Buffer.concat(g.frames) })
  viewOps.push(headOp(g.head))
  // The tree follows the planned log; its stored subtrees go with the views (a view, rebuildable).
  const tree = env.tree?.appendFrames(g.frames)
  if (tree !== undefined) viewOps.push(...tree.ops)
  env.tip = g.head
  const logged = (async () => {
    try {
      await env.io.write(logOps)
    } catch (err) {
      const failure = errors.KEN_ERR_STORE_WRITE_FAILED(undefined, { cause: err })
      env.onFailure(failure)
      for (const job of jobs) job.reject(failure)
      return false
    }
    env.head = g.head
    for (const answer of answers) answer()
    return true
  })()
  const done = (async () => {
    const ok = await logged
    await previous?.done
    // After a failed write nothing more is written; recovery brings the views to the log's head.
    if (!ok || env.failed !== undefined) return
    // The checkpoint names this group's size, whose log block is durable now; groups reach here in
    // order, so checkpoints are kept in order of size (docs/transparency-log.md).
    const checkpoint = tree === undefined ? undefined : env.tree?.checkpointOp(tree.size, tree.root, performance.now())
    if (checkpoint !== undefined) viewOps.push(checkpoint)
    try {
      await env.io.write(viewOps)
    } catch (err) {
      env.onFailure(errors.KEN_ERR_STORE_WRITE_FAILED(undefined, { cause: err }))
    }
  })()
  const group: PendingGroup = { logged, done, ops: g.tx }
  env.pending.push(group)
  void done.finally(() => {
    const at = env.pending.indexOf(group)
    if (at >= 0) env.pending.splice(at, 1)
  })
}

/** Resolves once every group's writes have ended (durable, or failed). */
export async function settled (env: GroupEnv): Promise<void> {
  while (env.pending.length > 0) await (env.pending.at(-1) as PendingGroup).done
}

/**
 * Resolves once the views of every group answered so far are durable (or will never be written):
 * what a read of the views waits for. Groups that start later do not hold it back.
 */
export async function viewsCaughtUp (env: GroupEnv): Promise<void> {
  await env.pending.at(-1)?.done
}

function refuseAll (jobs: readonly Job[], failed: KenError): void {
  for (const job of jobs) job.reject(errors.KEN_ERR_STORE_FAILED(undefined, { cause: failed }))
}

/** Reads that see the writes of the groups not yet in LevelDB (newest first) before the committed state. */
function readThrough (pending: readonly GroupWrites[], base: BaseReader): BaseReader {
  const find = (space: Space, key: Buffer): Buffer | null | undefined => {
    for (const writes of pending) {
      const value = writes.written(space, key)
      if (value !== undefined) return value
    }
    return undefined
  }
  return async (space, keys) => {
    const out: Array<Buffer | undefined> = new Array(keys.length)
    const missing: Buffer[] = []
    const at: number[] = []
    keys.forEach((key, i) => {
      const value = find(space, key)
      if (value === undefined) {
        missing.push(key)
        at.push(i)
      } else {
        out[i] = value ?? undefined
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
  const step = stepMark(g)
  try {
    if (job.kind === 'append') {
      const results: UpdateResult[] = []
      for (const item of job.items) {
        const result = planStep(g, () => planItem(g, item))
        results.push(result instanceof Promise ? await result : result)
      }
      return () => job.resolve(results)
    }
    if (job.kind === 'admin') {
      // The keys it names in one read, rather than one step taken back and run again per key.
      const keyIds = [job.act.keyId, ...job.act.keyIds].filter((k) => k.length > 0).map((k) => Buffer.from(k))
      await g.tx.prefetch('keys', keyIds)
      const done = await planStep(g, () => planAdmin(g, job.act))
      return () => job.resolve(done)
    }
    if (job.kind === 'act') {
      const done = await planStep(g, () => planAct(g, job.act))
      return () => job.resolve(done)
    }
    if (job.kind === 'temp') {
      const done = await planStep(g, () => planTemp(g, job.slot, job.value, job.act))
      return () => job.resolve(done)
    }
    throw new Error('a task cannot share a group')
  } catch (err) {
    g.tx.rollback(mark)
    takeBack(g, step)
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
