/**
 * TypeScript shapes of the ken.v1 messages, as protobufjs decodes them (camelCase fields, enums as
 * numbers, uint64 as number). `tests/unit/proto/types.test.ts` keeps these in step with the `.proto` files.
 */

/** ken.v1.Stream */
export const Stream = { UNSPECIFIED: 0, NORMAL: 1, ABNORMAL: 2 } as const
export type Stream = typeof Stream[keyof typeof Stream]

/** ken.v1.Sex */
export const Sex = { UNSPECIFIED: 0, MALE: 1, FEMALE: 2 } as const
export type Sex = typeof Sex[keyof typeof Sex]

/** ken.v1.ChangeReason — 異動事由 */
export const ChangeReason = {
  UNSPECIFIED: 0,
  TENNYU: 1,
  TOKUREI_TENNYU: 2,
  TENSHUTSU: 3,
  TOKUREI_TENSHUTSU: 4,
  TENKYO: 5,
  SHUSSEI: 6,
  SHIBOU: 7,
  SHOKKEN_KISAI: 8,
  SHOKKEN_SHOJO: 9,
  SHOKKEN_SHUSEI: 10,
  KOKUGAI_TENSHUTSU: 11,
  KOKUGAI_TENNYU: 12,
  JUMINHYO_CODE_HENKO: 13,
  KOJIN_BANGO_HENKO: 14,
  SHIMEI_TO_HENKO: 15,
  SHOJO_KAIFUKU: 16
} as const
export type ChangeReason = typeof ChangeReason[keyof typeof ChangeReason]

/** ken.v1.ResultStatus */
export const ResultStatus = { UNSPECIFIED: 0, ACCEPTED: 1, DUPLICATE: 2, REJECTED: 3 } as const
export type ResultStatus = typeof ResultStatus[keyof typeof ResultStatus]

/** ken.v1.FuhyoState — 附票本人確認情報状態区分 */
export const FuhyoState = { UNSPECIFIED: 0, CURRENT: 1, REMOVED: 2 } as const
export type FuhyoState = typeof FuhyoState[keyof typeof FuhyoState]

/** ken.v1.FuhyoNotice — 通知区分 */
export const FuhyoNotice = { UNSPECIFIED: 0, NEW: 1, CHANGE: 2, REMOVE: 3 } as const
export type FuhyoNotice = typeof FuhyoNotice[keyof typeof FuhyoNotice]

/** ken.v1.DifferenceKind */
export const DifferenceKind = { UNSPECIFIED: 0, MISSING_HERE: 1, MISSING_AT_CS: 2, DIFFERS: 3 } as const
export type DifferenceKind = typeof DifferenceKind[keyof typeof DifferenceKind]

/** ken.v1.IdentityUpdate — 本人確認情報 (SPEC §2.1) */
export interface IdentityUpdate {
  juminhyoCode: string
  changeReason: ChangeReason
  changeDate: string
  nameKanji: string
  nameGaijiCount: number
  nameKana: string
  birthDate: string
  sex: Sex
  address: string
  addressGaijiCount: number
  kojinBango: string
  oazaCode: string
  gaijiFlag: boolean
  nameGaijiSerial: number
  addressGaijiSerial: number
  kyuujiKanji: string
  kyuujiGaijiCount: number
  kyuujiKana: string
  kyuujiGaijiSerial: number
  previousJuminhyoCode: string
}

/** ken.v1.FuhyoUpdate — 附票本人確認情報 (SPEC §2.2), never 個人番号 */
export interface FuhyoUpdate {
  juminhyoCode: string
  nameKanji: string
  nameGaijiCount: number
  nameKana: string
  birthDate: string
  sex: Sex
  addressMunicipalityCode: string
  address: string
  addressGaijiCount: number
  lastAddress: string
  lastAddressGaijiCount: number
  changeDate: string
  previousJuminhyoCode: string
  fuhyoMunicipalityCode: string
  state: FuhyoState
  gaijiFlag: boolean
  gaijiPattern: string
  notice: FuhyoNotice
}

/** ken.v1.Update — what a CS publishes on ken/v1/cs/{lgCode}/update */
export interface Update {
  municipalityCode: string
  stream: Stream
  sequence: number
  requestId: string
  operatorId: string
  terminalId: string
  timestamp: string
  identity?: IdentityUpdate | null
  fuhyo?: FuhyoUpdate | null
}

