/**
 * One or more samples of every message of proto/src/types.ts MessageMap, with every field set to a
 * value that is not its proto3 default (messages with a oneof get one sample per member).
 * `satisfies` makes a message added to MessageMap a type error here until it has samples.
 */
import {
  CorrectionStepKind, DisclosureMedium, IdentityDocument, type CorrectionCaseInfo, type CorrectionStep, type DisclosureAnswer, type DisclosureRequest,
  type BulkApproval, type BulkConditionRow, type BulkRun, type BulkOutput, type StatisticsRow, type StatisticsReport, type ReviewQuery, type ReviewRow, type ReviewResult,
  AccountAction, AccountListing, ProvisionKind, SessionAction, type AccountInfo, type PurposeInfo, type RecordItem, type SearchHit, type SessionInfo,
  ChangeReason, DifferenceKind, MismatchStatus, FuhyoNotice, FuhyoState, LogAdminKind, LogUpdateKind, MaintOperation, ResultStatus, Sex, Stream,
  type LogAct, type LogAdminAct, type LogEffect, type LogUpdate,
  type FourItems, type FuhyoUpdate, type IdentityUpdate, type MessageMap, type MessageName, type NationalForward, type NationalFuhyoForward,
  type PreRejection, type MismatchItem, type ReconcileRequest, type ReconcileChunk, type ReconcileDifference, type ReconcileRecord, type ReconcileSummary, type Update, type UpdateResult,
  DeletionAction, type DeletionOp, type DeletionRequestInfo
} from '../../../proto/src/types.ts'

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)

export const identity: IdentityUpdate = {
  juminhyoCode: '12345678903',
  changeReason: ChangeReason.JUMINHYO_CODE_HENKO,
  changeDate: '2024-05-20',
  nameKanji: '試\ue000太郎',
  nameGaijiCount: 1,
  nameKana: 'シケン　タロウ',
  birthDate: '1980-02-29',
  sex: Sex.MALE,
  address: '福岡県福岡市中央区試験町1-1',
  addressGaijiCount: 2,
  kojinBango: '123456789018',
  oazaCode: '0001',
  gaijiFlag: true,
  nameGaijiSerial: 3,
  addressGaijiSerial: 4,
  kyuujiKanji: '旧姓',
  kyuujiGaijiCount: 5,
  kyuujiKana: 'キュウセイ',
  kyuujiGaijiSerial: 6,
  previousJuminhyoCode: '23456789013'
}

export const fuhyo: FuhyoUpdate = {
  juminhyoCode: '12345678903',
  nameKanji: '試験花子',
  nameGaijiCount: 1,
  nameKana: 'シケン　ハナコ',
  birthDate: '1990-07-07',
  sex: Sex.FEMALE,
  addressMunicipalityCode: '401307',
  address: '国外',
  addressGaijiCount: 2,
  lastAddress: '福岡県福岡市',
  lastAddressGaijiCount: 3,
  changeDate: '2024-05-20',
  previousJuminhyoCode: '23456789013',
  fuhyoMunicipalityCode: '401005',
  state: FuhyoState.REMOVED,
  gaijiFlag: true,
  gaijiPattern: 'P1',
  notice: FuhyoNotice.REMOVE
}

const envelope = { municipalityCode: '401307', stream: Stream.ABNORMAL, sequence: 9007199254740991, requestId: 'REQ-1', operatorId: 'OP-1', terminalId: 'TERM-1', timestamp: '2024-05-31T10:15:00+09:00' }

const result: UpdateResult = {
  municipalityCode: '401307',
  stream: Stream.NORMAL,
  sequence: 42,
  requestId: 'REQ-1',
  status: ResultStatus.REJECTED,
  reasonCode: 'KEN_REJECT_BAD_DATE',
  field: 'identity.birth_date',
  logPosition: 123456,
  entryHash: bytes(1, 2, 3),
  expectedSequence: 41,
  payloadSha256: bytes(4, 5, 6)
}

const preRejection: PreRejection = { reasonCode: 'KEN_REJECT_MALFORMED', field: 'identity', stream: Stream.NORMAL, sequence: 7, requestId: 'REQ-2', payloadLength: 512 }

