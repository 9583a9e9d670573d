/**
 * The tree part of `ken-store verify` (SPEC §4): recompute the Merkle tree over the whole log and
 * hold every kept checkpoint to it — its root must be the root of the log's first `size` entries,
 * its signature must verify with the log's key (when one is given), and no checkpoint may name a
 * size beyond the log. Two checkpoints whose roots are those of prefixes of the one recomputed tree
 * are consistent by definition, so this also checks every pair of kept checkpoints. The hash chain
 * alone cannot see a rewritten entry whose later hashes were all recomputed; this can, as long as
 * one checkpoint issued before the rewrite is kept here or by anyone outside.
 */
import { CompactRange, leafHash } from '../log/merkle/index.ts'
import { openCheckpoint, parseCheckpointBody, type NoteVerifier } from '../log/checkpoint/index.ts'
import { frameEntryBytes, GENESIS_HASH, nextFrame } from './log-block.ts'
import type { ChainSlice } from './chain-verifier.ts'
import { readPosition } from './layout.ts'
import type { LogIo, Range, VerifyResult } from './store-types.ts'

export type TreeIssueKind = 'root-mismatch' | 'beyond-log' | 'bad-signature' | 'malformed-checkpoint'

export interface TreeIssue {
  /** The size of the first checkpoint that does not hold. */
  readonly size: number
  readonly kind: TreeIssueKind
  readonly detail: string
}

export interface TreeReport {
  readonly ok: boolean
  /** Entries hashed into the tree. */
  readonly size: number
  readonly root: string
  readonly checkpoints: number
  /** Whether signatures were checked (a verifier key was given). */
  readonly signaturesChecked: boolean
  readonly issue: TreeIssue | undefined
}

/** A log and its kept checkpoints, as verify needs them. */
export interface TreeSource {
  readonly iterate: (space: 'log' | 'checkpoints', range: Range) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
}

/** A kept checkpoint as verify reads it. */
export interface Kept {
  readonly size: number
  readonly note: string
}

/** Every kept checkpoint, by size. */
export async function readKept (io: TreeSource | LogIo): Promise<Kept[]> {
  const kept: Kept[] = []
  for await (const chunk of io.iterate('checkpoints', {})) {
    for (const [key, value] of chunk) kept.push({ size: readPosition(key), note: value.toString('utf8') })
  }
  return kept
}

/** The report of a verify (Store#verify, verify-directory.ts): the chain's slice and the tree's report. */
export function verifyResult (slice: ChainSlice, tree: TreeReport, startedMs: number): VerifyResult {
  return {
    ok: slice.issue === undefined && tree.ok,
    tree,
    entries: slice.entries,
    head: { position: slice.lastPosition, hash: (slice.lastHash ?? GENESIS_HASH).toString('hex') },
    issue: slice.issue,
    elapsedMs: performance.now() - startedMs
  }
}

/**
 * The report from roots computed elsewhere (the verify workers, tile-slice.ts): `roots` holds the
 * root at every kept size within the log and at `size`, the log's length.
 */
export function treeReportFromRoots (kept: readonly Kept[], roots: ReadonlyMap<number, Buffer>, size: number, verifier?: NoteVerifier): TreeReport {
  let issue: TreeIssue | undefined
  for (const k of kept) {
    if (k.size > size) {
      issue = { size: k.size, kind: 'beyond-log', detail: `checkpoint ${k.size} names more entries than the log holds (${size})` }
      break
    }
    const root = roots.get(k.size)
    issue = root === undefined ? { size: k.size, kind: 'malformed-checkpoint', detail: 'no root was computed for it' } : checkOne(k, root, verifier)
    if (issue !== undefined) break
  }
  return { ok: issue === undefined, size, root: (roots.get(size) ?? Buffer.alloc(0)).toString('base64'), checkpoints: kept.length, signaturesChecked: verifier !== undefined, issue }
}

/** Recompute the tree in this thread and check every kept checkpoint against it. */
export async function verifyTree (io: TreeSource | LogIo, verifier?: NoteVerifier): Promise<TreeReport> {
  const kept = await readKept(io)
  const edge = new CompactRange()
  let next = 0
  let issue: TreeIssue | undefined
  const check = (): void => {
    while (issue === undefined && next < kept.length && (kept[next] as { size: number }).size === edge.size) {
      issue = checkOne(kept[next] as { size: number, note: string }, edge.root(), verifier)
      next++
    }
  }
  check()
  outer: for await (const chunk of io.iterate('log', {})) {
    for (const [, block] of chunk) {
      let offset = 0
      while (offset < block.length) {
        const ref = nextFrame(block, offset)
        // A malformed block is the chain verifier's finding; the tree stops where the log stops making sense.
        if (ref === undefined) break outer
        edge.append(leafHash(frameEntryBytes(block, ref)))
        offset = ref.end
        if (next < kept.length && (kept[next] as { size: number }).size === edge.size) {
          check()
          if (issue !== undefined) break outer
        }
      }
    }
  }
  if (issue === undefined && next < kept.length) {
    const beyond = kept[next] as { size: number }
    issue = { size: beyond.size, kind: 'beyond-log', detail: `checkpoint ${beyond.size} names more entries than the log holds (${edge.size})` }
  }
  return { ok: issue === undefined, size: edge.size, root: edge.root().toString('base64'), checkpoints: kept.length, signaturesChecked: verifier !== undefined, issue }
}

function checkOne (kept: { size: number, note: string }, root: Buffer, verifier: NoteVerifier | undefined): TreeIssue | undefined {
  const split = kept.note.lastIndexOf('\n\n')
  const body = split < 0 ? undefined : parseCheckpointBody(kept.note.slice(0, split + 1))
  if (body === undefined || body.size !== kept.size) return { size: kept.size, kind: 'malformed-checkpoint', detail: 'not a checkpoint of the size it is kept under' }
  if (verifier !== undefined) {
    const opened = openCheckpoint(kept.note, verifier)
    if (!opened.ok) return { size: kept.size, kind: 'bad-signature', detail: `checkpoint ${kept.size}: ${opened.reason}` }
  }
  if (!body.root.equals(root)) return { size: kept.size, kind: 'root-mismatch', detail: `the log's first ${kept.size} entries do not have the root checkpoint ${kept.size} signed: an entry was changed` }
  return undefined
}