/** ken.v1.UpdateResult */
export interface UpdateResult {
  municipalityCode: string
  stream: Stream
  sequence: number
  requestId: string
  status: ResultStatus
  reasonCode: string
  field: string
  logPosition: number
  entryHash: Uint8Array
  expectedSequence: number
  payloadSha256: Uint8Array
}

/** ken.v1.PreRejection */
export interface PreRejection {
  reasonCode: string
  field: string
  stream: Stream
  sequence: number
  requestId: string
  payloadLength: number
}

/** ken.v1.AppendItem */
export interface AppendItem {
  municipalityCode: string
  update?: Update | null
  rejection?: PreRejection | null
  payloadSha256: Uint8Array
}

/** ken.v1.AppendRequest */
export interface AppendRequest {
  batchId: number
  items: AppendItem[]
}

/** ken.v1.AppendResponse */
export interface AppendResponse {
  batchId: number
  results: UpdateResult[]
  errorCode: string
}

/** ken.v1.ReconcileRecord */
export interface ReconcileRecord {
  juminhyoCode: string
  contentDigest: Uint8Array
  /** 8 bytes per item in the order of docs/reconciliation.md, or empty. */
  itemDigests: Uint8Array
}

/** ken.v1.ReconcileChunk */
export interface ReconcileChunk {
  municipalityCode: string
  sessionId: string
  chunkIndex: number
  chunkCount: number
  snapshotDate: string
  records: ReconcileRecord[]
}

/** ken.v1.ReconcileDifference */
export interface ReconcileDifference {
  juminhyoCode: string
  kind: DifferenceKind
  fields: string[]
}

/** ken.v1.ReconcileSummary */
export interface ReconcileSummary {
  recordsAtCs: number
  recordsHere: number
  matching: number
  missingHere: number
  missingAtCs: number
  differing: number
}

/** ken.v1.ReconcileResult */
export interface ReconcileResult {
  municipalityCode: string
  sessionId: string
  chunkIndex: number
  complete: boolean
  differences: ReconcileDifference[]
  summary?: ReconcileSummary | null
  reasonCode: string
}

/** ken.v1.NationalForward — one accepted change for the national server (SPEC §5.1) */
export interface NationalForward {
  logPosition: number
  entryHash: Uint8Array
  prefectureCode: string
  municipalityCode: string
  juminhyoCode: string
  nameKanji: string
  nameKana: string
  birthDate: string
  sex: Sex
  address: string
  kojinBango: string
  changeReason: ChangeReason
  changeDate: string
  kyuujiKanji: string
  kyuujiKana: string
  previousJuminhyoCode: string
  previousPosition: number
}

/** ken.v1.NationalAck */
export interface NationalAck {
  logPosition: number
  reasonCode: string
}

/** ken.v1.FourItems */
export interface FourItems {
  nameKana: string
  nameKanji: string
  address: string
  birthDate: string
  sex: Sex
}

/** ken.v1.NationalSearchRequest */
export interface NationalSearchRequest {
  queryId: string
  purposeCode: string
  juminhyoCode?: string
  kojinBango?: string
  fourItems?: FourItems | null
}

/** ken.v1.NationalSearchResponse */
export interface NationalSearchResponse {
  queryId: string
  records: NationalForward[]
  reasonCode: string
}

/** ken.v1.LogUpdateKind — what a log entry's received item was (log.proto) */
export const LogUpdateKind = { UNSPECIFIED: 0, IDENTITY: 1, FUHYO: 2, PRE_REJECTED: 3 } as const
export type LogUpdateKind = typeof LogUpdateKind[keyof typeof LogUpdateKind]

/** ken.v1.LogAdminKind */
export const LogAdminKind = { UNSPECIFIED: 0, KEY_ERASURE: 1, REBUILD: 2, RETENTION: 3, PHYSICAL_DELETION: 4 } as const
export type LogAdminKind = typeof LogAdminKind[keyof typeof LogAdminKind]

/** ken.v1.LogEffect — what an accepted update did to the file, replayable without decrypting */
export interface LogEffect {
  subject: Uint8Array
  retiredSubject: Uint8Array
  kojinToken: Uint8Array
  recordMunicipalityCode: string
  removed: boolean
  sealedRecord: Uint8Array
  person: Uint8Array
  /** Blind tag of the record's reconciliation digest (empty for 附票 and older entries). */
  contentTag: Uint8Array
  searchKeys: Uint8Array[]
}

