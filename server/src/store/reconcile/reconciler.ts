/**
 * A reconciliation run (整合性確認, SPEC §5.3; requirements C1, C4, H17) on the store's side. A CS
 * streams its residents in chunks (住民票コード + content digest, docs/reconciliation.md); each chunk
 * is compared with the `rdigest` view — blind content tags, so nothing is decrypted but the few
 * records that differ — and its result is made durable, with the blind indexes it saw and the run's
 * counts, in one fsynced batch before it is answered (chunks of a run that arrive while one is being
 * written share the next batch: group commit). A chunk sent again gets the same result and is
 * not counted again; a chunk beyond the next expected is refused (the CS resumes from the last
 * acknowledged one). The last chunk closes the run: the residents of the file the CS did not send are
 * found by one ordered walk of both sets, and the run is recorded as a `reconcile.run` act whose
 * sealed detail is the mismatch list's source (mismatch-list.ts).
 */
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { isReasonCode } from '../../../../proto/src/reason-codes.ts'
import { reject } from '../../../../proto/src/reason-codes.ts'
import { differingItems, itemDigests } from '../../../../proto/src/reconcile-digest.ts'
import { decode, encode } from '../../../../proto/src/codec.ts'
import { DifferenceKind, type ReconcileChunk, type ReconcileDifference, type ReconcileResult, type ReconcileRunState, type ReconcileSummary } from '../../../../proto/src/types.ts'
import type { Store, StoreLogger } from '../store.ts'
import { open, seal, sealAad, SealPurpose } from '../sealing.ts'
import { checkChunk } from './check-chunk.ts'
import { chunkKey, finalKey, runId, runKey, seenKey, seenRange } from './keys.ts'
import type { WorkDb, WorkOp } from './work-db.ts'

/** Differences of the file's residents the CS did not send, carried in the final result at most (the rest: mismatch list). */
export const MAX_FINAL_DIFFERENCES = 2000

export type RunSource = 'line' | 'media'

const EMPTY_SUMMARY: ReconcileSummary = { recordsAtCs: 0, recordsHere: 0, matching: 0, missingHere: 0, missingAtCs: 0, differing: 0 }

/** Told of each run closed (with the kinds of its differences) and each chunk refused: the metrics. */
export type ReconcileRunObserver = (result: 'matched' | 'mismatched' | 'refused', differenceKinds: readonly DifferenceKind[]) => void

export class Reconciler {
  readonly #store: Store
  readonly #work: WorkDb
  readonly #logger: StoreLogger
  readonly #clock: () => Date
  readonly #onRun: ReconcileRunObserver
  /** The chunks of each run waiting for the one being written (in arrival order). */
  readonly #queues = new Map<string, Pending[]>()

  constructor (store: Store, work: WorkDb, options: { logger?: StoreLogger, clock?: () => Date, onRun?: ReconcileRunObserver } = {}) {
    this.#store = store
    this.#work = work
    this.#onRun = options.onRun ?? (() => undefined)
    this.#logger = options.logger ?? { info: () => undefined, warn: () => undefined, error: () => undefined }
    this.#clock = options.clock ?? (() => new Date())
  }

  /**
   * Take one chunk sent under `municipalityCode` (the CS certificate's, or the media run's) and answer
   * once it is durable. A refusal is an answer too (reason_code); a store failure throws (nothing kept).
   */
  async chunk (municipalityCode: string, bytes: Uint8Array, source: RunSource, actor: string): Promise<ReconcileResult> {
    let chunk: ReconcileChunk
    try {
      chunk = checkChunk(municipalityCode, bytes)
    } catch (err) {
      if (!isKenError(err) || !isReasonCode(err.code)) throw err
      await this.#store.recordAct({ kind: 'reconcile.refused', actor, terminal: municipalityCode, refused: true, reasonCode: err.code, note: source })
      this.#logger.warn({ event: 'store.reconcile.refused', municipality: municipalityCode, code: err.code }, 'reconciliation chunk refused')
      this.#onRun('refused', [])
      return refusal(municipalityCode, '', 0, err.code)
    }
    const key = `${municipalityCode}/${chunk.sessionId}`
    return await new Promise<ReconcileResult>((resolve, reject) => {
      const item = { chunk, source, actor, resolve, reject }
      const queue = this.#queues.get(key)
      if (queue !== undefined) return queue.push(item)
      const fresh = [item]
      this.#queues.set(key, fresh)
      void this.#drain(key, fresh)
    })
  }