const reconcileRecord: ReconcileRecord = { juminhyoCode: '12345678903', contentDigest: bytes(7, 8, 9), itemDigests: bytes(1, 2, 3, 4, 5, 6, 7, 8) }
const difference: ReconcileDifference = { juminhyoCode: '12345678903', kind: DifferenceKind.DIFFERS, fields: ['address', 'name_kana'] }
const summary: ReconcileSummary = { recordsAtCs: 1, recordsHere: 2, matching: 3, missingHere: 4, missingAtCs: 5, differing: 6 }

const forward: NationalForward = {
  logPosition: 77,
  entryHash: bytes(10, 11),
  prefectureCode: '40',
  municipalityCode: '401307',
  juminhyoCode: '12345678903',
  nameKanji: '試験太郎',
  nameKana: 'シケン　タロウ',
  birthDate: '1980-02-29',
  sex: Sex.MALE,
  address: '福岡県福岡市',
  kojinBango: '123456789018',
  changeReason: ChangeReason.TENKYO,
  changeDate: '2024-05-20',
  kyuujiKanji: '旧姓',
  kyuujiKana: 'キュウセイ',
  previousJuminhyoCode: '23456789013',
  previousPosition: 70
}

const fuhyoForward: NationalFuhyoForward = { logPosition: 78, entryHash: bytes(12, 13), prefectureCode: '40', municipalityCode: '401307', previousPosition: 77, fuhyo }

const fourItems: FourItems = { nameKana: 'シケン　タロウ', nameKanji: '試験太郎', address: '福岡県福岡市', birthDate: '1980-02-29', sex: Sex.MALE }

const effect: LogEffect = {
  subject: bytes(20, 21),
  retiredSubject: bytes(22),
  kojinToken: bytes(23),
  recordMunicipalityCode: '401307',
  removed: true,
  sealedRecord: bytes(24, 25, 26),
  person: bytes(27),
  contentTag: bytes(41, 42),
  searchKeys: [bytes(41), bytes(42)]
}

const logUpdate: LogUpdate = {
  municipalityCode: '401307',
  stream: Stream.ABNORMAL,
  sequence: 8,
  requestId: 'REQ-8',
  payloadSha256: bytes(27),
  payloadLength: 300,
  kind: LogUpdateKind.IDENTITY,
  changeReason: ChangeReason.SHIBOU,
  status: ResultStatus.ACCEPTED,
  reasonCode: 'KEN_REJECT_NO_CHANGE',
  field: 'identity',
  expectedSequence: 7,
  keyId: bytes(28),
  sealedUpdate: bytes(29, 30),
  effect
}

const act: LogAct = {
  kind: 'terminal.search', actor: 'op-0001', role: 'operator', terminal: 'T-01', purpose: 'B5-1', refused: true, reasonCode: 'KEN_ERR_TERM_PURPOSE', count: 3,
  fromPosition: 7, toPosition: 9, note: 'REF-1', approver: 'secoff01', period: '2026-11', sealedDetail: bytes(40), subjects: [bytes(16), bytes(16)], ref: bytes(41)
}
const adminAct: LogAdminAct = {
  kind: LogAdminKind.KEY_ERASURE, actor: 'admin-1', approver: 'officer-1', note: 'TICKET-1', keyId: bytes(31), replayed: 1000, keyIds: [bytes(46)], dueRows: [bytes(47)],
  historyErased: 1, removedErased: 2, fuhyoErased: 3, periodsErased: 4, through: '2176-11-29'
}

export const updateWithIdentity: Update = { ...envelope, identity }
const updateWithFuhyo: Update = { ...envelope, fuhyo }

export const chunk: ReconcileChunk = { municipalityCode: '401307', sessionId: '7d0c1f9e-0000-4000-8000-000000000001', chunkIndex: 2, chunkCount: 10, snapshotDate: '2024-05-31', records: [reconcileRecord, reconcileRecord] }

