/**
 * The shapes the store's API speaks in (store.ts), and the I/O interface its implementations give
 * the shared logic (recovery.ts, commit-group.ts).
 */
import type { LogEntry } from '../../../proto/src/types.ts'
import type { NoteSigner } from '../log/checkpoint/index.ts'
import type { KenError } from '../../../proto/src/ken-error.ts'
import type { ResidentRecord } from '../domain/records.ts'
import type { ChainIssue } from './chain-verifier.ts'
import type { TreeReport } from './verify-tree.ts'
import type { Space, WriteOp } from './layout.ts'

/** A key range over one space (byte order). */
export interface Range {
  readonly gte?: Buffer
  readonly lt?: Buffer
  readonly lte?: Buffer
  readonly reverse?: boolean
  readonly limit?: number
  /** false: only the keys are wanted (LevelStore copies no value out of LevelDB: its rows hold empty ones). */
  readonly values?: boolean
}

/** The I/O of an implementation: what Store's protected `_` methods provide. */
export interface LogIo {
  readonly getMany: (space: Space, keys: readonly Buffer[]) => Promise<Array<Buffer | undefined>>
  /** Durable before it resolves: the log's ops as one atomic batch, ordered as level-store.ts says. */
  readonly write: (ops: readonly WriteOp[]) => Promise<void>
  readonly iterate: (space: Space, range: Range) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
  readonly clear: (space: Space) => Promise<void>
}

/** Where the store reports what it does (pino-compatible; no personal data is ever passed). */
export interface StoreLogger {
  info: (fields: Record<string, unknown>, msg: string) => void
  warn: (fields: Record<string, unknown>, msg: string) => void
  error: (fields: Record<string, unknown>, msg: string) => void
}

export const SILENT_LOGGER: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

export interface StoreOptions {
  /** The appliance key (32 bytes). Without it the store can verify and rebuild, not append or read records. */
  readonly applianceKey?: Uint8Array
  /** Group commit: longest wait of a queued append, ms (default 2). */
  readonly maxDelayMs?: number
  /** Group commit: most items per group (default 512). */
  readonly maxEntries?: number
  readonly clock?: () => Date
  readonly logger?: StoreLogger
  /** Told of each commit group when it has run: its items and seconds from start to answer (metrics). */
  readonly onGroup?: (items: number, seconds: number) => void
  /** Called once when a commit fails and the store stops taking writes (the daemon exits). */
  readonly onFatal?: (err: KenError) => void
  /** Open without recovery and refuse every write: what `verify` needs to look at a damaged log as it is. */
  readonly readOnly?: boolean
  /** Make resident data keys ahead of need in a worker thread (key-factory.ts; the daemon turns it on). */
  readonly prepareKeys?: boolean
  /** Signs the log's checkpoints (log-signing-key.ts); without it the tree is kept and no checkpoint issued. */
  readonly logSigner?: NoteSigner
  /** Least time between two checkpoints issued after commit groups, ms (default 1000); one is always issued on close. */
  readonly checkpointIntervalMs?: number
}

/** The last entry of the log (or the genesis: position 0). */
export interface Head {
  readonly position: number
  readonly hash: Buffer
}

/** Per-municipality counts (SPEC §6 statistics). */
export interface Counts {
  readonly current: number
  readonly accepted: number
  readonly rejected: number
}

/** A pre-change record: the state produced at `position`, replaced at `supersededAt`. */
export interface HistoryItem {
  readonly position: number
  readonly supersededAt: number
  readonly record: ResidentRecord
}

/** A log entry as `entries()` yields it. */
export interface LogRecord {
  readonly position: number
  readonly hash: Buffer
  readonly prevHash: Buffer
  readonly entry: LogEntry
}

/** A log entry as far as its data key goes (store.ts loadDataKeys): a LogRecord or a ForwardRecord. */
export interface KeyedRecord {
  readonly position: number
  readonly entry: { readonly update?: { readonly keyId: Uint8Array } | null }
}

/** Who performs an administrative act (SPEC §2.5: physical deletion needs a second approver). */
export interface AdminActor {
  readonly actor: string
  readonly approver: string
  readonly note?: string
}

export interface VerifyResult {
  /** The chain verifies and every kept checkpoint holds against the recomputed tree. */
  readonly ok: boolean
  /** The Merkle tree recomputed and the kept checkpoints checked (verify-tree.ts). */
  readonly tree: TreeReport
  readonly entries: number
  readonly head: { readonly position: number, readonly hash: string }
  readonly issue: ChainIssue | undefined
  readonly elapsedMs: number
}

/**
 * An act to record (log.proto LogAct; SPEC §4, §6 操作履歴). Every string is in clear in the log and
 * MUST NOT carry personal data; what does goes into `detail` (sealed under the month's period key)
 * and `juminhyoCodes` (kept only as blind indexes).
 */
export interface ActInput {
  /** A kind registered in proto/src/act-kinds.ts. */
  readonly kind: string
  readonly actor: string
  readonly role?: string
  readonly terminal?: string
  readonly purpose?: string
  readonly refused?: boolean
  readonly reasonCode?: string
  readonly count?: number
  readonly fromPosition?: number
  readonly toPosition?: number
  readonly note?: string
  readonly approver?: string
  /** The act's personal part, sealed under the period key of the month it is recorded in. */
  readonly detail?: Uint8Array
  /** The 住民票コード of the residents the act concerns (stored as blind indexes, `subjects`). */
  readonly juminhyoCodes?: readonly string[]
  /** An id the act refers to (a temporary-area slot, a request): never personal data. */
  readonly ref?: Uint8Array
}

/** The terms a run of the retention job applies (firmware-config `store.retentionYears`, `retention.*`). */
export interface RetentionOptions {
  /** History and removed persons, years (≥ 150, 住基法施行令30条の6). */
  readonly recordYears?: number
  /** Acts (provision records, operation history), years (≥ 7, SPEC §2.5). */
  readonly actYears?: number
  /** 附票 temporary-area slots unconfirmed after this long are erased, ms (default 72 h). */
  readonly tempLimitMs?: number
  /** Most record keys erased in one run (the rest in the next). */
  readonly maxKeys?: number
}

/** What a run of the retention job erased (SPEC §2.5): counts and dates, no personal data. */
export interface RetentionReport {
  /** The entry that records the run; undefined when nothing was due (no entry is made). */
  readonly position: number | undefined
  /** Terms whose last day is before this date (JST) ended. */
  readonly today: string
  readonly historyErased: number
  readonly removedErased: number
  readonly fuhyoErased: number
  /** Period keys of acts (and of rejected updates of unknown persons) whose retention ended. */
  readonly periodsErased: number
  /** Periods up to this one (YYYY-MM) are past their retention. */
  readonly periodsThrough: string
  /** 附票 temporary-area slots erased because their limit passed unconfirmed. */
  readonly tempExpired: number
}
