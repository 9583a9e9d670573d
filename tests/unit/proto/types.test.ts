/**
 * Keeps proto/src/types.ts in step with the `.proto` files. Each key list below is an object literal
 * that `satisfies Record<keyof Interface, true>`: a field added to or removed from an interface is a
 * type error here, and a field added to or removed from a `.proto` message fails the comparison.
 */
import t from 'tap'
import protobuf from 'protobufjs'
import { enumType, messageType, root } from '../../../proto/src/schema.ts'
import {
  AccountAction, AccountListing, DeletionAction, CorrectionStepKind, DisclosureMedium, IdentityDocument, ChangeReason, DifferenceKind, MismatchStatus, FuhyoNotice, FuhyoState, LogAdminKind, LogUpdateKind, MaintOperation, ProvisionKind, ResultStatus, SessionAction, Sex, Stream, type MessageMap, type MessageName
} from '../../../proto/src/types.ts'

const FIELDS = {
  Update: { municipalityCode: true, stream: true, sequence: true, requestId: true, operatorId: true, terminalId: true, timestamp: true, identity: true, fuhyo: true },
  IdentityUpdate: {
    juminhyoCode: true, changeReason: true, changeDate: true, nameKanji: true, nameGaijiCount: true, nameKana: true, birthDate: true, sex: true,
    address: true, addressGaijiCount: true, kojinBango: true, oazaCode: true, gaijiFlag: true, nameGaijiSerial: true, addressGaijiSerial: true,
    kyuujiKanji: true, kyuujiGaijiCount: true, kyuujiKana: true, kyuujiGaijiSerial: true, previousJuminhyoCode: true
  },
  FuhyoUpdate: {
    juminhyoCode: true, nameKanji: true, nameGaijiCount: true, nameKana: true, birthDate: true, sex: true, addressMunicipalityCode: true, address: true,
    addressGaijiCount: true, lastAddress: true, lastAddressGaijiCount: true, changeDate: true, previousJuminhyoCode: true, fuhyoMunicipalityCode: true,
    state: true, gaijiFlag: true, gaijiPattern: true, notice: true
  },
  UpdateBatch: { updates: true },
  UpdateBatchResult: { results: true, payloadSha256: true },
  UpdateResult: {
    municipalityCode: true, stream: true, sequence: true, requestId: true, status: true, reasonCode: true, field: true, logPosition: true, entryHash: true,
    expectedSequence: true, payloadSha256: true
  },
  AppendItem: { municipalityCode: true, update: true, rejection: true, payloadSha256: true },
  PreRejection: { reasonCode: true, field: true, stream: true, sequence: true, requestId: true, payloadLength: true },
  AppendRequest: { batchId: true, items: true },
  AppendResponse: { batchId: true, results: true, errorCode: true },
  ReconcileChunk: { municipalityCode: true, sessionId: true, chunkIndex: true, chunkCount: true, snapshotDate: true, records: true },
  ReconcileRecord: { juminhyoCode: true, contentDigest: true, itemDigests: true },
  ReconcileResult: { municipalityCode: true, sessionId: true, chunkIndex: true, complete: true, differences: true, summary: true, reasonCode: true },
  ReconcileDifference: { juminhyoCode: true, kind: true, fields: true },
  ReconcileSummary: { recordsAtCs: true, recordsHere: true, matching: true, missingHere: true, missingAtCs: true, differing: true },
  NationalForward: {
    logPosition: true, entryHash: true, prefectureCode: true, municipalityCode: true, juminhyoCode: true, nameKanji: true, nameKana: true, birthDate: true,
    sex: true, address: true, kojinBango: true, changeReason: true, changeDate: true, kyuujiKanji: true, kyuujiKana: true, previousJuminhyoCode: true, previousPosition: true
  },
  NationalAck: { logPosition: true, reasonCode: true },
  NationalFuhyoForward: { logPosition: true, entryHash: true, prefectureCode: true, municipalityCode: true, previousPosition: true, fuhyo: true },
  NationalBatchItem: { identity: true, fuhyo: true },
  NationalForwardBatch: { items: true },
  OutboxRequest: { read: true, confirm: true, queryAnswer: true },
  OutboxRead: { fromPosition: true, maxItems: true, waitMs: true },
  OutboxConfirm: { upToPosition: true, peer: true },
  OutboxMessage: { batch: true, confirmed: true, query: true },
  OutboxBatch: { items: true, scannedTo: true, head: true, confirmed: true, errorCode: true },
  OutboxItem: { recordedAt: true, identity: true, fuhyo: true },
  OutboxConfirmed: { confirmed: true, actPosition: true, errorCode: true },
  NationalSearchRequest: { queryId: true, purposeCode: true, juminhyoCode: true, kojinBango: true, fourItems: true },
  FourItems: { nameKana: true, nameKanji: true, address: true, birthDate: true, sex: true },
  NationalSearchResponse: { queryId: true, records: true, reasonCode: true },
  LogEntry: { position: true, recordedAt: true, update: true, admin: true, act: true },
  LogUpdate: {
    municipalityCode: true, stream: true, sequence: true, requestId: true, payloadSha256: true, payloadLength: true, kind: true, changeReason: true,
    status: true, reasonCode: true, field: true, expectedSequence: true, keyId: true, sealedUpdate: true, effect: true
  },
  LogEffect: { subject: true, retiredSubject: true, kojinToken: true, recordMunicipalityCode: true, removed: true, sealedRecord: true, person: true, contentTag: true, searchKeys: true },
  LogAdminAct: {
    kind: true, actor: true, approver: true, note: true, keyId: true, replayed: true, keyIds: true, dueRows: true, historyErased: true, removedErased: true,
    fuhyoErased: true, periodsErased: true, through: true
  },
  LogAct: {
    kind: true, actor: true, role: true, terminal: true, purpose: true, refused: true, reasonCode: true, count: true, fromPosition: true, toPosition: true,
    note: true, approver: true, period: true, sealedDetail: true, subjects: true, ref: true
  },
  ResidentView: { keyId: true, position: true, municipalityCode: true, removed: true, kojinToken: true, sealedRecord: true, searchKeys: true, person: true, removedOn: true, retiredSubjects: true },
  HistoryView: { keyId: true, position: true, supersededAt: true, sealedRecord: true, person: true },
  FuhyoView: { keyId: true, position: true, sealedRecord: true, person: true },
  DedupView: { position: true, entryHash: true, status: true, reasonCode: true, field: true },
  CountsView: { current: true, accepted: true, rejected: true },
  StoredResident: {
    identity: true, municipalityCode: true, removed: true, seionKana: true, notifiedDate: true, deleted: true, retentionOnly: true, sequence: true,
    stream: true, operatorId: true, terminalId: true, timestamp: true
  },
  StoredFuhyo: { fuhyo: true, municipalityCode: true, notifiedDate: true, sequence: true, stream: true },
  // transparency.proto
  TransparencyRequest: { requestId: true, checkpoint: true, inclusion: true, consistency: true, publicKey: true },
  CheckpointQuery: { size: true },
  InclusionQuery: { position: true, size: true, municipalityCode: true, fromSize: true },
  ConsistencyQuery: { fromSize: true, toSize: true },
  TransparencyResponse: {
    requestId: true, errorCode: true, checkpoint: true, treeSize: true, position: true, leafIndex: true, entry: true, leafHash: true, proof: true,
    fromCheckpoint: true, fromSize: true, consistencyProof: true, verifierKey: true
  },
  ProofRequest: { requestId: true, logPosition: true, knownSize: true },
  ProofResponse: {
    requestId: true, reasonCode: true, checkpoint: true, treeSize: true, logPosition: true, leafIndex: true, entry: true, leafHash: true,
    inclusionProof: true, knownSize: true, consistencyProof: true
  },
  ReconcileRequest: { requestId: true, municipalityCode: true, chunk: true },
  ReconcileResponse: { requestId: true, result: true, errorCode: true },
  ReconcileRunState: {
    municipalityCode: true, sessionId: true, chunkCount: true, snapshotDate: true, nextChunk: true, summary: true, complete: true, runPosition: true,
    closeFrom: true, source: true, actor: true, startedAt: true
  },
  ReconcileRunDetail: { municipalityCode: true, sessionId: true, snapshotDate: true, source: true, differences: true, summary: true },
  MismatchItem: {
    runPosition: true, index: true, municipalityCode: true, difference: true, status: true, fixedAt: true, resolvedBy: true, approver: true,
    resolvedAt: true, note: true, resolutionPosition: true, runAt: true
  },
  MismatchQuery: { municipalityCode: true, openOnly: true, month: true },
  MismatchResolution: { runPosition: true, index: true, status: true, fixedAt: true, actor: true, approver: true, note: true },
  MonthlyCountRow: { municipalityCode: true, recordsAtCs: true, recordsHere: true, currentNow: true, openMismatches: true, runPosition: true },
  MonthlyReport: { month: true, rows: true, items: true },
  ReconcileAdminRequest: { requestId: true, actor: true, mediaChunk: true, list: true, resolve: true, monthly: true },
  MismatchList: { items: true },
  ReconcileAdminResponse: { requestId: true, errorCode: true, mediaResult: true, list: true, resolved: true, monthly: true },
  MaintRequest: { requestId: true, operation: true, technician: true, act: true, tls: true, disposal: true },
  MaintAct: { kind: true, refused: true, reasonCode: true, note: true, count: true },
  TlsMaterial: { certPem: true, keyPem: true, caPem: true, crlPem: true },
  MediumDisposal: { mediaId: true, reason: true },
  MaintHealth: { daemon: true, ok: true, uptimeSeconds: true, logPosition: true, logHeadHash: true, detail: true },
  MediaRecord: { mediaId: true, createdAt: true, generation: true, sha256: true, bytes: true, location: true, logPosition: true, logHeadHash: true, disposedAt: true, disposalReason: true },
  MediaCheck: { missing: true, unknown: true, checkedAt: true },
  MaintResponse: { requestId: true, errorCode: true, health: true, metricsText: true, media: true, mediaCheck: true, actPosition: true },
  TerminalRequest: { requestId: true, session: true, terminalId: true, loginBegin: true, loginFinish: true, sessionOp: true, search: true, view: true, provide: true, account: true, accounts: true, deletion: true, print: true, disclosure: true, correction: true, corrections: true, bulkApprove: true, bulkRun: true, statistics: true, review: true, reviewSample: true },
  LoginBegin: { accountId: true },
  LoginFinish: { accountId: true, challenge: true, signature: true, pin: true, adapter: true },
  SessionOp: { action: true },
  SearchQuery: { purpose: true, juminhyoCode: true, kojinBango: true, name: true, address: true, birthDate: true, sex: true, fuzzy: true },
  ViewQuery: { purpose: true, ref: true },
  ProvisionRequest: { purpose: true, kind: true, recipient: true, refs: true, items: true, channel: true, reference: true },
  AccountChange: { action: true, accountId: true, role: true, department: true, branch: true, purposes: true, pin: true, certificate: true, reason: true },
  AccountQuery: { listing: true },
  TerminalResponse: { requestId: true, errorCode: true, errorField: true, logPosition: true, challenge: true, session: true, search: true, record: true, accounts: true, purposes: true, deletions: true, disclosure: true, corrections: true, bulk: true, statistics: true, review: true },
  LoginChallenge: { challenge: true },
  SessionInfo: { session: true, accountId: true, role: true, department: true, branch: true, purposes: true, locked: true, expires: true, idleLockSeconds: true, hardcopy: true },
  RecordItem: { item: true, value: true },
  SearchHit: { ref: true, items: true, removed: true },
  SearchResult: { hits: true, tooMany: true, national: true },
  RecordView: { ref: true, items: true, removed: true },
  AccountInfo: {
    accountId: true, role: true, department: true, branch: true, purposes: true, status: true, registeredBy: true, approvedBy: true, registeredAt: true,
    expires: true, reported: true, failures: true, lockedOut: true
  },
  AccountList: { accounts: true },
  PurposeInfo: { code: true, title: true, basis: true, items: true, departments: true, recipients: true, recipientNames: true },
  PurposeList: { purposes: true },
  DeletionOp: { action: true, requestId: true, juminhyoCode: true, reference: true, reason: true },
  DeletionRequestInfo: { requestId: true, reference: true, requestedBy: true, requestedAt: true, status: true, decidedBy: true, decidedAt: true, requestPosition: true, erasurePosition: true, keys: true },
  DeletionList: { requests: true },
  PrintRecord: { purpose: true, ref: true },
  DisclosureRequest: { purpose: true, ref: true, document: true, documentReference: true, medium: true },
  DisclosureItem: { item: true, value: true },
  DisclosureProvision: { recordedAt: true, kind: true, recipient: true, recipientName: true, purpose: true, purposeTitle: true, items: true, position: true },
  DisclosureAnswer: { items: true, removed: true, provisions: true, truncated: true, prefectureName: true, issuedOn: true, referenceNumber: true, medium: true, document: true },
  CorrectionStep: { purpose: true, kind: true, caseId: true, ref: true, municipalityCode: true, position: true, corrected: true, text: true, reference: true },
  CorrectionQuery: { purpose: true, openOnly: true, caseId: true },
  CorrectionStepInfo: { kind: true, at: true, by: true, logPosition: true },
  CorrectionCaseInfo: { caseId: true, state: true, receivedAt: true, daysOpen: true, municipalityCode: true, fixedAt: true, outcome: true, steps: true },
  CorrectionCaseList: { cases: true },
  BulkApproval: { requester: true, recipient: true, recipientKey: true, purpose: true, expectedCount: true, expires: true, reason: true },
  BulkConditionRow: { row: true, juminhyoCode: true, kojinBango: true, name: true, address: true, birthDate: true, sex: true },
  BulkRun: { approvalId: true, purpose: true, medium: true, conditions: true },
  BulkOutput: { approvalId: true, rows: true, records: true, file: true, sha256: true, recipient: true },
  StatisticsQuery: { month: true, reason: true },
  StatisticsRow: { table: true, keys: true, count: true, refused: true, records: true },
  StatisticsReport: { month: true, fromPosition: true, toPosition: true, rows: true, prefectureName: true },
  ReviewQuery: { actor: true, terminal: true, from: true, to: true, kind: true, purpose: true, flaggedOnly: true },
  ReviewSampleRequest: { fiscalYear: true, size: true, seed: true, upTo: true },
  ReviewRow: { position: true, at: true, kind: true, title: true, actor: true, role: true, terminal: true, purpose: true, refused: true, reasonCode: true, count: true, note: true, flags: true, approver: true },
  ReviewResult: { rows: true, truncated: true, seed: true, population: true }
} satisfies { [N in MessageName]: Record<keyof MessageMap[N], true> }