const reconcileRequest: ReconcileRequest = { requestId: 3, municipalityCode: '401307', chunk: bytes(50, 51) }
const mismatch: MismatchItem = {
  runPosition: 70, index: 2, municipalityCode: '401307', difference, status: MismatchStatus.FIXED, fixedAt: 90, resolvedBy: 'op-0001',
  approver: 'secoff01', resolvedAt: '2026-11-30T01:00:00.000Z', note: 'REQ-15', resolutionPosition: 91, runAt: '2026-11-29T01:00:00.000Z'
}
const monthlyRow = { municipalityCode: '401307', recordsAtCs: 10, recordsHere: 11, currentNow: 12, openMismatches: 1, runPosition: 70 }
const maintAct = { kind: 'maint.backup', refused: true, reasonCode: 'KEN_ERR_MAINT_REFUSED', note: 'on demand', count: 2 }
const tlsMaterial = { certPem: 'CERT', keyPem: 'KEY', caPem: 'CA', crlPem: 'CRL' }
const maintHealth = { daemon: 'store', ok: true, uptimeSeconds: 18, logPosition: 19, logHeadHash: 'ab', detail: 'accepting writes' }
const mediaRecord = {
  mediaId: 'M-1', createdAt: '2024-05-31T01:15:00.000Z', generation: 1, sha256: 'cd', bytes: 20, location: 'vault A',
  logPosition: 21, logHeadHash: 'ef', disposedAt: '2024-06-30T01:15:00.000Z', disposalReason: 'past rated life'
}
const mediaCheck = { missing: ['M-3'], unknown: ['stray.kbk'], checkedAt: '2024-05-31T01:15:00.000Z' }
const recordItem: RecordItem = { item: 'name', value: '試験太郎' }
const hit: SearchHit = { ref: 'r-1', items: [recordItem], removed: true }
const bulkApproval: BulkApproval = { requester: 'BA002', recipient: 'R-ZEIMU', recipientKey: 'age1' + 'q'.repeat(58), purpose: 'B6-KENZEI', expectedCount: 10, expires: '2026-06-30', reason: 'DOC-9' }
const bulkCondition: BulkConditionRow = { row: 1, juminhyoCode: '12345678903', kojinBango: '123456789018', name: 'シケン', address: '福岡', birthDate: '1980-02-29', sex: Sex.FEMALE }
const bulkRun: BulkRun = { approvalId: 12, purpose: 'B6-KENZEI', medium: 'usb', conditions: [bulkCondition] }
const bulkOutput: BulkOutput = { approvalId: 12, rows: 1, records: 2, file: bytes(60), sha256: 'ab'.repeat(32), recipient: 'R-ZEIMU' }
const statisticsRow: StatisticsRow = { table: 'updates', keys: ['401307', 'TENNYU'], count: 3, refused: 1, records: 2 }
const statisticsReport: StatisticsReport = { month: '2026-06', fromPosition: 1, toPosition: 9, rows: [statisticsRow], prefectureName: '福岡県' }
const reviewQuery: ReviewQuery = { actor: 'OP001', terminal: 'T-01', from: '2026-06-01', to: '2026-06-30', kind: 'terminal.search', purpose: 'B5-1', flaggedOnly: true }
const reviewRow: ReviewRow = { position: 7, at: '2026-06-01T18:00:00.000Z', kind: 'terminal.search', title: 'search', actor: 'OP001', role: 'operator', terminal: 'T-01', purpose: 'B5-1', refused: true, reasonCode: 'KEN_ERR_TERM_X', count: 3, note: 'card=1', flags: ['off-hours'], approver: 'AD002' }
const reviewResult: ReviewResult = { rows: [reviewRow], truncated: true, seed: 'ab'.repeat(16), population: 40 }
const sessionInfo: SessionInfo = {
  session: bytes(50, 51), accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-1'], locked: true, expires: '2027-04-30', idleLockSeconds: 300, hardcopy: 'print-with-record'
}
const deletionOp: DeletionOp = { action: DeletionAction.APPROVE, requestId: 'D-0001', juminhyoCode: '12345678903', reference: 'FUK-2026-17', reason: 'duplicate' }
const deletionInfo: DeletionRequestInfo = {
  requestId: 'D-0001', reference: 'FUK-2026-17', requestedBy: 'AD001', requestedAt: '2026-06-01T01:00:00.000Z', status: 'erased', decidedBy: 'SO001', decidedAt: '2026-06-01T02:00:00.000Z', requestPosition: 41, erasurePosition: 42, keys: 3
}
const accountInfo: AccountInfo = {
  accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-1'], status: 'active', registeredBy: 'AD001',
  approvedBy: 'AD002', registeredAt: '2026-05-01T00:00:00.000Z', expires: '2027-04-30', reported: true, failures: 2, lockedOut: true
}
const purposeInfo: PurposeInfo = { code: 'B5-1', title: '試験', basis: '別表第五', items: ['name'], departments: ['D-SHICHOSON'], recipients: ['R-ZEIMU'], recipientNames: ['税務課'] }
const session = bytes(52, 53)

