/**
 * The worker threads of a parallel verify (verify-parallel.ts), started before their work is known:
 * each loads verify-worker.ts and opens log/ while the thread that started them opens the views, reads
 * the recorded head and the checkpoints and finds the log's end (verify-directory.ts) — a worker's
 * start (~0.2 s of CPU, more on a loaded machine) then overlaps that instead of following it
 * (SPEC §8: 5 M entries in < 10 s, start-up included). Then each is given the ranges and the shared
 * counter to claim them with, or told to stop (the log is small, or verify failed before the walk).
 */
import type { Worker } from 'node:worker_threads'
import type { ChainSlice } from './chain-verifier.ts'
import { startTsWorker } from './ts-worker.ts'
import { SHA256_BATCH_FILE } from '../log/merkle/sha256-batch-file.ts'
import type { RangeTask } from './verify-range.ts'

/** What a started worker is given: its ranges, or null to stop. */
export interface WalkTask {
  readonly ranges: readonly RangeTask[]
  /** Int32Array over a SharedArrayBuffer: the next range index to claim. */
  readonly counter: Int32Array
  /** Checkpoint sizes: the Merkle tree's pieces for them are hashed too (tile-slice.ts). */
  readonly sizes?: readonly number[]
}

export class VerifyWorkers {
  readonly #workers: Worker[]
  readonly #exits: Array<Promise<void>>
  #given = false

  /** Start `count` workers on the log database at `location` (log/ of a store directory). */
  constructor (location: string, count: number) {
    // tsx's CommonJS hook, not its ESM loader: under Node 20 the loader's hooks run in one more thread
    // that every import of the worker waits on (ts-worker.ts); the hook starts a worker in about half
    // the CPU (issue 18).
    this.#workers = Array.from({ length: count }, () => startTsWorker(new URL('./verify-worker.ts', import.meta.url), { location, hasher: SHA256_BATCH_FILE }, { loader: 'require', threadName: 'ken-verify' }))
    this.#exits = this.#workers.map(async (worker) => {
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject)
        worker.once('exit', (code) => {
          if (code === 0) resolve()
          else reject(new Error(`verify worker exited with code ${code}`))
        })
      })
    })
    // A worker that failed before it was given work is reported by walk(), or not at all after stop().
    for (const exit of this.#exits) exit.catch(() => undefined)
  }

  get count (): number {
    return this.#workers.length
  }

  /** Give every worker the walk; resolves when all have ended. Slices go into `found` by range index. */
  async walk (task: WalkTask, found: ChainSlice[]): Promise<void> {
    this.#given = true
    for (const worker of this.#workers) {
      worker.on('message', ({ index, slice }: { index: number, slice: ChainSlice }) => { found[index] = slice })
      worker.postMessage(task)
    }
    await Promise.all(this.#exits)
  }

  /** Let workers that were given no walk close log/ and end. */
  async stop (): Promise<void> {
    if (this.#given) return
    this.#given = true
    for (const worker of this.#workers) worker.postMessage(null)
    await Promise.allSettled(this.#exits)
  }
}
