/**
 * A reconciliation run (整合性確認, SPEC §5.3; requirements C1, C4, H17) on the store's side. A CS
 * streams its residents in chunks (住民票コード + content digest, docs/reconciliation.md); each chunk
 * is compared with the `rdigest` view — blind content tags, so nothing is decrypted but the few
 * records that differ — and its result is made durable, with the blind indexes it saw and the run's
 * counts, in one fsynced batch before it is answered. A chunk sent again gets the same result and is
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

export class Reconciler {
  readonly #store: Store
  readonly #work: WorkDb
  readonly #logger: StoreLogger
  readonly #clock: () => Date
  /** One chunk of a run at a time, in arrival order. */
  readonly #runs = new Map<string, Promise<unknown>>()

  constructor (store: Store, work: WorkDb, options: { logger?: StoreLogger, clock?: () => Date } = {}) {
    this.#store = store
    this.#work = work
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
      return refusal(municipalityCode, '', 0, err.code)
    }
    const key = `${municipalityCode}/${chunk.sessionId}`
    const previous = this.#runs.get(key) ?? Promise.resolve()
    const next = previous.catch(() => undefined).then(async () => await this.#take(chunk, source, actor))
    this.#runs.set(key, next)
    try {
      return await next
    } finally {
      if (this.#runs.get(key) === next) this.#runs.delete(key)
    }
  }

  async #take (chunk: ReconcileChunk, source: RunSource, actor: string): Promise<ReconcileResult> {
    const id = runId(chunk.municipalityCode, chunk.sessionId)
    const [stateBytes] = await this.#work.getMany([runKey(id)])
    let state: ReconcileRunState
    if (stateBytes === undefined) {
      if (chunk.chunkIndex !== 0) return refusal(chunk.municipalityCode, chunk.sessionId, chunk.chunkIndex, reject.KEN_REJECT_RECONCILE_CHUNK_ORDER.code)
      state = {
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
        startedAt: this.#clock().toISOString()
      }
    } else {
      state = decode('ReconcileRunState', stateBytes)
      if (state.chunkCount !== chunk.chunkCount || state.snapshotDate !== chunk.snapshotDate) return refusal(chunk.municipalityCode, chunk.sessionId, chunk.chunkIndex, reject.KEN_REJECT_RECONCILE_SESSION.code)
    }
    const last = chunk.chunkIndex === chunk.chunkCount - 1
    if (chunk.chunkIndex < state.nextChunk) {
      // Sent again (a cut before the acknowledgement reached the CS): the same answer, nothing counted.
      if (last) return await this.#close(id, state)
      return await this.#storedResult(id, chunk.chunkIndex)
    }
    if (chunk.chunkIndex > state.nextChunk) return refusal(chunk.municipalityCode, chunk.sessionId, chunk.chunkIndex, reject.KEN_REJECT_RECONCILE_CHUNK_ORDER.code)
    const result = await this.#compare(id, chunk, state)
    if (last) return await this.#close(id, state)
    return result
  }

  /** Compare one chunk with the file and make its result durable (one fsynced batch). */
  async #compare (id: Buffer, chunk: ReconcileChunk, state: ReconcileRunState): Promise<ReconcileResult> {
    const lg = chunk.municipalityCode
    const subjects = this.#store.subjectTokens(chunk.records.map((r) => r.juminhyoCode))
    const seen = await this.#work.getMany(subjects.map((s) => seenKey(id, s)))
    const tags = await this.#store.contentTags(lg, subjects)
    const summary = { ...EMPTY_SUMMARY, ...state.summary }
    const differences: ReconcileDifference[] = []
    const ops: WorkOp[] = []
    const inChunk = new Set<string>()
    for (let i = 0; i < chunk.records.length; i++) {
      const record = chunk.records[i]
      const subject = subjects[i]
      if (record === undefined || subject === undefined) continue
      const s = subject.toString('latin1')
      // A code sent twice in one run counts once.
      if (seen[i] !== undefined || inChunk.has(s)) continue
      inChunk.add(s)
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
    ops.push({ key: runKey(id), value: Buffer.from(encode('ReconcileRunState', state)) })
    await this.#work.write(ops)
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

function refusal (municipalityCode: string, sessionId: string, chunkIndex: number, reasonCode: string): ReconcileResult {
  return { municipalityCode, sessionId, chunkIndex, complete: false, differences: [], summary: null, reasonCode }
}