const disclosureRequest: DisclosureRequest = { purpose: 'K-KAIJI', ref: 'r-1', document: IdentityDocument.DRIVING_LICENCE, documentReference: 'KJ-1', medium: DisclosureMedium.PAPER }
const disclosureProvision = { recordedAt: '2026-06-01T01:00:00.000Z', kind: 'iten', recipient: 'R-RYOKEN', recipientName: '旅券センター', purpose: 'B5-RYOKEN', purposeTitle: '旅券', items: ['name'], position: 7 }
const disclosureAnswer: DisclosureAnswer = {
  items: [{ item: 'name', value: '試験' }], removed: true, provisions: [disclosureProvision], truncated: true, prefectureName: '福岡県', issuedOn: '2026-06-01',
  referenceNumber: 'K2026-9', medium: DisclosureMedium.SCREEN, document: IdentityDocument.PASSPORT
}
const correctionStep: CorrectionStep = { purpose: 'K-TEISEI', kind: CorrectionStepKind.UPDATED, caseId: 'ab', ref: 'r-1', municipalityCode: '401307', position: 5, corrected: true, text: '住所の誤り', reference: 'TS-1' }
const correctionStepInfo = { kind: 'receive', at: '2026-06-01T01:00:00.000Z', by: 'OP002', logPosition: 3 }
const correctionCase: CorrectionCaseInfo = { caseId: 'ab', state: 'referred', receivedAt: '2026-06-01T01:00:00.000Z', daysOpen: 3, municipalityCode: '401307', fixedAt: 5, outcome: 'corrected', steps: [correctionStepInfo] }

