/**
 * The registry of act kinds (log.proto LogAct.kind): every act of a person or a front daemon that the
 * store records (SPEC §4 first bullet, §6 操作履歴, §7). Open-ended like @peculiar/x509's extension
 * registry, but closed at run time: the store refuses a kind that is not listed here
 * (KEN_ERR_STORE_ACT_KIND), so a front daemon cannot invent entries.
 *
 * Each daemon keeps its own block; a kind is `<daemon>.<act>`. `detail` says what the kind's sealed
 * detail holds (personal parts, sealed under the period key), or '' when it has none.
 */
export interface ActKindSpec {
  /** What the act is, for the operation-history review and docs/store-contract.md. */
  readonly title: string
  /** What `sealed_detail` holds for this kind ('' when the kind carries no personal part). */
  readonly detail: string
}

const STORE_ACTS = {
  'store.act-test': { title: 'a test act (conformance suite only)', detail: 'arbitrary test bytes' },
  'store.fuhyo-kojin-drawn': { title: '附票: a 個人番号 drawn into the temporary area for a person who moved abroad (SPEC §2.2)', detail: '' },
  'store.fuhyo-kojin-erased': { title: '附票: a temporary-area 個人番号 erased (delivery confirmed, or its limit passed)', detail: '' },
  'store.physical-deletion-refused': { title: '物理削除 refused: no second approver, or the approver is the requester (SPEC §2.5)', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/** The national link (SPEC §5.1, 住基法30条の7; issue 12): ken-national's transmissions and the store's 照会. */
const NATIONAL_ACTS = {
  'national.forward': { title: 'a transmission batch to the national server, acknowledged after its durable commit: positions from–to, forwards counted, peer', detail: '' },
  'national.query': { title: 'a query (照会) to the national server for a person outside the prefecture, made for an operator', detail: 'the search conditions and the 住民票コード answered (JSON)' }
} as const satisfies Record<string, ActKindSpec>

/** Reconciliation with each CS (SPEC §5.3, docs/reconciliation.md). */
const RECONCILE_ACTS = {
  'reconcile.run': { title: 'a reconciliation run closed (整合性確認): its summary in count, municipality and session in terminal and note', detail: 'ReconcileRunDetail: every difference of the run (住民票コード, kind, item names)' },
  'reconcile.refused': { title: 'a reconciliation chunk refused (e.g. for another municipality than the certificate\'s)', detail: '' },
  'reconcile.resolve': { title: 'a mismatch resolved: run in from_position, difference index in count, fixing update in to_position, status in note', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/**
 * Technicians' acts through ken-maint (SPEC §7, sources D3, D8: every act names the technician, the
 * `actor`), and the administrator's restore. None carries a personal part.
 */
const MAINT_ACTS = {
  'maint.login': { title: 'a technician signed in to ken-maint (mutual TLS)', detail: '' },
  'maint.refused': { title: 'a technician\'s request was refused (an unknown route, or a resident\'s data asked for)', detail: '' },
  'maint.backup': { title: 'a backup was taken (on demand by a technician, or by the daily schedule)', detail: '' },
  'maint.restore': { title: 'a backup was restored, verified, by the administrator', detail: '' },
  'maint.rotation': { title: 'TLS material (certificate, CA bundle, CRL) was rotated without restart', detail: '' },
  'maint.config-change': { title: 'a validated configuration change was written', detail: '' },
  'maint.media-check': { title: 'the weekly check of the media register against the store room', detail: '' },
  'maint.media-disposal': { title: 'a backup medium was entered as disposed, with the reason', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/** The terminal capability (server/src/store/terminal/, SPEC §6 操作履歴; A2.5, A3.5, A7.3). */
const TERMINAL_ACTS = {
  'terminal.login': { title: 'login with both factors (or a refused attempt: reason and failure kind in the note)', detail: '' },
  'terminal.unlock': { title: 're-authentication of a locked session', detail: '' },
  'terminal.lock': { title: 'session locked (idle or by hand)', detail: '' },
  'terminal.logout': { title: 'logout', detail: '' },
  'terminal.refused': { title: 'a request without a valid session (or another guard refusal not tied to an op)', detail: '' },
  'terminal.search': { title: '本人確認情報検索: purpose, mode, exact/fuzzy, hit count; refused searches too', detail: 'JSON: the conditions entered, hits shown, matches' },
  'terminal.view': { title: 'a record opened (who opened whom, for which purpose)', detail: 'JSON: the items shown' },
  'terminal.provide': { title: '提供/移転: purpose, kind, recipient, channel, items, records; refused attempts too', detail: 'JSON: kind, recipient, items, channel, reference, the 住民票コード provided' },
  'terminal.account.register': { title: 'account registered (pending approval)', detail: '' },
  'terminal.account.approve': { title: 'registration approved by a second administrator', detail: '' },
  'terminal.account.revoke': { title: 'rights revoked', detail: '' },
  'terminal.account.delete': { title: 'account deleted', detail: '' },
  'terminal.account.unlock': { title: 'account unlocked after the failure lockout', detail: '' },
  'terminal.account.reported': { title: 'a 拠点管理者 change confirmed as reported', detail: '' },
  'terminal.account.renew': { title: 'registration re-confirmed for the fiscal year (expiry 30 April of the next fiscal year)', detail: '' },
  'terminal.account.list': { title: 'the account list or the unreported-changes list was read', detail: '' },
  'terminal.account.bootstrap': { title: 'an account created at set-up (first administrator)', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/**
 * 物理削除 through the terminal (SPEC §2.5, E5, H24) and recorded prints (A8.3, H20): who, when, the
 * reference — the person only as a blind index (juminhyo_codes), never the deleted content.
 */
const DELETION_ACTS = {
  'terminal.deletion.request': { title: '物理削除 requested by a system administrator: request id and the municipality\'s reference in the note; refused attempts too', detail: '' },
  'terminal.deletion.approve': { title: '物理削除 approved by a security officer other than the requester (approver); from_position the filing, to_position the erasure entry, count the keys destroyed; refused attempts too', detail: '' },
  'terminal.deletion.reject': { title: 'a 物理削除 request declined by a security officer', detail: '' },
  'terminal.deletion.list': { title: 'the 物理削除 requests were listed', detail: '' },
  'terminal.print': { title: 'a record screen printed (terminal.hardcopy print-with-record), or a refused print', detail: 'JSON: the items printed' }
} as const satisfies Record<string, ActKindSpec>

/**
 * Disclosure and correction requests (issue 14; 住基法30条の32, 30条の35; requirements A4, H10, H11).
 * Correction steps carry the case id in `ref` (the actidx view files them by case).
 */
const DISCLOSURE_ACTS = {
  'disclosure.give': { title: '開示: a resident\'s own record and 提供状況 disclosed to them; identity document and medium (screen/paper) in the note; refused attempts too', detail: 'JSON: the request form number, the document kind, the medium, the provision positions disclosed' },
  'correction.receive': { title: '訂正等の申出 received: a case opened for a resident', detail: 'JSON: the request as the resident put it, the request form number' },
  'correction.investigate': { title: 'a correction case under investigation (調査)', detail: '' },
  'correction.refer': { title: 'the municipality was contacted about a correction case (its 市町村コード in the note)', detail: '' },
  'correction.updated': { title: 'the municipality\'s update that fixed a correction case: its log position in to_position', detail: '' },
  'correction.close': { title: 'a correction case closed: corrected, or not corrected with the reason', detail: 'JSON: the reason given to the requester' },
  'correction.list': { title: 'the correction cases were read (no personal data shown)', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/**
 * Bulk provision, statistics and the operation-history review on the terminal socket (issue 14 items
 * 3–5; requirements A5.2, A5.3, A6.6, A7.6): server/src/store/terminal/{bulk,statistics,review}-ops.ts.
 */
const REPORT_ACTS = {
  'terminal.bulk.approve': { title: '一括提供 approved beforehand by an administrator: requester, recipient, recipient key, expected count, expiry in the note; its log position is the approval ID', detail: '' },
  'terminal.bulk.run': { title: '一括提供 run: the approval in from_position, records in count, rows, medium and SHA-256 of the encrypted result file in the note; refused runs too', detail: 'JSON: the conditions of the file and the 住民票コード output' },
  'terminal.statistics': { title: 'monthly statistics computed (month and the recorded reason in the note, A6.6)', detail: '' },
  'terminal.review.query': { title: 'the operation history was read by a reviewer (the filters in the note)', detail: '' },
  'terminal.review.sample': { title: 'a random sample of the operation history for the yearly check: fiscal year, size, seed and population in the note, range in from/to_position', detail: '' }
} as const satisfies Record<string, ActKindSpec>

/** Every kind the store accepts, by name. */
export const ACT_KINDS: Readonly<Record<string, ActKindSpec>> = Object.freeze({
  ...STORE_ACTS,
  ...NATIONAL_ACTS,
  ...RECONCILE_ACTS,
  ...MAINT_ACTS,
  ...TERMINAL_ACTS,
  ...DELETION_ACTS,
  ...DISCLOSURE_ACTS,
  ...REPORT_ACTS
})

/** True when `kind` is a registered act kind. */
export function isActKind (kind: string): boolean {
  return Object.hasOwn(ACT_KINDS, kind)
}