/** ken.v1.LogUpdate — a received update and its outcome */
export interface LogUpdate {
  municipalityCode: string
  stream: Stream
  sequence: number
  requestId: string
  payloadSha256: Uint8Array
  payloadLength: number
  kind: LogUpdateKind
  changeReason: ChangeReason
  status: ResultStatus
  reasonCode: string
  field: string
  expectedSequence: number
  keyId: Uint8Array
  sealedUpdate: Uint8Array
  effect?: LogEffect | null
}

/** ken.v1.LogAdminAct — an administrative act */
export interface LogAdminAct {
  kind: LogAdminKind
  actor: string
  approver: string
  note: string
  keyId: Uint8Array
  replayed: number
  keyIds: Uint8Array[]
  dueRows: Uint8Array[]
  historyErased: number
  removedErased: number
  fuhyoErased: number
  periodsErased: number
  through: string
}

/** ken.v1.LogAct — an act of a person or of a front daemon (kinds: act-kinds.ts) */
export interface LogAct {
  kind: string
  actor: string
  role: string
  terminal: string
  purpose: string
  refused: boolean
  reasonCode: string
  count: number
  fromPosition: number
  toPosition: number
  note: string
  approver: string
  period: string
  sealedDetail: Uint8Array
  subjects: Uint8Array[]
  ref: Uint8Array
}

/** ken.v1.LogEntry — one entry of the store's hash-chained log */
export interface LogEntry {
  position: number
  recordedAt: string
  update?: LogUpdate | null
  admin?: LogAdminAct | null
  act?: LogAct | null
}

/** ken.v1.ResidentView — current/<subject> */
export interface ResidentView {
  keyId: Uint8Array
  position: number
  municipalityCode: string
  removed: boolean
  kojinToken: Uint8Array
  sealedRecord: Uint8Array
  person: Uint8Array
  removedOn: string
  retiredSubjects: Uint8Array[]
  searchKeys: Uint8Array[]
}

/** ken.v1.HistoryView — history/<subject><position> */
export interface HistoryView {
  keyId: Uint8Array
  position: number
  supersededAt: number
  sealedRecord: Uint8Array
  person: Uint8Array
}

/** ken.v1.FuhyoView — fuhyo/<subject> */
export interface FuhyoView {
  keyId: Uint8Array
  position: number
  sealedRecord: Uint8Array
  person: Uint8Array
}

/** ken.v1.DedupView — dedup/<municipality><stream><sequence> */
export interface DedupView {
  position: number
  entryHash: Uint8Array
  status: ResultStatus
  reasonCode: string
  field: string
}

/** ken.v1.CountsView — counts/<municipality> */
export interface CountsView {
  current: number
  accepted: number
  rejected: number
}

/** ken.v1.StoredResident — plaintext of a sealed 本人確認情報 record */
export interface StoredResident {
  identity?: IdentityUpdate | null
  municipalityCode: string
  removed: boolean
  seionKana: string
  notifiedDate: string
  deleted: boolean
  retentionOnly: boolean
  sequence: number
  stream: Stream
  operatorId: string
  terminalId: string
  timestamp: string
}

/** ken.v1.StoredFuhyo — plaintext of a sealed 附票本人確認情報 record */
export interface StoredFuhyo {
  fuhyo?: FuhyoUpdate | null
  municipalityCode: string
  notifiedDate: string
  sequence: number
  stream: Stream
}

/** ken.v1.UpdateBatch — several updates in one PUBLISH (batch.proto) */
export interface UpdateBatch {
  updates: Uint8Array[]
}

/** ken.v1.UpdateBatchResult — the results of a batch, in its order */
export interface UpdateBatchResult {
  results: UpdateResult[]
  payloadSha256: Uint8Array
}

// ---- the national link's 附票 forward and the outbox socket (national.proto, outbox.proto; issue 12) ----

/** ken.v1.NationalFuhyoForward — one accepted 附票 change for the 附票全国サーバ (never a 個人番号) */
export interface NationalFuhyoForward {
  logPosition: number
  entryHash: Uint8Array
  prefectureCode: string
  municipalityCode: string
  previousPosition: number
  fuhyo?: FuhyoUpdate | null
}

/** ken.v1.NationalBatchItem — one forward of a NationalForwardBatch (one member set) */
export interface NationalBatchItem {
  identity?: NationalForward | null
  fuhyo?: NationalFuhyoForward | null
}

/** ken.v1.NationalForwardBatch — several forwards in log order in one PUBLISH */
export interface NationalForwardBatch {
  items: NationalBatchItem[]
}

/** ken.v1.OutboxRead */
export interface OutboxRead {
  fromPosition: number
  maxItems: number
  waitMs: number
}