t.test('each interface lists exactly the fields of its .proto message', async (t) => {
  for (const [name, keys] of Object.entries(FIELDS)) {
    const proto = messageType(name).fieldsArray.map((f) => f.name).sort()
    t.same(Object.keys(keys).sort(), proto, name)
  }
})

t.test('MessageMap names every message of ken.v1', async (t) => {
  const ns = root.lookup('ken.v1')
  if (!(ns instanceof protobuf.Namespace)) return t.fail('ken.v1 is not a namespace')
  const messages = ns.nestedArray.filter((n) => n instanceof protobuf.Type).map((n) => n.name).sort()
  t.same(Object.keys(FIELDS).sort(), messages)
})

t.test('each TS enum has exactly the values of its .proto enum', async (t) => {
  const enums: Array<[string, string, Record<string, number>]> = [
    ['Stream', 'STREAM_', Stream], ['Sex', 'SEX_', Sex], ['ChangeReason', 'CHANGE_REASON_', ChangeReason],
    ['ResultStatus', 'RESULT_STATUS_', ResultStatus], ['FuhyoState', 'FUHYO_STATE_', FuhyoState],
    ['FuhyoNotice', 'FUHYO_NOTICE_', FuhyoNotice], ['DifferenceKind', 'DIFFERENCE_KIND_', DifferenceKind],
    ['LogUpdateKind', 'LOG_UPDATE_KIND_', LogUpdateKind], ['LogAdminKind', 'LOG_ADMIN_KIND_', LogAdminKind],
    ['MismatchStatus', 'MISMATCH_STATUS_', MismatchStatus],
    ['MaintOperation', 'MAINT_OPERATION_', MaintOperation],
    ['SessionAction', 'SESSION_ACTION_', SessionAction], ['ProvisionKind', 'PROVISION_KIND_', ProvisionKind],
    ['AccountAction', 'ACCOUNT_ACTION_', AccountAction], ['AccountListing', 'ACCOUNT_LISTING_', AccountListing],
    ['DeletionAction', 'DELETION_ACTION_', DeletionAction],
    ['IdentityDocument', 'IDENTITY_DOCUMENT_', IdentityDocument], ['DisclosureMedium', 'DISCLOSURE_MEDIUM_', DisclosureMedium],
    ['CorrectionStepKind', 'CORRECTION_STEP_KIND_', CorrectionStepKind]
  ]
  for (const [name, prefix, ts] of enums) {
    const expected = Object.fromEntries(Object.entries(ts).map(([k, v]) => [prefix + k, v]))
    t.same(enumType(name).values, expected, name)
  }
  const ns = root.lookup('ken.v1')
  if (!(ns instanceof protobuf.Namespace)) return t.fail('ken.v1 is not a namespace')
  t.same(ns.nestedArray.filter((n) => n instanceof protobuf.Enum).map((n) => n.name).sort(), enums.map(([n]) => n).sort(), 'every .proto enum has a TS twin')
})