  /**
   * The chunks of one run, in arrival order; those that arrived while the previous ones were being
   * written go together, in one fsynced batch (group commit, as the log's: SPEC §4), answered after it.
   */
  async #drain (key: string, queue: Pending[]): Promise<void> {
    while (queue.length > 0) {
      const group = queue.splice(0)
      try {
        await this.#takeGroup(group)
      } catch (err) {
        for (const p of group) p.reject(err)
      }
    }
    this.#queues.delete(key)
  }

  async #takeGroup (group: readonly Pending[]): Promise<void> {
    const first = group[0]?.chunk
    if (first === undefined) return
    const id = runId(first.municipalityCode, first.sessionId)
    const [stateBytes] = await this.#work.getMany([runKey(id)])
    let state = stateBytes === undefined ? undefined : decode('ReconcileRunState', stateBytes)
    const ops: WorkOp[] = []
    const groupSeen = new Set<string>()
    const fresh = new Map<number, ReconcileResult>()
    const answers: Array<{ p: Pending, result?: ReconcileResult, stored?: number, close?: boolean }> = []
    for (const p of group) {
      const c = p.chunk
      if (state === undefined) {
        if (c.chunkIndex !== 0) { answers.push({ p, result: refusal(c.municipalityCode, c.sessionId, c.chunkIndex, reject.KEN_REJECT_RECONCILE_CHUNK_ORDER.code) }); continue }
        state = newState(c, p.source, p.actor, this.#clock())
      } else if (state.chunkCount !== c.chunkCount || state.snapshotDate !== c.snapshotDate) {
        answers.push({ p, result: refusal(c.municipalityCode, c.sessionId, c.chunkIndex, reject.KEN_REJECT_RECONCILE_SESSION.code) })
        continue
      }
      const last = c.chunkIndex === c.chunkCount - 1
      // Sent again (a cut before the acknowledgement reached the CS): the same answer, nothing counted.
      if (c.chunkIndex < state.nextChunk) { answers.push({ p, stored: c.chunkIndex, close: last }); continue }
      if (c.chunkIndex > state.nextChunk) { answers.push({ p, result: refusal(c.municipalityCode, c.sessionId, c.chunkIndex, reject.KEN_REJECT_RECONCILE_CHUNK_ORDER.code) }); continue }
      const result = await this.#compare(id, c, state, ops, groupSeen)
      fresh.set(c.chunkIndex, result)
      answers.push({ p, result, close: last })
    }
    if (fresh.size > 0 && state !== undefined) {
      ops.push({ key: runKey(id), value: Buffer.from(encode('ReconcileRunState', state)) })
      await this.#work.write(ops)
    }
    for (const a of answers) {
      if (a.close === true && state !== undefined) a.p.resolve(await this.#close(id, state))
      else if (a.stored !== undefined) a.p.resolve(fresh.get(a.stored) ?? await this.#storedResult(id, a.stored))
      else if (a.result !== undefined) a.p.resolve(a.result)
    }
  }

  /** Compare one chunk with the file: its result, seen set and counts go into `ops` (written by the caller). */
  async #compare (id: Buffer, chunk: ReconcileChunk, state: ReconcileRunState, ops: WorkOp[], groupSeen: Set<string>): Promise<ReconcileResult> {
    const lg = chunk.municipalityCode
    const subjects = this.#store.subjectTokens(chunk.records.map((r) => r.juminhyoCode))
    const seen = await this.#work.getMany(subjects.map((s) => seenKey(id, s)))
    const tags = await this.#store.contentTags(lg, subjects)
    const summary = { ...EMPTY_SUMMARY, ...state.summary }
    const differences: ReconcileDifference[] = []
    for (let i = 0; i < chunk.records.length; i++) {
      const record = chunk.records[i]
      const subject = subjects[i]
      if (record === undefined || subject === undefined) continue
      const s = subject.toString('latin1')
      // A code sent twice in one run counts once.
      if (seen[i] !== undefined || groupSeen.has(s)) continue
      groupSeen.add(s)
      ops.push({ key: seenKey(id, subject), value: Buffer.alloc(0) })
      summary.recordsAtCs++
      const tag = tags[i]
      if (tag === undefined) {
        summary.missingHere++
        differences.push({ juminhyoCode: record.juminhyoCode, kind: DifferenceKind.MISSING_HERE, fields: [] })
      } else if (tag.length > 0 && tag.equals(this.#store.contentTag(record.contentDigest))) {
        summary.matching++
      } else {
        summary.differing++
        differences.push({ juminhyoCode: record.juminhyoCode, kind: DifferenceKind.DIFFERS, fields: await this.#differingFields(subject, record.itemDigests) })
      }
    }
    const result: ReconcileResult = { municipalityCode: lg, sessionId: chunk.sessionId, chunkIndex: chunk.chunkIndex, complete: false, differences, summary: null, reasonCode: '' }
    state.summary = summary
    state.nextChunk = chunk.chunkIndex + 1
    ops.push({ key: chunkKey(id, chunk.chunkIndex), value: this.#seal(id, chunk.chunkIndex, encode('ReconcileResult', result)) })
    return result
  }

  /** The item names whose digests differ; only the record that differs is decrypted. */
  async #differingFields (subject: Buffer, theirs: Uint8Array): Promise<string[]> {
    if (theirs.length === 0) return []
    const ours = await this.#store.residentBySubject(subject)
    return ours === undefined ? [] : differingItems(itemDigests(ours), theirs)
  }

  /** The last chunk is durable: find what the CS did not send, record the run, answer with the summary. */
  async #close (id: Buffer, state: ReconcileRunState): Promise<ReconcileResult> {
    const [finalBytes] = await this.#work.getMany([finalKey(id)])
    if (finalBytes !== undefined) return decode('ReconcileResult', this.#open(id, 0xffffffff, finalBytes))
    if (state.closeFrom === 0) {
      state.closeFrom = this.#store.head().position + 1
      await this.#work.write([{ key: runKey(id), value: Buffer.from(encode('ReconcileRunState', state)) }])
    }
    const lastIndex = state.chunkCount - 1
    const missing = await this.#missingAtCs(id, state.municipalityCode)
    const summary: ReconcileSummary = { ...EMPTY_SUMMARY, ...state.summary, recordsHere: missing.here, missingAtCs: missing.differences.length }
    const all: ReconcileDifference[] = []
    for await (const chunkResult of this.#chunkResults(id, state.chunkCount)) all.push(...chunkResult.differences)
    all.push(...missing.differences)
    const runPosition = await this.#recordRun(state, all, summary)
    const lastChunk = await this.#storedResult(id, lastIndex)
    const final: ReconcileResult = {
      municipalityCode: state.municipalityCode,
      sessionId: state.sessionId,
      chunkIndex: lastIndex,
      complete: true,
      differences: [...lastChunk.differences, ...missing.differences.slice(0, MAX_FINAL_DIFFERENCES)],
      summary,
      reasonCode: ''
    }
    state.complete = true
    state.runPosition = runPosition
    state.summary = summary
    await this.#work.write([
      { key: finalKey(id), value: this.#seal(id, 0xffffffff, encode('ReconcileResult', final)) },
      { key: runKey(id), value: Buffer.from(encode('ReconcileRunState', state)) }
    ])
    // The blind indexes were only needed to find what the CS did not send.
    await this.#work.clearRange(...seenRange(id))
    this.#logger.info({ event: 'store.reconcile.closed', municipality: state.municipalityCode, position: runPosition, ...summary }, 'reconciliation run closed')
    this.#onRun(all.length === 0 ? 'matched' : 'mismatched', all.map((d) => d.kind))
    return final
  }

  /** One ordered walk of the municipality's `rdigest` range and the run's seen set (both by subject). */
  async #missingAtCs (id: Buffer, municipalityCode: string): Promise<{ here: number, differences: ReconcileDifference[] }> {
    const seen = this.#work.iterate(...seenRange(id))[Symbol.asyncIterator]()
    let seenChunk: ReadonlyArray<readonly [Buffer, Buffer]> = []
    let si = 0
    let seenDone = false
    const nextSeen = async (): Promise<Buffer | undefined> => {
      while (si >= seenChunk.length) {
        if (seenDone) return undefined
        const r = await seen.next()
        if (r.done === true) { seenDone = true; return undefined }
        seenChunk = r.value
        si = 0
      }
      return seenChunk[si]?.[0].subarray(17)
    }
    let here = 0
    const missingSubjects: Buffer[] = []
    for await (const chunk of this.#store.contentTagsOf(municipalityCode)) {
      for (const [subject] of chunk) {
        here++
        let s = await nextSeen()
        while (s !== undefined && Buffer.compare(s, subject) < 0) { si++; s = await nextSeen() }
        if (s !== undefined && s.equals(subject)) si++
        else missingSubjects.push(Buffer.from(subject))
      }
    }
    await seen.return?.()
    const differences: ReconcileDifference[] = []
    for (const subject of missingSubjects) {
      const record = await this.#store.residentBySubject(subject)
      if (record !== undefined) differences.push({ juminhyoCode: record.juminhyoCode, kind: DifferenceKind.MISSING_AT_CS, fields: [] })
    }
    return { here, differences }
  }

  async * #chunkResults (id: Buffer, count: number): AsyncGenerator<ReconcileResult> {
    for (let i = 0; i < count; i += 256) {
      const keys = Array.from({ length: Math.min(256, count - i) }, (_, k) => chunkKey(id, i + k))
      const values = await this.#work.getMany(keys)
      for (let k = 0; k < values.length; k++) {
        const v = values[k]
        if (v !== undefined) yield decode('ReconcileResult', this.#open(id, i + k, v))
      }
    }
  }

  /** Record the run once: a close cut off after its act was durable finds the act again (from closeFrom). */
  async #recordRun (state: ReconcileRunState, differences: ReconcileDifference[], summary: ReconcileSummary): Promise<number> {
    const note = runNote(state)
    for await (const record of this.#store.entries(state.closeFrom)) {
      const act = record.entry.act
      if (act !== undefined && act !== null && act.kind === 'reconcile.run' && act.note === note) return record.position
    }
    const detail = encode('ReconcileRunDetail', { municipalityCode: state.municipalityCode, sessionId: state.sessionId, snapshotDate: state.snapshotDate, source: state.source, differences, summary })
    const head = await this.#store.recordAct({ kind: 'reconcile.run', actor: state.actor, terminal: state.municipalityCode, count: differences.length, note, detail })
    return head.position
  }

  async #storedResult (id: Buffer, index: number): Promise<ReconcileResult> {
    const [bytes] = await this.#work.getMany([chunkKey(id, index)])
    if (bytes === undefined) throw new RangeError('acknowledged chunk without a stored result')
    return decode('ReconcileResult', this.#open(id, index, bytes))
  }

  #seal (id: Buffer, index: number, plain: Uint8Array): Buffer {
    return seal(this.#store.reconcileWorkKey(), sealAad(SealPurpose.RECONCILE_WORK, id, index), plain)
  }

  #open (id: Buffer, index: number, sealed: Uint8Array): Buffer {
    return open(this.#store.reconcileWorkKey(), sealAad(SealPurpose.RECONCILE_WORK, id, index), sealed)
  }
}

/** The act's note: municipality, source and session (no personal data), how a run is found again. */
export function runNote (state: Pick<ReconcileRunState, 'municipalityCode' | 'sessionId' | 'source' | 'snapshotDate'>): string {
  return `${state.municipalityCode} ${state.source} ${state.snapshotDate} ${state.sessionId}`
}

interface Pending {
  readonly chunk: ReconcileChunk
  readonly source: RunSource
  readonly actor: string
  readonly resolve: (r: ReconcileResult) => void
  readonly reject: (e: unknown) => void
}

function newState (chunk: ReconcileChunk, source: RunSource, actor: string, now: Date): ReconcileRunState {
  return {
    municipalityCode: chunk.municipalityCode,
    sessionId: chunk.sessionId,
    chunkCount: chunk.chunkCount,
    snapshotDate: chunk.snapshotDate,
    nextChunk: 0,
    summary: { ...EMPTY_SUMMARY },
    complete: false,
    runPosition: 0,
    closeFrom: 0,
    source,
    actor,
    startedAt: now.toISOString()
  }
}

function refusal (municipalityCode: string, sessionId: string, chunkIndex: number, reasonCode: string): ReconcileResult {
  return { municipalityCode, sessionId, chunkIndex, complete: false, differences: [], summary: null, reasonCode }
}