/** ken.v1.OutboxConfirm */
export interface OutboxConfirm {
  upToPosition: number
  peer: string
}

/** ken.v1.OutboxRequest — ken-national → store (one member set) */
export interface OutboxRequest {
  read?: OutboxRead | null
  confirm?: OutboxConfirm | null
  queryAnswer?: NationalSearchResponse | null
}

/** ken.v1.OutboxItem — one forward and when its entry was committed */
export interface OutboxItem {
  recordedAt: string
  identity?: NationalForward | null
  fuhyo?: NationalFuhyoForward | null
}

/** ken.v1.OutboxBatch */
export interface OutboxBatch {
  items: OutboxItem[]
  scannedTo: number
  head: number
  confirmed: number
  errorCode: string
}

/** ken.v1.OutboxConfirmed */
export interface OutboxConfirmed {
  confirmed: number
  actPosition: number
  errorCode: string
}

/** ken.v1.OutboxMessage — store → ken-national (one member set) */
export interface OutboxMessage {
  batch?: OutboxBatch | null
  confirmed?: OutboxConfirmed | null
  query?: NationalSearchRequest | null
}

// ---- maint.proto: the maintenance socket (issue 16) ----

/** ken.v1.MaintOperation — what a maintenance request asks (maint.proto) */
export const MaintOperation = { UNSPECIFIED: 0, HEALTH: 1, METRICS: 2, BACKUP: 3, MEDIA: 4, MEDIA_CHECK: 5, RECORD_ACT: 6, ROTATE_TLS: 7, DISPOSE_MEDIUM: 8 } as const
export type MaintOperation = typeof MaintOperation[keyof typeof MaintOperation]

/** ken.v1.MaintAct */
export interface MaintAct {
  kind: string
  refused: boolean
  reasonCode: string
  note: string
  count: number
}

/** ken.v1.TlsMaterial */
export interface TlsMaterial {
  certPem: string
  keyPem: string
  caPem: string
  crlPem: string
}

/** ken.v1.MediumDisposal */
export interface MediumDisposal {
  mediaId: string
  reason: string
}

/** ken.v1.MaintRequest */
export interface MaintRequest {
  requestId: number
  operation: MaintOperation
  technician: string
  act?: MaintAct | null
  tls?: TlsMaterial | null
  disposal?: MediumDisposal | null
}

/** ken.v1.MaintHealth */
export interface MaintHealth {
  daemon: string
  ok: boolean
  uptimeSeconds: number
  logPosition: number
  logHeadHash: string
  detail: string
}

/** ken.v1.MediaRecord — one line of the media register (媒体管理簿) */
export interface MediaRecord {
  mediaId: string
  createdAt: string
  generation: number
  sha256: string
  bytes: number
  location: string
  logPosition: number
  logHeadHash: string
  disposedAt: string
  disposalReason: string
}

/** ken.v1.MediaCheck */
export interface MediaCheck {
  missing: string[]
  unknown: string[]
  checkedAt: string
}

/** ken.v1.MaintResponse */
export interface MaintResponse {
  requestId: number
  errorCode: string
  health?: MaintHealth | null
  metricsText: string
  media: MediaRecord[]
  mediaCheck?: MediaCheck | null
  actPosition: number
}

// ---- the terminal socket (terminal.proto, SPEC §6) ----

/** ken.v1.SessionAction */
export const SessionAction = { UNSPECIFIED: 0, WHOAMI: 1, LOCK: 2, LOGOUT: 3 } as const
export type SessionAction = typeof SessionAction[keyof typeof SessionAction]

/** ken.v1.ProvisionKind — 提供 (another executive body) or 移転 (a department) */
export const ProvisionKind = { UNSPECIFIED: 0, TEIKYO: 1, ITEN: 2 } as const
export type ProvisionKind = typeof ProvisionKind[keyof typeof ProvisionKind]

/** ken.v1.AccountAction */
export const AccountAction = { UNSPECIFIED: 0, REGISTER: 1, APPROVE: 2, REVOKE: 3, DELETE: 4, UNLOCK: 5, REPORTED: 6, RENEW: 7 } as const
export type AccountAction = typeof AccountAction[keyof typeof AccountAction]

/** ken.v1.AccountListing */
export const AccountListing = { UNSPECIFIED: 0, ALL: 1, UNREPORTED: 2, PURPOSES: 3 } as const
export type AccountListing = typeof AccountListing[keyof typeof AccountListing]

