/**
 * The store (SPEC §4): one append-only, hash-chained log and the views derived from it, behind an
 * abstract class in the manner of abstract-level — the public methods validate, encode and keep the
 * state; the protected `_` methods only do I/O. LevelStore and MemoryStore implement the I/O, and one
 * conformance suite (tests/unit/store/conformance.ts) holds both to docs/store-contract.md.
 */
import { LogAdminKind, LogUpdateKind, type AppendItem, type FuhyoUpdate, type LogAdminAct, type Update, type UpdateResult } from '../../../proto/src/types.ts'
import { isKenError, type KenError } from '../../../proto/src/ken-error.ts'
import type { FuhyoRecord, ResidentRecord } from '../domain/records.ts'
import { GroupCommitter } from './group-commit.ts'
import { runGroup, settled, viewsCaughtUp, type GroupEnv, type Job } from './commit-group.ts'
import { blockKeyAtOrBefore, readAppliedHead, readLogHead, rebuildViews, recoverViews, VIEWS_VERSION } from './recovery.ts'
import { validateItems } from './validate-items.ts'
import { Keyring, keyName, periodKeyId } from './keyring.ts'
import { randomBytes } from 'node:crypto'
import { dueRows, expiredPeriodKeys, personKeys, type ErasureReader } from './erasure.ts'
import { getCurrent } from './current-view.ts'
import { openSlot, sealSlot, slotCreatedAt, TEMP_DRAWN_KIND, TEMP_ERASED_KIND } from './temp-area.ts'
import { jstDateOf, lastExpiredPeriod, MIN_ACT_RETENTION_YEARS, RECORD_RETENTION_YEARS } from '../domain/retention.ts'
import { isActKind } from '../../../proto/src/act-kinds.ts'
import { querySearchKey } from './search-keys.ts'
import { open as openSeal, sealAad, SealPurpose } from './sealing.ts'
import { decodeStored, decodeStoredMessage, fuhyoRecord, residentRecord } from './codec.ts'
import { ChainVerifier, type ChainSlice } from './chain-verifier.ts'
import { entryPosition, frameEntryBytes, frameHash, GENESIS_HASH, nextFrame, type FrameRef } from './log-block.ts'
import { decodeForwardEntry, type ForwardEntry, type ForwardRecord } from './forward-entry.ts'
import { encodeForwardIdentity } from './forward-items.ts'
import { frameHashes } from './forward-hashes.ts'
import { openForwardBatch, updateItems, type ForwardItems, type ForwardOutcome } from './forward-open.ts'
import { countsKey, CURRENT_SPACE, RESIDENT_NUMBER_BYTES, decodeU64, DueKind, rdigestKey, HASH_BYTES, OUTBOX_CONFIRMED, positionKey, prefixEnd, VIEW_SPACES, type Space, type ViewSpace, type WriteOp } from './layout.ts'
import { SILENT_LOGGER, type ActInput, type AdminActor, type RetentionOptions, type RetentionReport, type Counts, type Head, type HistoryItem, type KeyedRecord, type LogIo, type LogRecord, type Range, type StoreLogger, type StoreOptions, type VerifyResult } from './store-types.ts'
import { LogTree } from './log-tree.ts'
import { readKept, treeReportFromRoots, verifyResult, verifyTree } from './verify-tree.ts'
import { openCheckpoint, type NoteVerifier } from '../log/checkpoint/index.ts'
import type { TreeReport } from './verify-tree.ts'
import { TransparencyReader } from './transparency.ts'
import { errors } from './errors.ts'
import { actIndexPosition, caseIdOf, caseRange, CASE_ID_BYTES, subjectRange } from './act-index.ts'

/** What {@link Store.backupSnapshot} hands out: the head, and each primary space's pairs in key order. */
export interface BackupSnapshot {
  readonly head: Head
  readonly spaces: ReadonlyArray<{ readonly space: 'log' | 'keys', readonly chunks: AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>> }>
}

export type { ForwardRecord } from './forward-entry.ts'
export type { ActInput, AdminActor, RetentionOptions, RetentionReport, Counts, Head, HistoryItem, KeyedRecord, LogRecord, Range, StoreLogger, StoreOptions, VerifyResult } from './store-types.ts'

const JUMINHYO = /^[0-9]{11}$/
const KOJIN = /^[0-9]{12}$/
const MUNICIPALITY = /^[0-9]{6}$/
const KEY_ID = /^[0-9a-f]{32}$/
/** The hash forwardEntries gives an entry that is not a forward (none is computed). */
const NO_HASH = Buffer.alloc(0)

export abstract class Store {
  readonly #keyring: Keyring | undefined
  readonly #committer: GroupCommitter<Job>
  readonly #readOnly: boolean
  readonly #prepareKeys: boolean
  readonly #io: LogIo
  readonly #env: GroupEnv
  readonly #checkpointIntervalMs: number
  readonly #signer: StoreOptions['logSigner']
  #deferredCheckpoint: NodeJS.Timeout | undefined
  protected readonly logger: StoreLogger
  #state: 'new' | 'opening' | 'open' | 'closing' | 'closed' = 'new'

