/**
 * Worker thread of a parallel verify: claims ranges of the log one by one from the counter it shares
 * with verify-parallel.ts (Atomics.add, so no thread waits for another to hand out work), checks each
 * (verify-range.ts) and posts back `{ index, slice }`; verify-parallel.ts stitches the slices in order.
 * Loaded through tsx's CommonJS hook (verify-parallel.ts): no top-level await here, nor import.meta in
 * what it imports.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ClassicLevel } from 'classic-level'
import { verifyRange, type RangeTask } from './verify-range.ts'

interface Task {
  readonly location: string
  readonly ranges: readonly RangeTask[]
  /** Int32Array over a SharedArrayBuffer: the next range index to claim. */
  readonly counter: Int32Array
  /** Checkpoint sizes: the Merkle tree's pieces for them are hashed here too (tile-slice.ts). */
  readonly sizes?: readonly number[]
}

async function run (task: Task): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(task.location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true, createIfMissing: false })
  await db.open()
  try {
    const log = db.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    for (let index = Atomics.add(task.counter, 0, 1); index < task.ranges.length; index = Atomics.add(task.counter, 0, 1)) {
      parentPort?.postMessage({ index, slice: await verifyRange(log, task.ranges[index] as RangeTask, task.sizes) })
    }
  } finally {
    await db.close()
  }
}

// No top-level await: the worker is loaded through tsx's CommonJS hook (verify-parallel.ts). A rejection
// left unhandled ends the worker with an 'error' event, as a top-level await's would.
void run(workerData as Task)