/** ken.v1.TerminalRequest — one request on the terminal socket (one op) */
export interface TerminalRequest {
  requestId: number
  session: Uint8Array
  terminalId: string
  loginBegin?: LoginBegin | null
  loginFinish?: LoginFinish | null
  sessionOp?: SessionOp | null
  search?: SearchQuery | null
  view?: ViewQuery | null
  provide?: ProvisionRequest | null
  account?: AccountChange | null
  accounts?: AccountQuery | null
  deletion?: DeletionOp | null
  print?: PrintRecord | null
  disclosure?: DisclosureRequest | null
  correction?: CorrectionStep | null
  corrections?: CorrectionQuery | null
  bulkApprove?: BulkApproval | null
  bulkRun?: BulkRun | null
  statistics?: StatisticsQuery | null
  review?: ReviewQuery | null
  reviewSample?: ReviewSampleRequest | null
}

export interface LoginBegin { accountId: string }
export interface LoginFinish { accountId: string, challenge: Uint8Array, signature: Uint8Array, pin: string, adapter: string }
export interface SessionOp { action: SessionAction }
export interface SearchQuery { purpose: string, juminhyoCode: string, kojinBango: string, name: string, address: string, birthDate: string, sex: Sex, fuzzy: boolean }
export interface ViewQuery { purpose: string, ref: string }
export interface ProvisionRequest { purpose: string, kind: ProvisionKind, recipient: string, refs: string[], items: string[], channel: string, reference: string }
export interface AccountChange {
  action: AccountAction
  accountId: string
  role: string
  department: string
  branch: string
  purposes: string[]
  pin: string
  certificate: Uint8Array
  reason: string
}
export interface AccountQuery { listing: AccountListing }

/** ken.v1.TerminalResponse — the answer (or the refusal's code) to one TerminalRequest */
export interface TerminalResponse {
  requestId: number
  errorCode: string
  errorField: string
  logPosition: number
  challenge?: LoginChallenge | null
  session?: SessionInfo | null
  search?: SearchResult | null
  record?: RecordView | null
  accounts?: AccountList | null
  purposes?: PurposeList | null
  deletions?: DeletionList | null
  disclosure?: DisclosureAnswer | null
  corrections?: CorrectionCaseList | null
  bulk?: BulkOutput | null
  statistics?: StatisticsReport | null
  review?: ReviewResult | null
}

export interface LoginChallenge { challenge: Uint8Array }
export interface SessionInfo {
  session: Uint8Array
  accountId: string
  role: string
  department: string
  branch: string
  purposes: string[]
  locked: boolean
  expires: string
  idleLockSeconds: number
  hardcopy: string
}
export interface RecordItem { item: string, value: string }
export interface SearchHit { ref: string, items: RecordItem[], removed: boolean }
export interface SearchResult { hits: SearchHit[], tooMany: boolean, national: string }
export interface RecordView { ref: string, items: RecordItem[], removed: boolean }
export interface AccountInfo {
  accountId: string
  role: string
  department: string
  branch: string
  purposes: string[]
  status: string
  registeredBy: string
  approvedBy: string
  registeredAt: string
  expires: string
  reported: boolean
  failures: number
  lockedOut: boolean
}
export interface AccountList { accounts: AccountInfo[] }
export interface PurposeInfo { code: string, title: string, basis: string, items: string[], departments: string[], recipients: string[], recipientNames: string[] }
export interface PurposeList { purposes: PurposeInfo[] }

// ---- 物理削除 and print records on the terminal socket (terminal_deletion.proto; SPEC §2.5, A8.3) ----

/** ken.v1.DeletionAction */
export const DeletionAction = { UNSPECIFIED: 0, FILE: 1, APPROVE: 2, REJECT: 3, LIST: 4 } as const
export type DeletionAction = typeof DeletionAction[keyof typeof DeletionAction]
export interface DeletionOp { action: DeletionAction, requestId: string, juminhyoCode: string, reference: string, reason: string }
export interface DeletionRequestInfo {
  requestId: string
  reference: string
  requestedBy: string
  requestedAt: string
  status: string
  decidedBy: string
  decidedAt: string
  requestPosition: number
  erasurePosition: number
  keys: number
}
export interface DeletionList { requests: DeletionRequestInfo[] }
export interface PrintRecord { purpose: string, ref: string }
// ---- disclosure.proto and correction.proto (issue 14: 開示 30条の32, 訂正 30条の35) ----

/** ken.v1.IdentityDocument */
export const IdentityDocument = { UNSPECIFIED: 0, MY_NUMBER_CARD: 1, DRIVING_LICENCE: 2, PASSPORT: 3, RESIDENCE_CARD: 4, TWO_DOCUMENTS: 5 } as const
export type IdentityDocument = typeof IdentityDocument[keyof typeof IdentityDocument]

