/**
 * Worker thread of a parallel verify: claims ranges of the log one by one from the counter it shares
 * with verify-parallel.ts (Atomics.add, so no thread waits for another to hand out work), checks each
 * (verify-range.ts) and posts back `{ index, slice }`; verify-parallel.ts stitches the slices in order.
 * Started before its task is known (verify-workers.ts), it opens log/ and waits for the task, or null to
 * stop. Loaded through tsx's CommonJS hook: no top-level await here, nor import.meta in
 * what it imports.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ClassicLevel } from 'classic-level'
import { verifyRange, type RangeTask } from './verify-range.ts'
import type { WalkTask } from './verify-workers.ts'
import { jsSha256Batch, loadSha256Batch } from '../log/merkle/sha256-batch.ts'

/** What verify-workers.ts starts a worker with; `hasher`: where the sha256-batch addon would be built. */
interface Start {
  readonly location: string
  readonly hasher?: string
}

async function run ({ location, hasher: file }: Start): Promise<void> {
  const hasher = loadSha256Batch(file) ?? jsSha256Batch
  // Opened while the task is being prepared (verify-workers.ts): the open is part of a worker's start.
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true, createIfMissing: false })
  const opened = db.open()
  // Its failure is this worker's error once the task has come (below), not an unhandled rejection before.
  opened.catch(() => undefined)
  const task = await new Promise<WalkTask | null>((resolve) => parentPort?.once('message', resolve))
  await opened
  try {
    if (task === null) return
    const log = db.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    for (let index = Atomics.add(task.counter, 0, 1); index < task.ranges.length; index = Atomics.add(task.counter, 0, 1)) {
      parentPort?.postMessage({ index, slice: await verifyRange(log, task.ranges[index] as RangeTask, task.sizes, hasher) })
    }
  } finally {
    await db.close()
  }
}

// No top-level await: the worker is loaded through tsx's CommonJS hook (verify-workers.ts). A rejection
// left unhandled ends the worker with an 'error' event, as a top-level await's would.
void run(workerData as Start)