  constructor (options: StoreOptions = {}) {
    const maxDelayMs = options.maxDelayMs ?? 2
    const maxEntries = options.maxEntries ?? 512
    if (!(maxDelayMs >= 0 && maxDelayMs <= 1000)) throw errors.KEN_ERR_STORE_INVALID_OPTIONS('maxDelayMs must be 0…1000', { field: 'maxDelayMs' })
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1 || maxEntries > 65536) throw errors.KEN_ERR_STORE_INVALID_OPTIONS('maxEntries must be 1…65536', { field: 'maxEntries' })
    this.#keyring = options.applianceKey === undefined ? undefined : new Keyring(options.applianceKey)
    this.logger = options.logger ?? SILENT_LOGGER
    this.#readOnly = options.readOnly ?? false
    this.#prepareKeys = options.prepareKeys ?? false
    this.#checkpointIntervalMs = options.checkpointIntervalMs ?? 1000
    if (!(this.#checkpointIntervalMs >= 0 && this.#checkpointIntervalMs <= 3_600_000)) throw errors.KEN_ERR_STORE_INVALID_OPTIONS('checkpointIntervalMs must be 0…3600000', { field: 'checkpointIntervalMs' })
    this.#signer = options.logSigner
    this.#io = {
      getMany: async (space, keys) => await this._getMany(space, keys),
      write: async (ops) => await this._write(ops),
      iterate: (space, range) => this._iterate(space, range),
      clear: async (space) => await this._clear(space)
    }
    const logger = this.logger
    const env: GroupEnv = {
      io: this.#io,
      keyring: this.#keyring,
      clock: options.clock ?? (() => new Date()),
      logger,
      tree: undefined,
      head: { position: 0, hash: GENESIS_HASH },
      tip: { position: 0, hash: GENESIS_HASH },
      pending: [],
      failed: undefined,
      // A failed durable write leaves the files in an unknown state (it may or may not have reached
      // the disk): stop writing, as databases do after a failed fsync; restart and recovery resolve it.
      onFailure: (err: KenError) => {
        if (env.failed !== undefined) return
        env.failed = err
        logger.error({ event: 'store.commit.failed', code: err.code }, 'commit failed; refusing writes until restart')
        options.onFatal?.(err)
      }
    }
    this.#env = env
    const onGroup = options.onGroup
    this.#committer = new GroupCommitter<Job>({ maxDelayMs, maxEntries }, onGroup === undefined
      ? async (jobs) => await runGroup(jobs, env)
      : async (jobs) => {
        const started = performance.now()
        await runGroup(jobs, env)
        onGroup(jobs.reduce((n, j) => n + j.weight, 0), (performance.now() - started) / 1000)
      })
  }

  // ---- lifecycle ----

  /** Open the files and bring the views to the log's head (SPEC §8: never a full replay when consistent). */
  async open (): Promise<void> {
    if (this.#state !== 'new') throw errors.KEN_ERR_STORE_NOT_OPEN(`cannot open in state ${this.#state}`)
    this.#state = 'opening'
    try {
      await this._open()
      if (this.#prepareKeys && !this.#readOnly) this.#keyring?.prepareKeys()
      // Read-only (verify): look at the log as it is, even when its last block is damaged.
      const recovered: Head & { migrated?: number } = this.#readOnly ? await readLogHead(this.#io).catch(() => this.#env.head) : await recoverViews(this.#io, this.logger)
      this.#env.head = { position: recovered.position, hash: recovered.hash }
      this.#env.tip = this.#env.head
      // Read-only (verify) recomputes the tree itself and writes nothing.
      if (!this.#readOnly) {
        this.#env.tree = await LogTree.open(this.#io, this.#env.head.position, { intervalMs: this.#checkpointIntervalMs, ...(this.#signer === undefined ? {} : { signer: this.#signer }) }, this.logger)
        this.#env.tree.onDeferred = (waitMs) => { this.#deferCheckpoint(waitMs) }
        // A log recovered after a crash gets its checkpoint now, not at the next group.
        await this.#issueCheckpoint()
      }
      this.#state = 'open'
      const migrated = recovered.migrated
      if (migrated !== undefined) {
        // docs/store-contract.md "Keys that die on time": an earlier store migrates itself, logged.
        const act = adminAct(LogAdminKind.REBUILD, { actor: 'ken-store', approver: '', note: `migration: views v${VIEWS_VERSION} (a key per record, retention terms, acts by person and case, current records, search and 個人番号 indexes by resident number, three search keys per resident)` }, { replayed: migrated })
        await new Promise<Head>((resolve, reject) => { this.#committer.push({ kind: 'admin', weight: 1, exclusive: false, act, resolve, reject }) })
      }
    } catch (err) {
      this.#state = 'closed'
      await this.#keyring?.close()
      await this._close().catch(() => undefined)
      throw err
    }
  }

  /** Finish every queued and in-flight group, then close. Appends after this are refused. */
  async close (): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return
    this.#state = 'closing'
    clearTimeout(this.#deferredCheckpoint)
    await this.#committer.drain()
    await settled(this.#env)
    // SPEC §4: a checkpoint on shutdown, so the last groups are covered by a signed root.
    if (this.#env.failed === undefined) await this.#issueCheckpoint()
    this.#state = 'closed'
    await this.#keyring?.close()
    await this._close()
  }

  get isOpen (): boolean {
    return this.#state === 'open'
  }

  // ---- writes ----

  /**
   * Append updates and gateway refusals (store.proto AppendItem). Each item makes one log entry
   * (accepted, or a rejection record) — except a redelivery of a known (municipality, stream,
   * 更新順番号), which makes none and repeats the first result (DUPLICATE). Items are applied in
   * order, after every earlier append. MUST NOT resolve before the entries are durable (fsync).
   * @throws KEN_ERR_STORE_INVALID_ITEM (nothing of the request is committed)
   */
  async append (items: readonly AppendItem[]): Promise<UpdateResult[]> {
    validateItems(items)
    this.#checkWritable()
    if (items.length === 0) return []
    // While the request waits for its group, a worker makes the blind indexes it will need (index-ahead.ts).
    this.#keyring?.indexAhead(items)
    return await new Promise<UpdateResult[]>((resolve, reject) => {
      this.#committer.push({ kind: 'append', weight: items.length, exclusive: false, items, resolve, reject })
    })
  }

  /**
   * Crypto-shredding (SPEC §2.5): destroy one resident's data key. Recorded as an administrative act
   * in the group that deletes the wrapped key (never before the act is durable). The log still verifies; the data is unreadable.
   * @param keyId the resident key id (hex, from {@link keyIdOf})
   * @throws KEN_ERR_STORE_KEY_UNKNOWN when no such key exists (or it was erased already)
   */
  async eraseResidentKey (keyId: string, by: AdminActor): Promise<Head> {
    if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('keyId must be 32 hex digits', { field: 'keyId' })
    checkActor(by, true)
    this.#checkWritable()
    const act = adminAct(LogAdminKind.KEY_ERASURE, by, { keyId: Buffer.from(keyId, 'hex') })
    return await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'admin', weight: 1, exclusive: false, act, resolve, reject })
    })
  }

  /**
   * 物理削除 on a municipality's request (SPEC §2.5, requirements E5, H24): destroy every key that
   * seals a record of the person — current, history, 附票 — in one administrative entry that names
   * the requester, the approver and the request reference (in `note`), never the content. A request
   * without a second approver, or approved by the requester, is refused and the refusal recorded.
   * @throws KEN_ERR_STORE_APPROVER, KEN_ERR_STORE_UNKNOWN_RESIDENT, KEN_ERR_STORE_KEY_UNKNOWN (done already)
   */
  async eraseResident (juminhyoCode: string, by: AdminActor): Promise<{ head: Head, keys: number }> {
    const code = checkCode(juminhyoCode)
    checkActor(by, false)
    if (by.note === undefined || by.note.length === 0) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('the municipality request reference is required', { field: 'note' })
    const keyring = this.#requireKeyring()
    this.#checkWritable()
    if (by.approver.length === 0 || by.approver === by.actor) {
      await this.recordAct({ kind: 'store.physical-deletion-refused', actor: by.actor, approver: by.approver, refused: true, reasonCode: errors.KEN_ERR_STORE_APPROVER.code, note: by.note, juminhyoCodes: [code] })
      throw errors.KEN_ERR_STORE_APPROVER()
    }
    await viewsCaughtUp(this.#env)
    const found = await personKeys(this.#reader(), keyring.subjectToken(code))
    if (found === undefined) throw errors.KEN_ERR_STORE_UNKNOWN_RESIDENT()
    const act = adminAct(LogAdminKind.PHYSICAL_DELETION, by, { keyIds: found.keyIds })
    const head = await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'admin', weight: 1, exclusive: false, act, resolve, reject })
    })
    await this._compactErased('keys', act.keyIds)
    return { head, keys: act.keyIds.length }
  }

  /**
   * The retention job (SPEC §2.5, E1–E3, H23): destroy the keys of every record whose term ended
   * before today (the store's clock, JST), the period keys of acts past their retention, and the
   * 附票 temporary-area slots past their limit; one administrative entry per run that erased anything,
   * with counts and dates only. `verify`, the tree and every checkpoint stay valid: the log holds ciphertext.
   */
  async runRetention (by: { actor: string }, options: RetentionOptions = {}): Promise<RetentionReport> {
    checkActor({ actor: by.actor, approver: '' }, false)
    const recordYears = options.recordYears ?? RECORD_RETENTION_YEARS
    if (!Number.isInteger(recordYears) || recordYears < RECORD_RETENTION_YEARS) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT(`records are kept at least ${RECORD_RETENTION_YEARS} years`, { field: 'recordYears' })
    const actYears = options.actYears ?? MIN_ACT_RETENTION_YEARS
    if (!Number.isInteger(actYears) || actYears < MIN_ACT_RETENTION_YEARS) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT(`acts are kept at least ${MIN_ACT_RETENTION_YEARS} years`, { field: 'actYears' })
    this.#checkWritable()
    await viewsCaughtUp(this.#env)
    const now = this.#env.clock()
    const today = jstDateOf(now)
    const reader = this.#reader()
    const due = await dueRows(reader, today, recordYears, options.maxKeys ?? 100_000)
    const through = lastExpiredPeriod(today, actYears)
    const periods = await expiredPeriodKeys(reader, through)
    const count = (kind: DueKind): number => due.filter((d) => d.kind === kind).length
    const act = adminAct(LogAdminKind.RETENTION, { actor: by.actor, approver: '', note: '' }, {
      keyIds: [...due.map((d) => d.keyId), ...periods],
      dueRows: due.map((d) => d.row),
      historyErased: count(DueKind.HISTORY),
      removedErased: count(DueKind.REMOVED),
      fuhyoErased: count(DueKind.FUHYO),
      periodsErased: periods.length,
      through: today
    })
    // A run that finds nothing due destroys nothing and records nothing (the daemon logs that it ran).
    const head = due.length === 0 && periods.length === 0
      ? undefined
      : await new Promise<Head>((resolve, reject) => {
        this.#committer.push({ kind: 'admin', weight: 1, exclusive: false, act, resolve, reject })
      })
    const tempExpired = await this.#expireTemp(by.actor, now.getTime() - (options.tempLimitMs ?? DEFAULT_TEMP_LIMIT_MS))
    await this._compactErased('keys', act.keyIds)
    return { position: head?.position, today, historyErased: act.historyErased, removedErased: act.removedErased, fuhyoErased: act.fuhyoErased, periodsErased: act.periodsErased, periodsThrough: through, tempExpired }
  }

  /**
   * Draw the 個人番号 of a person for a lawful 附票 request about a person who moved abroad (SPEC
   * §2.2, E6) into the temporary area; returns the slot id (hex) to read it and confirm delivery with.
   */
  async drawFuhyoKojin (juminhyoCode: string, by: { actor: string, purpose: string }): Promise<string> {
    const code = checkCode(juminhyoCode)
    const keyring = this.#requireKeyring()
    const record = await this.getCurrent(code)
    if (record === undefined) throw errors.KEN_ERR_STORE_UNKNOWN_RESIDENT()
    if (record.kojinBango === '') throw errors.KEN_ERR_STORE_NO_KOJIN_BANGO()
    this.#checkWritable()
    const slot = randomBytes(16)
    const value = sealSlot(keyring, slot, record.kojinBango, this.#env.clock())
    await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'temp', weight: 1, exclusive: false, slot, value, act: { kind: TEMP_DRAWN_KIND, actor: by.actor, purpose: by.purpose, juminhyoCodes: [code] }, resolve, reject })
    })
    return slot.toString('hex')
  }

  /** The 個人番号 in a temporary-area slot. @throws KEN_ERR_STORE_TEMP_UNKNOWN once erased */
  async readFuhyoKojin (slotId: string): Promise<string> {
    const slot = checkSlot(slotId)
    const keyring = this.#requireKeyring()
    const value = await this.#get('temp', slot)
    if (value === undefined) throw errors.KEN_ERR_STORE_TEMP_UNKNOWN()
    return openSlot(keyring, slot, value)
  }

  /** Delivery confirmed: erase the slot, its key and its 個人番号 unrecoverably (E6, H25). */
  async confirmFuhyoKojinDelivery (slotId: string, by: { actor: string }): Promise<Head> {
    const slot = checkSlot(slotId)
    this.#checkWritable()
    const head = await this.#eraseSlot(slot, by.actor, 'delivered')
    await this._compactErased('temp', [slot])
    return head
  }

  async #eraseSlot (slot: Buffer, actor: string, note: string): Promise<Head> {
    return await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'temp', weight: 1, exclusive: false, slot, value: null, act: { kind: TEMP_ERASED_KIND, actor, note }, resolve, reject })
    })
  }

  async #expireTemp (actor: string, createdBefore: number): Promise<number> {
    const expired: Buffer[] = []
    for await (const chunk of this._iterate('temp', {})) {
      for (const [slot, value] of chunk) if (slotCreatedAt(value) <= createdBefore) expired.push(Buffer.from(slot))
    }
    for (const slot of expired) await this.#eraseSlot(slot, actor, 'expired')
    await this._compactErased('temp', expired)
    return expired.length
  }

  #reader (): ErasureReader {
    return { get: async (space, key) => (await this._getMany(space, [key]))[0], iterate: (space, range) => this._iterate(space, range) }
  }

  /**
   * Record an act of a person or a front daemon (SPEC §4 first bullet, §6 操作履歴) as one entry; its
   * `detail` is sealed under the month's period key and its residents kept as blind indexes.
   * Resolves with the entry's position and hash once it is durable (like an append).
   * @throws KEN_ERR_STORE_ACT_KIND for a kind not in proto/src/act-kinds.ts; KEN_ERR_STORE_INVALID_ARGUMENT
   */
  async recordAct (input: ActInput): Promise<Head> {
    const act = checkAct(input)
    this.#checkWritable()
    if ((act.detail !== undefined && act.detail.length > 0) || (act.juminhyoCodes?.length ?? 0) > 0) this.#requireKeyring()
    return await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'act', weight: 1, exclusive: false, act, resolve, reject })
    })
  }

  /**
   * The personal part of an act entry, decrypted (undefined when the act has none).
   * @throws KEN_ERR_STORE_KEY_ERASED once its period key was shredded (retention, SPEC §2.5)
   */
  async openActDetail (record: LogRecord): Promise<Buffer | undefined> {
    const act = record.entry.act
    if (act === undefined || act === null || act.sealedDetail.length === 0) return undefined
    const keyId = periodKeyId(act.period)
    return openSeal(await this.#dataKey(keyId), sealAad(SealPurpose.ACT, keyId, record.position), act.sealedDetail)
  }

  /**
   * Drop every view and replay the whole log into them (SPEC §4), then record the act. Runs alone:
   * appends queued after it wait. The views come out byte-identical to what appending made.
   */
  async rebuild (by: AdminActor): Promise<{ replayed: number, head: Head }> {
    checkActor(by, false)
    this.#checkWritable()
    let replayed = 0
    await new Promise<void>((resolve, reject) => {
      this.#committer.push({ kind: 'task', weight: 1, exclusive: true, resolve, reject, fn: async () => { ({ replayed, head: this.#env.head } = await rebuildViews(this.#io, this.logger)); this.#env.tip = this.#env.head } })
    })
    const act = adminAct(LogAdminKind.REBUILD, by, { replayed })
    const head = await new Promise<Head>((resolve, reject) => {
      this.#committer.push({ kind: 'admin', weight: 1, exclusive: false, act, resolve, reject })
    })
    return { replayed, head }
  }

  /**
   * A consistent copy of the primary spaces (the log and the wrapped keys) for a backup (SPEC §7,
   * sources D4): taken as an exclusive task, so the head and the snapshots of LevelDB's iterators
   * (each iterator reads the database as it was when it was made) agree; read afterwards while
   * appends go on. The views are not copied: restore rebuilds them from the log.
   */
  async backupSnapshot (): Promise<BackupSnapshot> {
    this.#checkWritable()
    const opened: Array<{ space: 'log' | 'keys', it: AsyncIterator<ReadonlyArray<readonly [Buffer, Buffer]>>, first: IteratorResult<ReadonlyArray<readonly [Buffer, Buffer]>> }> = []
    let head: Head = this.#env.head
    await new Promise<void>((resolve, reject) => {
      this.#committer.push({
        kind: 'task',
        weight: 1,
        exclusive: true,
        resolve,
        reject,
        fn: async () => {
          await settled(this.#env)
          head = this.#env.head
          for (const space of ['log', 'keys'] as const) {
            const it = this.#io.iterate(space, {})[Symbol.asyncIterator]()
            // The first read makes the iterator, and with it the snapshot, inside the task.
            opened.push({ space, it, first: await it.next() })
          }
        }
      })
    })
    return {
      head,
      spaces: opened.map(({ space, it, first }) => ({
        space,
        chunks: (async function * () {
          if (first.done !== true) yield first.value
          while (true) {
            const next = await it.next()
            if (next.done === true) return
            yield next.value
          }
        })()
      }))
    }
  }

  // ---- reads (committed state) ----

  /** The last committed entry. */
  head (): Head {
    return this.#env.head
  }

  /** The current 本人確認情報 under a 住民票コード (removed persons included), or undefined. */
  async getCurrent (juminhyoCode: string): Promise<ResidentRecord | undefined> {
    return await this.getCurrentBySubject(this.#requireKeyring().subjectToken(checkCode(juminhyoCode)))
  }

  /**
   * The residents (as resident numbers, layout.ts residentNumber; views v5) under the search key of a
   * 4情報 query (search-keys.ts), at most `limit`, in the order they were first registered: the
   * terminal's search reads candidates here ({@link getCurrentByNumber}) and narrows them by the
   * sealed records (SPEC §6; results capped — the caller asks one more than it shows). A かな-only
   * query's key is a prefix of its residents' `N ‖ B'` keys, which sort by date token first: past
   * `limit` of them, which ones come is not the registration order (the terminal then shows none).
   */
  async searchResidents (query: { readonly name: string, readonly birthDate: string }, limit: number): Promise<Buffer[]> {
    const keyring = this.#requireKeyring()
    if (!Number.isSafeInteger(limit) || limit < 1) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('limit must be a positive integer', { field: 'limit' })
    const token = querySearchKey((domain, value) => keyring.searchToken(domain, value), query)
    if (token === undefined) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('a search needs a name or a birth date', { field: 'query' })
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const keys = await this._keysIn('search', token, prefixEnd(token), limit)
    // The number is each key's tail (layout.ts searchIndexKey): after 16 bytes, or 24 for `N ‖ B'` under a かな-only prefix.
    for (let i = 0; i < keys.length; i++) keys[i] = (keys[i] as Buffer).subarray(-RESIDENT_NUMBER_BYTES)
    return keys.sort(Buffer.compare)
  }

  /** The blind index (subject) of a 住民票コード. */
  subjectOf (juminhyoCode: string): Buffer {
    return this.#requireKeyring().subjectToken(checkCode(juminhyoCode))
  }

  /** The current 本人確認情報 of a subject (blind index), or undefined. */
  async getCurrentBySubject (subject: Buffer): Promise<ResidentRecord | undefined> {
    this.#requireKeyring()
    return await this.#openCurrent(await this.#current(subject))
  }

  /**
   * The current 本人確認情報 under a resident number (a {@link searchResidents} hit), or undefined:
   * one point read of `~current`, without the `subjects` step (views v5).
   */
  async getCurrentByNumber (number: Buffer): Promise<ResidentRecord | undefined> {
    this.#requireKeyring()
    return await this.#openCurrent(await this.#get(CURRENT_SPACE, number))
  }

  async #openCurrent (bytes: Buffer | undefined): Promise<ResidentRecord | undefined> {
    if (bytes === undefined) return undefined
    const view = decodeStored('ResidentView', bytes)
    const plain = openSeal(await this.#dataKey(view.keyId), sealAad(SealPurpose.RESIDENT, view.keyId, view.position), view.sealedRecord)
    return residentRecord(decodeStored('StoredResident', plain))
  }

  /**
   * The provision and transfer acts that handed over a person's record (提供状況, 住基法30条の32;
   * A4.5), oldest first — also under the 住民票コード the person gave up. At most `limit` (the
   * `actidx` view makes this a range read, not a scan of the log).
   */
  async provisionActsOf (juminhyoCode: string, limit: number): Promise<{ records: LogRecord[], truncated: boolean }> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('limit must be a positive integer', { field: 'limit' })
    const subject = this.#requireKeyring().subjectToken(checkCode(juminhyoCode))
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const current = await this.#current(subject)
    const subjects = [subject, ...(current === undefined ? [] : decodeStored('ResidentView', current).retiredSubjects)]
    const positions: number[] = []
    for (const s of subjects) {
      for await (const chunk of this._iterate('actidx', { ...subjectRange(s), limit: limit + 1 })) for (const [key] of chunk) positions.push(actIndexPosition(key))
    }
    positions.sort((a, b) => a - b)
    return { records: await this.#entriesAt(positions.slice(0, limit)), truncated: positions.length > limit }
  }

  /**
   * The acts of correction cases (30条の35), grouped by case id (hex), each case's acts in log order:
   * one case, or every case when `caseId` is undefined. At most `limit` acts in all.
   */
  async caseActs (caseId: Uint8Array | undefined, limit: number): Promise<{ cases: Map<string, LogRecord[]>, truncated: boolean }> {
    if (caseId !== undefined && caseId.length !== CASE_ID_BYTES) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('a case id is 16 bytes', { field: 'caseId' })
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const keys: Buffer[] = []
    for await (const chunk of this._iterate('actidx', { ...caseRange(caseId), limit: limit + 1 })) for (const [key] of chunk) keys.push(key)
    const cases = new Map<string, LogRecord[]>()
    const records = await this.#entriesAt(keys.slice(0, limit).map(actIndexPosition))
    keys.slice(0, limit).forEach((key, i) => {
      const id = caseIdOf(key).toString('hex')
      const record = records[i]
      if (record !== undefined) cases.set(id, [...(cases.get(id) ?? []), record])
    })
    return { cases, truncated: keys.length > limit }
  }

  /** The log entry at `position`, or undefined past the head. */
  async entryAt (position: number): Promise<LogRecord | undefined> {
    for await (const record of this.entries(position, position)) return record
    return undefined
  }

  async #entriesAt (positions: readonly number[]): Promise<LogRecord[]> {
    const out: LogRecord[] = []
    for (const p of positions) {
      const record = await this.entryAt(p)
      if (record !== undefined) out.push(record)
    }
    return out
  }

  /** The pre-change records filed under a 住民票コード, oldest first. */
  async getHistory (juminhyoCode: string): Promise<HistoryItem[]> {
    this.#requireOpen()
    const subject = this.#requireKeyring().subjectToken(checkCode(juminhyoCode))
    await viewsCaughtUp(this.#env)
    const out: HistoryItem[] = []
    for await (const chunk of this._iterate('history', { gte: subject, lt: prefixEnd(subject) })) {
      for (const [, bytes] of chunk) {
        const view = decodeStored('HistoryView', bytes)
        // SPEC §2.5: each pre-change record dies when its own 150 years end; younger ones stay.
        const dataKey = await this.#dataKey(view.keyId).catch((err: unknown) => { if (isKenError(err, 'KEN_ERR_STORE_KEY_ERASED')) return undefined; throw err })
        if (dataKey === undefined) continue
        const plain = openSeal(dataKey, sealAad(SealPurpose.RESIDENT, view.keyId, view.position), view.sealedRecord)
        out.push({ position: view.position, supersededAt: view.supersededAt, record: residentRecord(decodeStored('StoredResident', plain)) })
      }
    }
    return out
  }

  /** The 住民票コード that holds a 個人番号, or undefined. */
  async findByKojinBango (kojinBango: string): Promise<string | undefined> {
    if (typeof kojinBango !== 'string' || !KOJIN.test(kojinBango)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('個人番号 must be 12 digits', { field: 'kojinBango' })
    // views v5: the index holds the holder's resident number, the `~current` key itself.
    const number = await this.#get('kojin', this.#requireKeyring().kojinToken(kojinBango))
    if (number === undefined) return undefined
    return (await this.#openCurrent(await this.#get(CURRENT_SPACE, number)))?.juminhyoCode
  }

  /** The 附票本人確認情報 under a 住民票コード, or undefined. */
  async getFuhyo (juminhyoCode: string): Promise<FuhyoRecord | undefined> {
    const bytes = await this.#get('fuhyo', this.#requireKeyring().subjectToken(checkCode(juminhyoCode)))
    if (bytes === undefined) return undefined
    const view = decodeStored('FuhyoView', bytes)
    const plain = openSeal(await this.#dataKey(view.keyId), sealAad(SealPurpose.FUHYO, view.keyId, view.position), view.sealedRecord)
    return fuhyoRecord(decodeStored('StoredFuhyo', plain))
  }

  /** The resident key id (hex) of the person under a 住民票コード — what {@link eraseResidentKey} takes. */
  async keyIdOf (juminhyoCode: string): Promise<string | undefined> {
    const subject = this.#requireKeyring().subjectToken(checkCode(juminhyoCode))
    const current = await this.#current(subject)
    if (current !== undefined) return Buffer.from(decodeStored('ResidentView', current).keyId).toString('hex')
    const fuhyo = await this.#get('fuhyo', subject)
    return fuhyo === undefined ? undefined : Buffer.from(decodeStored('FuhyoView', fuhyo).keyId).toString('hex')
  }

  /** The person id (hex) of whoever holds a 住民票コード: it links every record of the person, for life. */
  async personOf (juminhyoCode: string): Promise<string | undefined> {
    const subject = this.#requireKeyring().subjectToken(checkCode(juminhyoCode))
    const current = await this.#current(subject)
    const view = current !== undefined ? decodeStored('ResidentView', current) : undefined
    const fuhyo = view === undefined ? await this.#get('fuhyo', subject) : undefined
    const person = view?.person ?? (fuhyo === undefined ? undefined : decodeStored('FuhyoView', fuhyo).person)
    return person === undefined ? undefined : Buffer.from(person).toString('hex')
  }

  /** Counts of one municipality (zeros when it never sent anything). */
  counts (municipalityCode: string): Promise<Counts>
  /** Counts of every municipality that sent something, by 市町村コード. */
  counts (): Promise<Map<string, Counts>>
  async counts (municipalityCode?: string): Promise<Counts | Map<string, Counts>> {
    const toCounts = (bytes: Buffer): Counts => {
      const c = decodeStored('CountsView', bytes)
      return { current: c.current, accepted: c.accepted, rejected: c.rejected }
    }
    if (municipalityCode !== undefined) {
      if (typeof municipalityCode !== 'string' || !MUNICIPALITY.test(municipalityCode)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('市町村コード must be 6 digits', { field: 'municipalityCode' })
      const bytes = await this.#get('counts', countsKey(municipalityCode))
      return bytes === undefined ? { current: 0, accepted: 0, rejected: 0 } : toCounts(bytes)
    }
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const all = new Map<string, Counts>()
    for await (const chunk of this._iterate('counts', {})) {
      for (const [key, bytes] of chunk) all.set(key.toString('latin1'), toCounts(bytes))
    }
    return all
  }

  /** The national link's confirmed position (SPEC §5.1): the last forward the national side acknowledged, 0 before any. */
  async outboxConfirmed (): Promise<number> {
    const bytes = await this.#get('outbox', OUTBOX_CONFIRMED)
    return bytes === undefined ? 0 : decodeU64(bytes)
  }

  // ---- reconciliation (SPEC §5.3; server/src/store/reconcile/) ----

  /** Blind indexes of 住民票コード (what the views are keyed by); the codes are not kept. */
  subjectTokens (juminhyoCodes: readonly string[]): Buffer[] {
    for (const code of juminhyoCodes) checkCode(code)
    return this.#requireKeyring().subjectTokens(juminhyoCodes)
  }

  /** The key that seals the working state of reconciliation runs (derived from the appliance key). */
  reconcileWorkKey (): Buffer {
    return this.#requireKeyring().workKey
  }

  /** The blind tag of a content digest (docs/reconciliation.md), as the `rdigest` view holds it. */
  contentTag (digest: Uint8Array): Buffer {
    return this.#requireKeyring().contentTag(digest)
  }

  /** The content tags of a municipality's current residents under `subjects` (undefined: none there). */
  async contentTags (municipalityCode: string, subjects: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    return await this._getMany('rdigest', subjects.map((s) => rdigestKey(checkMunicipality(municipalityCode), s)))
  }

  /** Every current resident of a municipality as (subject, content tag), in subject order. */
  async * contentTagsOf (municipalityCode: string): AsyncGenerator<ReadonlyArray<readonly [Buffer, Buffer]>> {
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const prefix = Buffer.from(checkMunicipality(municipalityCode), 'latin1')
    for await (const chunk of this._iterate('rdigest', { gte: prefix, lt: prefixEnd(prefix) })) {
      yield chunk.map(([key, tag]) => [key.subarray(6), tag] as const)
    }
  }

  /** The current record under a blind index, decrypted (only for the residents a run reports). */
  async residentBySubject (subject: Buffer): Promise<ResidentRecord | undefined> {
    const bytes = await this.#current(subject)
    if (bytes === undefined) return undefined
    const view = decodeStored('ResidentView', bytes)
    const plain = openSeal(await this.#dataKey(view.keyId), sealAad(SealPurpose.RESIDENT, view.keyId, view.position), view.sealedRecord)
    return residentRecord(decodeStored('StoredResident', plain))
  }

  /**
   * Log entries with `from ≤ position ≤ to`, in order, with their chain hashes. `decoding: 'message'`
   * yields protobufjs's decoded messages without the `toObject` copy (codec.ts decodeStoredMessage),
   * for readers that only read fields.
   */
  entries (from = 1, to = Number.MAX_SAFE_INTEGER, decoding: 'object' | 'message' = 'object'): AsyncGenerator<LogRecord> {
    return this.#walkLog(from, to, (block, ref, position) => {
      const bytes = frameEntryBytes(block, ref)
      const prevHash = Buffer.from(block.subarray(ref.start, ref.start + HASH_BYTES))
      return { position, hash: frameHash(block, ref), prevHash, entry: decoding === 'message' ? decodeStoredMessage('LogEntry', bytes) : decodeStored('LogEntry', bytes) }
    })
  }

  /**
   * The entries `from ≤ position ≤ to` as the outbox reads them (forward-entry.ts): only the fields
   * a forward needs, and the chain hash only of forwards (issue 18); in order, a log block's at a
   * time (a promise per block, not per entry).
   */
  async * forwardEntries (from: number, to: number): AsyncGenerator<readonly ForwardRecord[]> {
    for await (const { block, refs, positions } of this.#logFrames(from, to)) {
      // The block's entries read, then its forwards hashed in one call (forward-hashes.ts); an entry
      // that does not decode is thrown where it stands, after the ones before it.
      const entries: ForwardEntry[] = []
      const forwards: number[] = []
      let fault: unknown
      for (const ref of refs) {
        try {
          entries.push(decodeForwardEntry(frameEntryBytes(block, ref)))
        } catch (err) {
          fault = err
          break
        }
        if ((entries[entries.length - 1] as ForwardEntry).update !== null) forwards.push(entries.length - 1)
      }
      const hashes = forwards.length === 0 ? [] : frameHashes(block, refs, forwards)
      let k = 0
      const records = new Array<ForwardRecord>(entries.length)
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as ForwardEntry
        records[i] = { position: positions[i] as number, hash: entry.update === null ? NO_HASH : hashes[k++] as Buffer, entry }
      }
      if (records.length > 0) yield records
      if (fault !== undefined) throw fault
    }
  }

  /** The frames of the log's entries `from ≤ position ≤ to`, in order, each made into a record by `make`. */
  async * #walkLog<R> (from: number, to: number, make: (block: Buffer, ref: FrameRef, position: number) => R): AsyncGenerator<R> {
    for await (const { block, refs, positions } of this.#logFrames(from, to)) {
      for (let i = 0; i < refs.length; i++) yield make(block, refs[i] as FrameRef, positions[i] as number)
    }
  }

  /**
   * The frames of the log's entries `from ≤ position ≤ to`, in order, a block at a time. A malformed
   * block is refused after the frames before the fault are given.
   */
  async * #logFrames (from: number, to: number): AsyncGenerator<{ readonly block: Buffer, readonly refs: FrameRef[], readonly positions: number[] }> {
    if (!Number.isSafeInteger(from) || from < 1 || !Number.isSafeInteger(to) || to < from) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('need 1 ≤ from ≤ to', { field: 'from' })
    this.#requireOpen()
    const startKey = await blockKeyAtOrBefore(this.#io, from)
    if (startKey === undefined) return
    for await (const chunk of this._iterate('log', { gte: startKey, lte: positionKey(to) })) {
      for (const [, block] of chunk) {
        const refs: FrameRef[] = []
        const positions: number[] = []
        let offset = 0
        let past = false
        while (offset < block.length) {
          const ref = nextFrame(block, offset)
          if (ref === undefined) {
            if (refs.length > 0) yield { block, refs, positions }
            throw errors.KEN_ERR_STORE_CORRUPT('malformed log block')
          }
          offset = ref.end
          const position = entryPosition(block, ref.start + HASH_BYTES, ref.end)
          if (position < from) continue
          if (position > to) {
            past = true
            break
          }
          refs.push(ref)
          positions.push(position)
        }
        if (refs.length > 0) yield { block, refs, positions }
        if (past) return
      }
    }
  }

  /**
   * The update an entry recorded, decrypted (undefined for a gateway refusal, which keeps no payload).
   * @throws KEN_ERR_STORE_KEY_ERASED after crypto-shredding
   */
  async openUpdate (record: LogRecord): Promise<Update | undefined> {
    const u = record.entry.update
    if (u === undefined || u === null) return undefined
    this.#requireKeyring()
    if (u.sealedUpdate.length > 0) {
      const update = decodeStored('Update', openSeal(await this.#dataKey(u.keyId), sealAad(SealPurpose.UPDATE, u.keyId, record.position), u.sealedUpdate))
      return { ...update, identity: update.identity ?? null, fuhyo: update.fuhyo ?? null }
    }
    const sealedRecord = u.effect?.sealedRecord
    if (u.kind !== LogUpdateKind.IDENTITY || sealedRecord === undefined) return undefined
    // An accepted 本人確認情報 update is kept once, inside its record (planner.ts carriesUpdate).
    const stored = decodeStored('StoredResident', openSeal(await this.#dataKey(u.keyId), sealAad(SealPurpose.RESIDENT, u.keyId, record.position), sealedRecord))
    return {
      municipalityCode: u.municipalityCode,
      stream: u.stream,
      sequence: u.sequence,
      requestId: u.requestId,
      operatorId: stored.operatorId,
      terminalId: stored.terminalId,
      timestamp: stored.timestamp,
      identity: stored.identity ?? null,
      fuhyo: null
    }
  }

  /**
   * Bring the data keys of committed entries into memory with one read, and give them back, one per
   * record (undefined where there is none), for {@link openForward}: each key id is named and looked
   * up once, where `has` here and `cached` again in openUpdate made two lookups and a move (the outbox
   * reader, issue 18). It does not wait for the views: a new wrapped key is durable with, or before,
   * the log block that first uses it (commit-group.ts, step 1), and an erased key is refused by the
   * keyring from its planning on, whatever the disk still holds. Keys it cannot find or open are
   * left to `openUpdate` / `openForward`, which say why.
   */
  async loadDataKeys (records: readonly KeyedRecord[]): Promise<Array<Buffer | undefined>> {
    this.#requireOpen()
    const keyring = this.#requireKeyring()
    const keys = new Array<Buffer | undefined>(records.length).fill(undefined)
    // Records whose key is not in memory, by key id: a person twice in one read is read once.
    const wanted = new Map<string, number[]>()
    const head = this.#env.head.position
    records.forEach((record, i) => {
      const keyId = record.entry.update?.keyId
      if (record.position > head || keyId === undefined || keyId.length === 0) return
      const key = keyring.cached(keyId)
      if (key !== undefined) {
        keys[i] = key
        return
      }
      const name = keyName(keyId)
      const same = wanted.get(name)
      if (same === undefined) wanted.set(name, [i])
      else same.push(i)
    })
    if (wanted.size === 0) return keys
    const users = [...wanted.values()]
    const keyIds = users.map((indexes) => Buffer.from(records[indexes[0] as number]?.entry.update?.keyId ?? []))
    const wrapped = await this._getMany('keys', keyIds)
    // Unwrapped in one call (keyring.ts dataKeys; issue 18); erased ones stay undefined.
    keyring.dataKeys(keyIds, wrapped).forEach((key, i) => {
      if (key === undefined) return
      for (const index of users[i] ?? []) keys[index] = key
    })
    return keys
  }

  /**
   * What an outbox forward carries of an entry (outbox-reader.ts): the 本人確認情報 or 附票 items of
   * its update, decrypted with `dataKey` (from {@link loadDataKeys}) or with the key read now; undefined
   * for an entry that keeps no update. The 本人確認情報 items are read from the sealed record by
   * forward-entry.ts readForwardIdentity (only the 12 a forward carries, no protobufjs messages, no
   * StoredResident around them, no Update; issue 18) and kept encoded as the frame carries them
   * (forward-items.ts). A 附票 is decoded whole (decodeStored), as it is forwarded whole.
   * @throws KEN_ERR_STORE_KEY_ERASED after crypto-shredding, also of a key loaded before it
   */
  async openForward (record: ForwardRecord, dataKey: Buffer | undefined): Promise<ForwardItems | undefined> {
    const u = record.entry.update
    if (u === null) return undefined
    const keyring = this.#requireKeyring()
    // A key loaded before an erasure was wiped with it (keyring.ts forget): refused as dataKey refuses.
    const key = dataKey !== undefined && !keyring.isErased(u.keyId) ? dataKey : await this.#dataKey(u.keyId)
    if (u.sealedUpdate.length > 0) return updateItems(openSeal(key, sealAad(SealPurpose.UPDATE, u.keyId, record.position), u.sealedUpdate))
    const sealedRecord = u.sealedRecord
    if (u.kind !== LogUpdateKind.IDENTITY || sealedRecord === undefined) return undefined
    return { identity: encodeForwardIdentity(openSeal(key, sealAad(SealPurpose.RESIDENT, u.keyId, record.position), sealedRecord)), fuhyo: null }
  }

  /**
   * {@link openForward} for the records of a read whose data key was loaded ({@link loadDataKeys}):
   * their sealed values opened in one call (forward-open.ts; issue 18). For each such record its
   * outcome — the items, undefined, or the error openForward would throw (KEN_ERR_STORE_KEY_ERASED
   * for a key erased since it was loaded) given back, so the reader meets it in log order; null
   * where `keys[i]` is undefined (left to openForward).
   */
  openForwards (records: readonly ForwardRecord[], keys: ReadonlyArray<Buffer | undefined>): Array<ForwardOutcome | null> {
    const keyring = this.#requireKeyring()
    return openForwardBatch(records, keys, (keyId) => keyring.isErased(keyId))
  }

  /** Every key and value of a view, in key order: ciphertext and blind indexes only (rebuild checks, backups). */
  async * scanView (space: ViewSpace): AsyncGenerator<readonly [Buffer, Buffer]> {
    if (!(VIEW_SPACES as readonly string[]).includes(space)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('not a view', { field: 'space' })
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    for await (const chunk of this._iterate(space, {})) yield * chunk
  }

  /**
   * Walk the whole chain (SPEC §4 verify): recompute every hash, and report the first position where
   * an entry was changed, removed or reordered, or where the log ends before the recorded head.
   */
  async verify (options: { threads?: number, verifierKey?: NoteVerifier } = {}): Promise<VerifyResult> {
    const threads = options.threads ?? 1
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > 64) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('threads must be 1…64', { field: 'threads' })
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    const started = performance.now()
    const recorded = await readAppliedHead(this.#io)
    const verifier = options.verifierKey ?? this.#signer?.verifier
    const kept = await readKept(this.#io)
    // Workers hash the tree's tiles while they check the chain (one read of the log); otherwise, or
    // when the chain broke, the tree is recomputed here.
    const slice = await this._verifyLog(threads, recorded, kept.map((k) => k.size))
    const tree = slice.roots === undefined ? await verifyTree(this.#io, verifier) : treeReportFromRoots(kept, slice.roots, slice.lastPosition, verifier)
    return verifyResult(slice, tree, started)
  }

  // ---- protected I/O (implementations) ----

  protected abstract _open (): Promise<void>
  protected abstract _close (): Promise<void>
  /** Read many keys of one space; undefined where absent. */
  protected abstract _getMany (space: Space, keys: readonly Buffer[]): Promise<Array<Buffer | undefined>>
  /** Read one key of a space; undefined where absent. LevelStore answers it without leaving this thread. */
  protected async _get (space: Space, key: Buffer): Promise<Buffer | undefined> {
    const [value] = await this._getMany(space, [key])
    return value
  }
  /** Write all ops durably (fsync) before resolving: the log's ops atomically, keys before and views after them (level-store.ts). */
  protected abstract _write (ops: readonly WriteOp[]): Promise<void>
  /** Iterate a space in key order, in chunks. */
  protected abstract _iterate (space: Space, range: Range): AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
  /** The keys of a space from `gte` (included) to `lt` (excluded) in key order, at most `limit`, without their values. */
  protected async _keysIn (space: Space, gte: Buffer, lt: Buffer, limit: number): Promise<Buffer[]> {
    const out: Buffer[] = []
    for await (const chunk of this._iterate(space, { gte, lt, limit })) for (const [key] of chunk) out.push(key)
    return out
  }
  /** Delete every key of a space. */
  protected abstract _clear (space: Space): Promise<void>

  /**
   * After keys or temporary-area slots were erased: rewrite the files that may still hold them, so that
   * what a physical deletion, the retention job or a confirmed delivery deleted is gone from the disk too, not only from reads
   * (LevelDB keeps deleted values in older files until they are compacted). No-op in memory.
   */
  protected async _compactErased (_space: 'keys' | 'temp', _ids: readonly Uint8Array[]): Promise<void> {}

  /**
   * Verify the chain; the default walks it in this thread. LevelStore overrides with worker threads,
   * which also return the Merkle tree's roots at `sizes` (and at the end) when the chain holds.
   */
  protected async _verifyLog (_threads: number, recorded: Head | undefined, _sizes?: readonly number[]): Promise<ChainSlice & { roots?: Map<number, Buffer> }> {
    const verifier = new ChainVerifier(1, GENESIS_HASH)
    outer: for await (const chunk of this._iterate('log', {})) {
      for (const [key, block] of chunk) if (!verifier.block(key, block)) break outer
    }
    verifier.end(recorded)
    return verifier.slice()
  }

  // ---- the transparency log (docs/transparency-log.md) ----

  /** Checkpoints and proofs of the committed log: read-only, no personal data (transparency.ts). */
  get transparency (): TransparencyReader {
    this.#requireOpen()
    return new TransparencyReader(this.#io, async () => await viewsCaughtUp(this.#env), () => this.#env.head.position)
  }

  /**
   * Hold this store's log to one signed checkpoint from elsewhere (a restore checked against the
   * checkpoint an auditor kept, SPEC §7): its signature must verify with `verifier`, and the root of
   * the log's first `size` entries must be the one it signed. Read-only; recomputes the tree.
   */
  async verifyAgainstCheckpoint (note: string, verifier: NoteVerifier): Promise<TreeReport> {
    this.#requireOpen()
    const opened = openCheckpoint(note, verifier)
    if (!opened.ok) return { ok: false, size: 0, root: '', checkpoints: 1, signaturesChecked: true, issue: { size: 0, kind: 'bad-signature', detail: `the checkpoint does not verify: ${opened.reason}` } }
    await viewsCaughtUp(this.#env)
    const key = positionKey(opened.checkpoint.size)
    const source = {
      iterate: (space: 'log' | 'checkpoints', range: Range) => space === 'log' ? this._iterate('log', range) : (async function * () { yield [[key, Buffer.from(note, 'utf8')] as const] })()
    }
    return await verifyTree(source, verifier)
  }

  /** Seconds since the last checkpoint was issued (SPEC §7 monitoring), if one was since open. */
  checkpointAgeSeconds (): number | undefined {
    const at = this.#env.tree?.lastIssuedAt
    return at === undefined ? undefined : (performance.now() - at) / 1000
  }

  /** The log-signing key's verifier line (`name+hash+base64 key`), when the store signs checkpoints. */
  get logVerifierKey (): string | undefined {
    return this.#signer?.verifier.line
  }

  // ---- internals ----

  /** Issue the checkpoint the interval held back once it has passed, between groups (a task runs alone). */
  #deferCheckpoint (waitMs: number): void {
    if (this.#deferredCheckpoint !== undefined) return
    this.#deferredCheckpoint = setTimeout(() => {
      this.#deferredCheckpoint = undefined
      if (this.#state !== 'open' || this.#env.failed !== undefined) return
      this.#committer.push({ kind: 'task', weight: 1, exclusive: true, fn: async () => await this.#issueCheckpoint(), resolve: () => undefined, reject: (err) => { this.logger.error({ event: 'store.checkpoint.failed', code: (err as { code?: string }).code ?? 'unknown' }, 'a deferred checkpoint could not be written') } })
    }, Math.max(1, Math.ceil(waitMs)))
    this.#deferredCheckpoint.unref()
  }

  async #issueCheckpoint (): Promise<void> {
    const tree = this.#env.tree
    if (tree === undefined || tree.size !== this.#env.head.position) return
    const op = tree.checkpointOp(tree.size, tree.root(), performance.now(), true)
    if (op !== undefined) await this._write([op])
  }

  /** A subject's current record (two point reads: current-view.ts). */
  async #current (subject: Buffer): Promise<Buffer | undefined> {
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    return await getCurrent(async (space, key) => await this._get(space, key), subject)
  }

  async #get (space: Space, key: Buffer): Promise<Buffer | undefined> {
    this.#requireOpen()
    await viewsCaughtUp(this.#env)
    return await this._get(space, key)
  }

  #requireOpen (): void {
    if (this.#state !== 'open') throw errors.KEN_ERR_STORE_NOT_OPEN()
  }

  async #dataKey (keyId: Uint8Array): Promise<Buffer> {
    const keyring = this.#requireKeyring()
    return keyring.cached(keyId) ?? keyring.dataKey(keyId, await this.#get('keys', Buffer.from(keyId)))
  }

  #requireKeyring (): Keyring {
    if (this.#keyring === undefined) throw errors.KEN_ERR_STORE_NO_APPLIANCE_KEY()
    return this.#keyring
  }

  #checkWritable (): void {
    if (this.#state !== 'open') throw errors.KEN_ERR_STORE_NOT_OPEN()
    if (this.#readOnly) throw errors.KEN_ERR_STORE_READ_ONLY()
    if (this.#env.failed !== undefined) throw errors.KEN_ERR_STORE_FAILED(undefined, { cause: this.#env.failed })
  }
}

function checkMunicipality (municipalityCode: string): string {
  if (typeof municipalityCode !== 'string' || !MUNICIPALITY.test(municipalityCode)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('市町村コード must be 6 digits', { field: 'municipalityCode' })
  return municipalityCode
}

function checkCode (juminhyoCode: string): string {
  if (typeof juminhyoCode !== 'string' || !JUMINHYO.test(juminhyoCode)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('住民票コード must be 11 digits', { field: 'juminhyoCode' })
  return juminhyoCode
}

const ACT_TEXT = 256
const ACT_SUBJECTS = 10_000

/** Validate an act at the edge (STYLE.md: the public method owns validation). */
function checkAct (input: ActInput): ActInput {
  if (typeof input !== 'object' || input === null) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('an act is required', { field: 'act' })
  if (typeof input.kind !== 'string' || !isActKind(input.kind)) throw errors.KEN_ERR_STORE_ACT_KIND(String(input.kind).slice(0, 64), { field: 'kind' })
  if (typeof input.actor !== 'string' || input.actor.length === 0 || input.actor.length > ACT_TEXT) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('actor is required', { field: 'actor' })
  for (const k of ['role', 'terminal', 'purpose', 'reasonCode', 'note', 'approver'] as const) {
    const v = input[k]
    if (v !== undefined && (typeof v !== 'string' || v.length > ACT_TEXT)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT(`${k} must be a string of at most ${ACT_TEXT} characters`, { field: k })
  }
  for (const k of ['count', 'fromPosition', 'toPosition'] as const) {
    const v = input[k]
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT(`${k} must be a non-negative integer`, { field: k })
  }
  if (input.refused !== undefined && typeof input.refused !== 'boolean') throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('refused must be a boolean', { field: 'refused' })
  if (input.detail !== undefined && !(input.detail instanceof Uint8Array)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('detail must be bytes', { field: 'detail' })
  const codes = input.juminhyoCodes
  if (codes !== undefined) {
    if (!Array.isArray(codes) || codes.length > ACT_SUBJECTS) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT(`juminhyoCodes must be at most ${ACT_SUBJECTS} codes`, { field: 'juminhyoCodes' })
    for (const code of codes) checkCode(code)
  }
  return input
}

const SLOT = /^[0-9a-f]{32}$/
/** 附票 temporary-area slots unconfirmed after this long are erased (SPEC §2.2: a short limit). */
const DEFAULT_TEMP_LIMIT_MS = 72 * 3600_000

function checkSlot (slotId: string): Buffer {
  if (typeof slotId !== 'string' || !SLOT.test(slotId)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('slot id must be 32 hex digits', { field: 'slotId' })
  return Buffer.from(slotId, 'hex')
}

/** An administrative act with every field (those of other kinds empty). */
function adminAct (kind: LogAdminKind, by: AdminActor, fields: Partial<LogAdminAct>): LogAdminAct {
  return {
    kind, actor: by.actor, approver: by.approver, note: by.note ?? '', keyId: new Uint8Array(0), replayed: 0, keyIds: [], dueRows: [],
    historyErased: 0, removedErased: 0, fuhyoErased: 0, periodsErased: 0, through: '', ...fields
  }
}

function checkActor (by: AdminActor, needsApprover: boolean): void {
  const ok = (s: unknown): boolean => typeof s === 'string' && s.length > 0 && s.length <= 64
  if (typeof by !== 'object' || by === null || !ok(by.actor)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('actor is required', { field: 'actor' })
  // SPEC §2.5: physical deletion by an administrator with a second approver, who is someone else.
  if (needsApprover && (!ok(by.approver) || by.approver === by.actor)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('a second approver other than the actor is required', { field: 'approver' })
  if (by.note !== undefined && (typeof by.note !== 'string' || by.note.length > 256)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('note must be at most 256 characters', { field: 'note' })
}