/** ken.v1.DisclosureMedium */
export const DisclosureMedium = { UNSPECIFIED: 0, SCREEN: 1, PAPER: 2 } as const
export type DisclosureMedium = typeof DisclosureMedium[keyof typeof DisclosureMedium]

export interface DisclosureRequest { purpose: string, ref: string, document: IdentityDocument, documentReference: string, medium: DisclosureMedium }
export interface DisclosureItem { item: string, value: string }
export interface DisclosureProvision { recordedAt: string, kind: string, recipient: string, recipientName: string, purpose: string, purposeTitle: string, items: string[], position: number }
export interface DisclosureAnswer {
  items: DisclosureItem[]
  removed: boolean
  provisions: DisclosureProvision[]
  truncated: boolean
  prefectureName: string
  issuedOn: string
  referenceNumber: string
  medium: DisclosureMedium
  document: IdentityDocument
}

/** ken.v1.CorrectionStepKind */
export const CorrectionStepKind = { UNSPECIFIED: 0, RECEIVE: 1, INVESTIGATE: 2, REFER: 3, UPDATED: 4, CLOSE: 5 } as const
export type CorrectionStepKind = typeof CorrectionStepKind[keyof typeof CorrectionStepKind]

export interface CorrectionStep { purpose: string, kind: CorrectionStepKind, caseId: string, ref: string, municipalityCode: string, position: number, corrected: boolean, text: string, reference: string }
export interface CorrectionQuery { purpose: string, openOnly: boolean, caseId: string }
export interface CorrectionStepInfo { kind: string, at: string, by: string, logPosition: number }
export interface CorrectionCaseInfo { caseId: string, state: string, receivedAt: string, daysOpen: number, municipalityCode: string, fixedAt: number, outcome: string, steps: CorrectionStepInfo[] }
export interface CorrectionCaseList { cases: CorrectionCaseInfo[] }

/** The messages of disclosure.proto and correction.proto, for MessageMap. */
export interface DisclosureCorrectionMessages {
  DisclosureRequest: DisclosureRequest
  DisclosureItem: DisclosureItem
  DisclosureProvision: DisclosureProvision
  DisclosureAnswer: DisclosureAnswer
  CorrectionStep: CorrectionStep
  CorrectionQuery: CorrectionQuery
  CorrectionStepInfo: CorrectionStepInfo
  CorrectionCaseInfo: CorrectionCaseInfo
  CorrectionCaseList: CorrectionCaseList
}
// ---- terminal_reports.proto: bulk provision, statistics, operation-history review (issue 14 items 3–5) ----
export interface BulkApproval { requester: string, recipient: string, recipientKey: string, purpose: string, expectedCount: number, expires: string, reason: string }
export interface BulkConditionRow { row: number, juminhyoCode: string, kojinBango: string, name: string, address: string, birthDate: string, sex: Sex }
export interface BulkRun { approvalId: number, purpose: string, medium: string, conditions: BulkConditionRow[] }
export interface BulkOutput { approvalId: number, rows: number, records: number, file: Uint8Array, sha256: string, recipient: string }
export interface StatisticsQuery { month: string, reason: string }
export interface StatisticsRow { table: string, keys: string[], count: number, refused: number, records: number }
export interface StatisticsReport { month: string, fromPosition: number, toPosition: number, rows: StatisticsRow[], prefectureName: string }
export interface ReviewQuery { actor: string, terminal: string, from: string, to: string, kind: string, purpose: string, flaggedOnly: boolean }
export interface ReviewSampleRequest { fiscalYear: number, size: number, seed: string, upTo: number }
export interface ReviewRow {
  position: number
  at: string
  kind: string
  title: string
  actor: string
  role: string
  terminal: string
  purpose: string
  refused: boolean
  reasonCode: string
  count: number
  note: string
  flags: string[]
  approver: string
}
export interface ReviewResult { rows: ReviewRow[], truncated: boolean, seed: string, population: number }

