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

/** Every kind the store accepts, by name. */
export const ACT_KINDS: Readonly<Record<string, ActKindSpec>> = Object.freeze({
  ...STORE_ACTS,
  ...MAINT_ACTS
})

/** True when `kind` is a registered act kind. */
export function isActKind (kind: string): boolean {
  return Object.hasOwn(ACT_KINDS, kind)
}
