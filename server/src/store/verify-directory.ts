/**
 * `ken-store verify` on a stopped store's directory (SPEC §4; §8: 5 M entries in < 10 s on 2 cores):
 * the same checks and the same report as Store#verify (store.ts) on an open read-only store, but it
 * opens only what verify reads, and only while it reads it:
 * - views/ for the recorded head (`meta/head`) and the kept checkpoints, closed before the walk:
 *   LevelDB compacts an open database in its own thread when its levels need it (DB::Open schedules
 *   it, db_impl.cc), and a store stopped after a heavy load may leave the views such a backlog, which
 *   would take a core from the walk (closing stops it: DoCompactionWork checks shutting_down_);
 * - log/ for the walk (verify-parallel.ts), and for the checkpoints of a store of the earlier layout;
 * - keys/ not at all (verify reads ciphertext and hashes only).
 * It loads none of the daemon's modules (level-store.ts pulls in the whole store): that start is serial.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { ChainVerifier, type ChainSlice } from './chain-verifier.ts'
import { ITERATOR_HIGH_WATER_BYTES, readAhead } from './level-read.ts'
import { errors } from './errors.ts'
import { GENESIS_HASH } from './log-block.ts'
import { HASH_BYTES, META_HEAD, readPosition, type Database } from './layout.ts'
import type { Head, Range, VerifyResult } from './store-types.ts'
import { PARALLEL_THRESHOLD, RANGE_ENTRIES, verifyInWorkers } from './verify-parallel.ts'
import { VerifyWorkers } from './verify-workers.ts'
import { readKept, treeReportFromRoots, verifyResult, verifyTree, type TreeSource } from './verify-tree.ts'
import type { NoteVerifier } from '../log/checkpoint/index.ts'
import { sha256Batch } from '../log/merkle/sha256-batch-file.ts'

type Db = ClassicLevel<Buffer, Buffer>
type Rows = ReadonlyArray<readonly [Buffer, Buffer]>
const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const

const spaceOf = (db: Db, name: string) => db.sublevel<Buffer, Buffer>(name, ENCODING)
type Space = ReturnType<typeof spaceOf>

export interface VerifyDirectoryOptions {
  /** This thread and `threads - 1` workers (1…64). */
  readonly threads: number
  /** Checkpoint signatures are checked with it when given. */
  readonly verifierKey?: NoteVerifier
  /** Tests: below this many entries the walk stays in this thread (verify-parallel.ts). */
  readonly threshold?: number
  /** Tests: entries per range of the parallel walk. */
  readonly rangeEntries?: number
}

/**
 * Verify the chain and the tree of the store in `location` (its daemon stopped: LevelDB allows one process).
 * @throws KEN_ERR_STORE_INVALID_ARGUMENT for a bad thread count; KEN_ERR_STORE_LAYOUT for the
 * single-database layout; KEN_ERR_STORE_CORRUPT for a malformed recorded head; LevelDB's error when a
 * database is missing (nothing is created)
 */
export async function verifyDirectory (location: string, options: VerifyDirectoryOptions): Promise<VerifyResult> {
  const threads = options.threads
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 64) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('threads must be 1…64', { field: 'threads' })
  // As LevelStore#open refuses it (level-store.ts isSingleDatabaseLayout).
  if (existsSync(path.join(location, 'CURRENT'))) throw errors.KEN_ERR_STORE_LAYOUT('the directory holds a single LevelDB database (the layout before log/keys/views)')
  const started = performance.now()
  // Started first, so that their start overlaps the reads below (verify-workers.ts), when log/'s files
  // say the walk will likely use them; a smaller log would pay a worker's whole start to stop it (+0.3 s).
  const workers = threads > 1 && logBytes(location) >= EARLY_WORKERS_BYTES ? new VerifyWorkers(path.join(location, 'log'), threads - 1) : undefined
  try {
    return await verifyOpened(location, options, workers, started)
  } finally {
    await workers?.stop()
  }
}