/** Message name → TS shape, for the typed codec. */
export interface MessageMap extends TransparencyMessages, DisclosureCorrectionMessages {
  UpdateBatch: UpdateBatch
  UpdateBatchResult: UpdateBatchResult
  Update: Update
  IdentityUpdate: IdentityUpdate
  FuhyoUpdate: FuhyoUpdate
  UpdateResult: UpdateResult
  AppendItem: AppendItem
  PreRejection: PreRejection
  AppendRequest: AppendRequest
  AppendResponse: AppendResponse
  ReconcileChunk: ReconcileChunk
  ReconcileRecord: ReconcileRecord
  ReconcileResult: ReconcileResult
  ReconcileDifference: ReconcileDifference
  ReconcileSummary: ReconcileSummary
  NationalForward: NationalForward
  NationalAck: NationalAck
  NationalSearchRequest: NationalSearchRequest
  FourItems: FourItems
  NationalSearchResponse: NationalSearchResponse
  NationalFuhyoForward: NationalFuhyoForward
  NationalBatchItem: NationalBatchItem
  NationalForwardBatch: NationalForwardBatch
  OutboxRequest: OutboxRequest
  OutboxRead: OutboxRead
  OutboxConfirm: OutboxConfirm
  OutboxMessage: OutboxMessage
  OutboxBatch: OutboxBatch
  OutboxItem: OutboxItem
  OutboxConfirmed: OutboxConfirmed
  LogEntry: LogEntry
  BulkApproval: BulkApproval
  BulkConditionRow: BulkConditionRow
  BulkRun: BulkRun
  BulkOutput: BulkOutput
  StatisticsQuery: StatisticsQuery
  StatisticsRow: StatisticsRow
  StatisticsReport: StatisticsReport
  ReviewQuery: ReviewQuery
  ReviewSampleRequest: ReviewSampleRequest
  ReviewRow: ReviewRow
  ReviewResult: ReviewResult
  LogUpdate: LogUpdate
  LogEffect: LogEffect
  LogAdminAct: LogAdminAct
  LogAct: LogAct
  ResidentView: ResidentView
  HistoryView: HistoryView
  FuhyoView: FuhyoView
  DedupView: DedupView
  CountsView: CountsView
  StoredResident: StoredResident
  StoredFuhyo: StoredFuhyo
  ReconcileRequest: ReconcileRequest
  ReconcileResponse: ReconcileResponse
  ReconcileRunState: ReconcileRunState
  ReconcileRunDetail: ReconcileRunDetail
  MismatchItem: MismatchItem
  MismatchQuery: MismatchQuery
  MismatchResolution: MismatchResolution
  MonthlyCountRow: MonthlyCountRow
  MonthlyReport: MonthlyReport
  ReconcileAdminRequest: ReconcileAdminRequest
  MismatchList: MismatchList
  ReconcileAdminResponse: ReconcileAdminResponse
  MaintRequest: MaintRequest
  MaintAct: MaintAct
  TlsMaterial: TlsMaterial
  MediumDisposal: MediumDisposal
  MaintHealth: MaintHealth
  MediaRecord: MediaRecord
  MediaCheck: MediaCheck
  MaintResponse: MaintResponse
  TerminalRequest: TerminalRequest
  LoginBegin: LoginBegin
  LoginFinish: LoginFinish
  SessionOp: SessionOp
  SearchQuery: SearchQuery
  ViewQuery: ViewQuery
  ProvisionRequest: ProvisionRequest
  AccountChange: AccountChange
  AccountQuery: AccountQuery
  TerminalResponse: TerminalResponse
  LoginChallenge: LoginChallenge
  SessionInfo: SessionInfo
  RecordItem: RecordItem
  SearchHit: SearchHit
  SearchResult: SearchResult
  RecordView: RecordView
  AccountInfo: AccountInfo
  AccountList: AccountList
  PurposeInfo: PurposeInfo
  PurposeList: PurposeList
  DeletionOp: DeletionOp
  DeletionRequestInfo: DeletionRequestInfo
  DeletionList: DeletionList
  PrintRecord: PrintRecord
}
export type MessageName = keyof MessageMap

// ---- transparency.proto (the transparency log: checkpoints, proofs, CS receipts) ----

/** ken.v1.TransparencyRequest (one of checkpoint, inclusion, consistency, publicKey) */
export interface TransparencyRequest {
  requestId: number
  checkpoint?: CheckpointQuery | null
  inclusion?: InclusionQuery | null
  consistency?: ConsistencyQuery | null
  publicKey?: boolean
}

/** ken.v1.CheckpointQuery */
export interface CheckpointQuery {
  size: number
}

/** ken.v1.InclusionQuery */
export interface InclusionQuery {
  position: number
  size: number
  municipalityCode: string
  fromSize: number
}

/** ken.v1.ConsistencyQuery */
export interface ConsistencyQuery {
  fromSize: number
  toSize: number
}