export const SAMPLES = {
  Update: [updateWithIdentity, updateWithFuhyo],
  IdentityUpdate: [identity],
  FuhyoUpdate: [fuhyo],
  UpdateResult: [result],
  UpdateBatch: [{ updates: [bytes(50, 51), bytes(52)] }],
  UpdateBatchResult: [{ results: [result, result], payloadSha256: bytes(53) }],
  AppendItem: [
    { municipalityCode: '401307', update: updateWithIdentity, payloadSha256: bytes(12) },
    { municipalityCode: '401307', rejection: preRejection, payloadSha256: bytes(13) }
  ],
  PreRejection: [preRejection],
  AppendRequest: [{ batchId: 5, items: [{ municipalityCode: '401307', update: updateWithFuhyo, payloadSha256: bytes(14) }, { municipalityCode: '401307', rejection: preRejection, payloadSha256: bytes(15) }] }],
  AppendResponse: [{ batchId: 5, results: [result, result], errorCode: 'KEN_ERR_STORE_UNAVAILABLE' }],
  ReconcileChunk: [chunk],
  ReconcileRecord: [reconcileRecord],
  ReconcileResult: [{ municipalityCode: '401307', sessionId: 'S-1', chunkIndex: 9, complete: true, differences: [difference], summary, reasonCode: 'KEN_REJECT_MALFORMED' }],
  ReconcileDifference: [difference],
  ReconcileSummary: [summary],
  NationalForward: [forward],
  NationalAck: [{ logPosition: 77, reasonCode: 'KEN_REJECT_NATIONAL_GAP' }],
  NationalFuhyoForward: [fuhyoForward],
  NationalBatchItem: [{ identity: forward }, { fuhyo: fuhyoForward }],
  NationalForwardBatch: [{ items: [{ identity: forward }, { fuhyo: fuhyoForward }] }],
  OutboxRequest: [
    { read: { fromPosition: 7, maxItems: 64, waitMs: 500 } },
    { confirm: { upToPosition: 77, peer: 'CN=national.test' } },
    { queryAnswer: { queryId: 'Q-1', records: [forward], reasonCode: '' } }
  ],
  OutboxRead: [{ fromPosition: 7, maxItems: 64, waitMs: 500 }],
  OutboxConfirm: [{ upToPosition: 77, peer: 'CN=national.test' }],
  OutboxMessage: [
    { batch: { items: [{ recordedAt: '2024-05-31T01:15:00.000Z', identity: forward }, { recordedAt: '2024-05-31T01:15:01.000Z', fuhyo: fuhyoForward }], scannedTo: 80, head: 90, confirmed: 70, errorCode: '' } },
    { confirmed: { confirmed: 77, actPosition: 91, errorCode: '' } },
    { query: { queryId: 'Q-3', purposeCode: 'P-01', fourItems } }
  ],
  OutboxBatch: [{ items: [{ recordedAt: '2024-05-31T01:15:00.000Z', identity: forward }], scannedTo: 80, head: 90, confirmed: 70, errorCode: 'KEN_ERR_OUTBOX_POSITION' }],
  OutboxItem: [{ recordedAt: '2024-05-31T01:15:00.000Z', identity: forward }, { recordedAt: '2024-05-31T01:15:01.000Z', fuhyo: fuhyoForward }],
  OutboxConfirmed: [{ confirmed: 77, actPosition: 91, errorCode: 'KEN_ERR_OUTBOX_CONFIRM' }],
  NationalSearchRequest: [
    { queryId: 'Q-1', purposeCode: 'P-01', juminhyoCode: '12345678903' },
    { queryId: 'Q-2', purposeCode: 'P-01', kojinBango: '123456789018' },
    { queryId: 'Q-3', purposeCode: 'P-01', fourItems }
  ],
  FourItems: [fourItems],
  NationalSearchResponse: [{ queryId: 'Q-1', records: [forward], reasonCode: 'KEN_REJECT_UNKNOWN_RESIDENT' }],
  LogEntry: [
    { position: 1, recordedAt: '2024-05-31T01:15:00.000Z', update: logUpdate },
    { position: 2, recordedAt: '2024-05-31T01:15:01.000Z', admin: adminAct },
    { position: 3, recordedAt: '2024-05-31T01:15:02.000Z', act }
  ],
  LogUpdate: [logUpdate],
  LogEffect: [effect],
  LogAdminAct: [adminAct],
  LogAct: [act],
  ResidentView: [{ keyId: bytes(32), position: 3, municipalityCode: '401307', removed: true, kojinToken: bytes(33), sealedRecord: bytes(34), searchKeys: [bytes(43)], person: bytes(42), removedOn: '2026-11-29', retiredSubjects: [bytes(43)] }],
  HistoryView: [{ keyId: bytes(35), position: 4, supersededAt: 5, sealedRecord: bytes(36), person: bytes(44) }],
  FuhyoView: [{ keyId: bytes(37), position: 6, sealedRecord: bytes(38), person: bytes(45) }],
  DedupView: [{ position: 7, entryHash: bytes(39), status: ResultStatus.REJECTED, reasonCode: 'KEN_REJECT_BAD_SEX', field: 'identity.sex' }],
  CountsView: [{ current: 10, accepted: 11, rejected: 12 }],
  StoredResident: [{
    identity,
    municipalityCode: '401307',
    removed: true,
    seionKana: 'シケンタロウ',
    notifiedDate: '2024-05-31',
    deleted: true,
    retentionOnly: true,
    sequence: 13,
    stream: Stream.NORMAL,
    operatorId: 'OP-2',
    terminalId: 'TERM-2',
    timestamp: '2024-05-31T10:15:00+09:00'
  }],
  StoredFuhyo: [{ fuhyo, municipalityCode: '401005', notifiedDate: '2024-05-31', sequence: 14, stream: Stream.ABNORMAL }],
  // transparency.proto
  TransparencyRequest: [
    { requestId: 1, checkpoint: { size: 9 } },
    { requestId: 2, inclusion: { position: 3, size: 9, municipalityCode: '401307', fromSize: 4 } },
    { requestId: 3, consistency: { fromSize: 4, toSize: 9 } },
    { requestId: 4, publicKey: true }
  ],
  CheckpointQuery: [{ size: 9 }],
  InclusionQuery: [{ position: 3, size: 9, municipalityCode: '401307', fromSize: 4 }],
  ConsistencyQuery: [{ fromSize: 4, toSize: 9 }],
  TransparencyResponse: [{
    requestId: 2,
    errorCode: 'KEN_ERR_LOG_RANGE',
    checkpoint: 'ken-server/log\n9\nAAAA\n\n\u2014 ken-server/log AAAA\n',
    treeSize: 9,
    position: 3,
    leafIndex: 2,
    entry: bytes(8, 3),
    leafHash: bytes(16),
    proof: [bytes(17), bytes(18)],
    fromCheckpoint: 'ken-server/log\n4\nAAAA\n',
    fromSize: 4,
    consistencyProof: [bytes(19)],
    verifierKey: 'ken-server/log+01020304+AQ=='
  }],
  ProofRequest: [{ requestId: 'R-1', logPosition: 3, knownSize: 4 }],
  ProofResponse: [{
    requestId: 'R-1',
    reasonCode: 'KEN_ERR_LOG_NOT_OWN_ENTRY',
    checkpoint: 'ken-server/log\n9\nAAAA\n',
    treeSize: 9,
    logPosition: 3,
    leafIndex: 2,
    entry: bytes(8, 3),
    leafHash: bytes(20),
    inclusionProof: [bytes(21)],
    knownSize: 4,
    consistencyProof: [bytes(22)]
  }],
  ReconcileRequest: [reconcileRequest],
  ReconcileResponse: [{ requestId: 3, result: bytes(52), errorCode: 'KEN_ERR_STORE_FAILED' }],
  ReconcileRunState: [{
    municipalityCode: '401307', sessionId: 'S-1', chunkCount: 4, snapshotDate: '2026-11-29', nextChunk: 2, summary, complete: true,
    runPosition: 70, closeFrom: 69, source: 'line', actor: 'cs:401307', startedAt: '2026-11-29T01:00:00.000Z'
  }],
  ReconcileRunDetail: [{ municipalityCode: '401307', sessionId: 'S-1', snapshotDate: '2026-11-29', source: 'media', differences: [difference], summary }],
  MismatchItem: [mismatch],
  MismatchQuery: [{ municipalityCode: '401307', openOnly: true, month: '2026-11' }],
  MismatchResolution: [{ runPosition: 70, index: 2, status: MismatchStatus.EXPLAINED, fixedAt: 90, actor: 'op-0001', approver: 'secoff01', note: 'REQ-15' }],
  MonthlyCountRow: [monthlyRow],
  MonthlyReport: [{ month: '2026-11', rows: [monthlyRow], items: [mismatch] }],
  ReconcileAdminRequest: [
    { requestId: 1, actor: 'op-0001', mediaChunk: reconcileRequest },
    { requestId: 2, actor: 'op-0001', list: { municipalityCode: '401307', openOnly: true, month: '2026-11' } },
    { requestId: 3, actor: 'op-0001', resolve: { runPosition: 70, index: 2, status: MismatchStatus.FIXED, fixedAt: 90, actor: 'op-0001', approver: 'secoff01', note: 'REQ-15' } },
    { requestId: 4, actor: 'op-0001', monthly: '2026-11' }
  ],
  MismatchList: [{ items: [mismatch] }],
  ReconcileAdminResponse: [
    { requestId: 1, errorCode: 'KEN_ERR_STORE_FAILED', mediaResult: { requestId: 3, result: bytes(52), errorCode: 'KEN_ERR_STORE_FAILED' } },
    { requestId: 2, errorCode: 'KEN_ERR_STORE_FAILED', list: { items: [mismatch] } },
    { requestId: 3, errorCode: 'KEN_ERR_STORE_FAILED', resolved: mismatch },
    { requestId: 4, errorCode: 'KEN_ERR_STORE_FAILED', monthly: { month: '2026-11', rows: [monthlyRow], items: [mismatch] } }
  ],
  MaintRequest: [{
    requestId: 15,
    operation: MaintOperation.ROTATE_TLS,
    technician: 'TE001',
    act: maintAct,
    tls: tlsMaterial,
    disposal: { mediaId: 'M-2', reason: 'past rated life' }
  }],
  MaintAct: [maintAct],
  TlsMaterial: [tlsMaterial],
  MediumDisposal: [{ mediaId: 'M-1', reason: 'broken' }],
  MaintHealth: [maintHealth],
  MediaRecord: [mediaRecord],
  MediaCheck: [mediaCheck],
  MaintResponse: [{ requestId: 16, errorCode: 'KEN_ERR_MAINT_REFUSED', health: maintHealth, metricsText: 'ken_x_total 1\n', media: [mediaRecord], mediaCheck, actPosition: 17 }],
  TerminalRequest: [
    { requestId: 1, session, terminalId: 'T-01', loginBegin: { accountId: 'OP001' } },
    { requestId: 2, session, terminalId: 'T-01', loginFinish: { accountId: 'OP001', challenge: bytes(54), signature: bytes(55), pin: '1234', adapter: 'key-file' } },
    { requestId: 3, session, terminalId: 'T-01', sessionOp: { action: SessionAction.LOGOUT } },
    { requestId: 4, session, terminalId: 'T-01', search: { purpose: 'B5-1', juminhyoCode: '12345678903', kojinBango: '123456789018', name: 'シケン', address: '福岡', birthDate: '1980-02-29', sex: Sex.MALE, fuzzy: true } },
    { requestId: 5, session, terminalId: 'T-01', view: { purpose: 'B5-1', ref: 'r-1' } },
    { requestId: 6, session, terminalId: 'T-01', provide: { purpose: 'B5-1', kind: ProvisionKind.ITEN, recipient: 'D-ZEIMU', refs: ['r-1'], items: ['name'], channel: 'terminal', reference: 'DOC-1' } },
    { requestId: 7, session, terminalId: 'T-01', account: { action: AccountAction.REGISTER, accountId: 'OP002', role: 'operator', department: 'D-ZEIMU', branch: 'HONCHO', purposes: ['B5-1'], pin: '1234', certificate: bytes(56), reason: 'T-1' } },
    { requestId: 8, session, terminalId: 'T-01', accounts: { listing: AccountListing.UNREPORTED } },
    { requestId: 9, session, terminalId: 'T-01', deletion: deletionOp },
    { requestId: 10, session, terminalId: 'T-01', print: { purpose: 'B5-1', ref: 'r-1' } },
    { requestId: 9, session, terminalId: 'T-01', disclosure: disclosureRequest },
    { requestId: 10, session, terminalId: 'T-01', correction: correctionStep },
    { requestId: 11, session, terminalId: 'T-01', corrections: { purpose: 'K-TEISEI', openOnly: true, caseId: 'ab' } },
    { requestId: 30, session, terminalId: 'T-01', bulkApprove: bulkApproval },
    { requestId: 31, session, terminalId: 'T-01', bulkRun: bulkRun },
    { requestId: 32, session, terminalId: 'T-01', statistics: { month: '2026-06', reason: 'R-1' } },
    { requestId: 33, session, terminalId: 'T-01', review: reviewQuery },
    { requestId: 34, session, terminalId: 'T-01', reviewSample: { fiscalYear: 2026, size: 5, seed: 'ab'.repeat(16), upTo: 99 } }
  ],
  LoginBegin: [{ accountId: 'OP001' }],
  LoginFinish: [{ accountId: 'OP001', challenge: bytes(54), signature: bytes(55), pin: '1234', adapter: 'key-file' }],
  SessionOp: [{ action: SessionAction.LOCK }],
  SearchQuery: [{ purpose: 'B5-1', juminhyoCode: '12345678903', kojinBango: '123456789018', name: 'シケン', address: '福岡', birthDate: '1980-02-29', sex: Sex.FEMALE, fuzzy: true }],
  ViewQuery: [{ purpose: 'B5-1', ref: 'r-1' }],
  ProvisionRequest: [{ purpose: 'B5-1', kind: ProvisionKind.TEIKYO, recipient: 'E-KYOUIKU', refs: ['r-1'], items: ['name'], channel: 'terminal', reference: 'DOC-1' }],
  AccountChange: [{ action: AccountAction.APPROVE, accountId: 'OP002', role: 'operator', department: 'D-ZEIMU', branch: 'HONCHO', purposes: ['B5-1'], pin: '1234', certificate: bytes(56), reason: 'T-1' }],
  AccountQuery: [{ listing: AccountListing.ALL }],
  TerminalResponse: [
    { requestId: 1, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, challenge: { challenge: bytes(57) } },
    { requestId: 2, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, session: sessionInfo },
    { requestId: 3, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, search: { hits: [hit], tooMany: true, national: 'unavailable' } },
    { requestId: 4, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, record: { ref: 'r-1', items: [recordItem], removed: true } },
    { requestId: 5, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, accounts: { accounts: [accountInfo] } },
    { requestId: 6, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, purposes: { purposes: [purposeInfo] } },
    { requestId: 7, errorCode: 'KEN_ERR_TERM_DELETION_SAME_PERSON', errorField: 'approver', logPosition: 9, deletions: { requests: [deletionInfo] } },
    { requestId: 7, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, disclosure: disclosureAnswer },
    { requestId: 8, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, corrections: { cases: [correctionCase] } },
    { requestId: 30, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, bulk: bulkOutput },
    { requestId: 31, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, statistics: statisticsReport },
    { requestId: 32, errorCode: 'KEN_ERR_TERM_PURPOSE', errorField: 'purpose', logPosition: 9, review: reviewResult }
  ],
  LoginChallenge: [{ challenge: bytes(57) }],
  SessionInfo: [sessionInfo],
  RecordItem: [recordItem],
  SearchHit: [hit],
  SearchResult: [{ hits: [hit], tooMany: true, national: 'unavailable' }],
  RecordView: [{ ref: 'r-1', items: [recordItem], removed: true }],
  AccountInfo: [accountInfo],
  AccountList: [{ accounts: [accountInfo] }],
  PurposeInfo: [purposeInfo],
  PurposeList: [{ purposes: [purposeInfo] }],
  DeletionOp: [deletionOp],
  DeletionRequestInfo: [deletionInfo],
  DeletionList: [{ requests: [deletionInfo] }],
  PrintRecord: [{ purpose: 'B5-1', ref: 'r-1' }],
  DisclosureRequest: [disclosureRequest],
  DisclosureItem: [{ item: 'name', value: '試験' }],
  DisclosureProvision: [disclosureProvision],
  DisclosureAnswer: [disclosureAnswer],
  CorrectionStep: [correctionStep],
  CorrectionQuery: [{ purpose: 'K-TEISEI', openOnly: true, caseId: 'ab' }],
  CorrectionStepInfo: [correctionStepInfo],
  CorrectionCaseInfo: [correctionCase],
  CorrectionCaseList: [{ cases: [correctionCase] }],
  BulkApproval: [bulkApproval],
  BulkConditionRow: [bulkCondition],
  BulkRun: [bulkRun],
  BulkOutput: [bulkOutput],
  StatisticsQuery: [{ month: '2026-06', reason: 'R-1' }],
  StatisticsRow: [statisticsRow],
  StatisticsReport: [statisticsReport],
  ReviewQuery: [reviewQuery],
  ReviewSampleRequest: [{ fiscalYear: 2026, size: 5, seed: 'ab'.repeat(16), upTo: 99 }],
  ReviewRow: [reviewRow],
  ReviewResult: [reviewResult]
} satisfies { [N in MessageName]: Array<MessageMap[N]> }