async function verifyOpened (location: string, options: VerifyDirectoryOptions, workers: VerifyWorkers | undefined, started: number): Promise<VerifyResult> {
  const threads = options.threads
  const views = await readViews(location)
  const log = open(location, 'log')
  await log.open()
  try {
    // A store of the layout before the checkpoints moved to views/ keeps them in log/ (level-store.ts #moveCheckpoints).
    const earlier = await rowsOf(spaceOf(log, 'checkpoints'), {})
    const checkpoints = earlier.length > 0 ? earlier : views.checkpoints
    const source: TreeSource = {
      iterate: (space, range) => space === 'log' ? chunks(spaceOf(log, 'log'), range) : (async function * () { yield checkpoints })()
    }
    const kept = await readKept(source)
    const inProcess = async (): Promise<ChainSlice> => {
      const verifier = new ChainVerifier(1, GENESIS_HASH, sha256Batch())
      outer: for await (const chunk of source.iterate('log', {})) {
        for (const [key, block] of chunk) if (!verifier.block(key, block)) break outer
      }
      verifier.end(views.recorded)
      return verifier.slice()
    }
    const slice: ChainSlice & { roots?: Map<number, Buffer> } = threads <= 1
      ? await inProcess()
      : await verifyInWorkers(path.join(location, 'log'), threads, views.recorded, inProcess, options.threshold ?? PARALLEL_THRESHOLD, kept.map((k) => k.size), options.rangeEntries ?? RANGE_ENTRIES, workers)
    // As Store#verify: the workers' roots when the chain held; otherwise the tree recomputed here.
    const tree = slice.roots === undefined ? await verifyTree(source, options.verifierKey) : treeReportFromRoots(kept, slice.roots, slice.lastPosition, options.verifierKey)
    return verifyResult(slice, tree, started)
  } finally {
    await log.close()
  }
}

/**
 * log/'s size from which verify starts its workers before reading anything: well under the
 * PARALLEL_THRESHOLD entries (~60 MB at the bench's ~620 bytes per entry), so a log that will be walked
 * in workers starts them early; a smaller one that starts them anyway still has them stopped.
 */
const EARLY_WORKERS_BYTES = 16 * 1024 * 1024

/** The bytes of log/'s tables and write-ahead log, before it is opened; 0 when it cannot be read (the open reports why). */
function logBytes (location: string): number {
  const dir = path.join(location, 'log')
  try {
    let total = 0
    for (const name of readdirSync(dir)) if (name.endsWith('.ldb') || name.endsWith('.log')) total += statSync(path.join(dir, name)).size
    return total
  } catch {
    return 0
  }
}

/** The views' recorded head and kept checkpoints; views/ is closed again before this returns. */
async function readViews (location: string): Promise<{ recorded: Head | undefined, checkpoints: Rows }> {
  const views = open(location, 'views')
  await views.open()
  try {
    const bytes = await spaceOf(views, 'meta').get(META_HEAD)
    if (bytes !== undefined && bytes.length !== 8 + HASH_BYTES) throw errors.KEN_ERR_STORE_CORRUPT('meta/head')
    const recorded = bytes === undefined ? undefined : { position: readPosition(bytes), hash: Buffer.from(bytes.subarray(8)) }
    return { recorded, checkpoints: await rowsOf(spaceOf(views, 'checkpoints'), {}) }
  } finally {
    await views.close()
  }
}

function open (location: string, database: Database): Db {
  // multithreading: the verify workers open log/ alongside this handle.
  return new ClassicLevel<Buffer, Buffer>(path.join(location, database), { ...ENCODING, multithreading: true, createIfMissing: false })
}


async function rowsOf (space: Space, range: Range): Promise<Rows> {
  const rows: Array<readonly [Buffer, Buffer]> = []
  for await (const chunk of chunks(space, range)) rows.push(...chunk)
  return rows
}

/** As level-store.ts reads a range (level-read.ts). */
function chunks (space: Space, range: Range): AsyncGenerator<Rows> {
  return readAhead(space.iterator({ ...range, highWaterMarkBytes: ITERATOR_HIGH_WATER_BYTES } as Range))
}