/** ken.v1.TransparencyResponse */
export interface TransparencyResponse {
  requestId: number
  errorCode: string
  checkpoint: string
  treeSize: number
  position: number
  leafIndex: number
  entry: Uint8Array
  leafHash: Uint8Array
  proof: Uint8Array[]
  fromCheckpoint: string
  fromSize: number
  consistencyProof: Uint8Array[]
  verifierKey: string
}

/** ken.v1.ProofRequest (a CS asks for a receipt of one of its results) */
export interface ProofRequest {
  requestId: string
  logPosition: number
  knownSize: number
}

/** ken.v1.ProofResponse */
export interface ProofResponse {
  requestId: string
  reasonCode: string
  checkpoint: string
  treeSize: number
  logPosition: number
  leafIndex: number
  entry: Uint8Array
  leafHash: Uint8Array
  inclusionProof: Uint8Array[]
  knownSize: number
  consistencyProof: Uint8Array[]
}

/** The messages of transparency.proto, for MessageMap. */
export interface TransparencyMessages {
  TransparencyRequest: TransparencyRequest
  CheckpointQuery: CheckpointQuery
  InclusionQuery: InclusionQuery
  ConsistencyQuery: ConsistencyQuery
  TransparencyResponse: TransparencyResponse
  ProofRequest: ProofRequest
  ProofResponse: ProofResponse
}

// ---- reconcile_socket.proto (issue 15: reconciliation behind the store daemon) ----

/** ken.v1.ReconcileRequest — one chunk for the store, under the authenticated municipality */
export interface ReconcileRequest {
  requestId: number
  municipalityCode: string
  chunk: Uint8Array
}

/** ken.v1.ReconcileResponse */
export interface ReconcileResponse {
  requestId: number
  result: Uint8Array
  errorCode: string
}

/** ken.v1.ReconcileRunState — the working state of one run */
export interface ReconcileRunState {
  municipalityCode: string
  sessionId: string
  chunkCount: number
  snapshotDate: string
  nextChunk: number
  summary?: ReconcileSummary | null
  complete: boolean
  runPosition: number
  closeFrom: number
  source: string
  actor: string
  startedAt: string
}

/** ken.v1.ReconcileRunDetail — sealed detail of a reconcile.run act */
export interface ReconcileRunDetail {
  municipalityCode: string
  sessionId: string
  snapshotDate: string
  source: string
  differences: ReconcileDifference[]
  summary?: ReconcileSummary | null
}

/** ken.v1.MismatchStatus */
export const MismatchStatus = { UNSPECIFIED: 0, OPEN: 1, EXPLAINED: 2, FIXED: 3 } as const
export type MismatchStatus = typeof MismatchStatus[keyof typeof MismatchStatus]

/** ken.v1.MismatchItem — one row of the mismatch list */
export interface MismatchItem {
  runPosition: number
  index: number
  municipalityCode: string
  difference?: ReconcileDifference | null
  status: MismatchStatus
  fixedAt: number
  resolvedBy: string
  approver: string
  resolvedAt: string
  note: string
  resolutionPosition: number
  runAt: string
}

/** ken.v1.MismatchQuery */
export interface MismatchQuery {
  municipalityCode: string
  openOnly: boolean
  month: string
}

/** ken.v1.MismatchResolution */
export interface MismatchResolution {
  runPosition: number
  index: number
  status: MismatchStatus
  fixedAt: number
  actor: string
  approver: string
  note: string
}

/** ken.v1.MonthlyCountRow — one row of the 統計情報不一致リスト */
export interface MonthlyCountRow {
  municipalityCode: string
  recordsAtCs: number
  recordsHere: number
  currentNow: number
  openMismatches: number
  runPosition: number
}

/** ken.v1.MonthlyReport */
export interface MonthlyReport {
  month: string
  rows: MonthlyCountRow[]
  items: MismatchItem[]
}

/** ken.v1.ReconcileAdminRequest */
export interface ReconcileAdminRequest {
  requestId: number
  actor: string
  mediaChunk?: ReconcileRequest | null
  list?: MismatchQuery | null
  resolve?: MismatchResolution | null
  monthly?: string
}

/** ken.v1.MismatchList */
export interface MismatchList {
  items: MismatchItem[]
}

/** ken.v1.ReconcileAdminResponse */
export interface ReconcileAdminResponse {
  requestId: number
  errorCode: string
  mediaResult?: ReconcileResponse | null
  list?: MismatchList | null
  resolved?: MismatchItem | null
  monthly?: MonthlyReport | null
}
