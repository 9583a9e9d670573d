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
  'store.act-test': { title: 'a test act (conformance suite only)', detail: 'arbitrary test bytes' }
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

/** Every kind the store accepts, by name. */
export const ACT_KINDS: Readonly<Record<string, ActKindSpec>> = Object.freeze({
  ...STORE_ACTS,
  ...TERMINAL_ACTS
})

/** True when `kind` is a registered act kind. */
export function isActKind (kind: string): boolean {
  return Object.hasOwn(ACT_KINDS, kind)
}
