/**
 * 開示 (住基法30条の32; SPEC §6; requirements A4.1–A4.5, H10, H11): a resident's own record and the
 * record of to whom it was provided (提供状況), given to the resident after the clerk recorded how
 * their identity was verified. The whole disclosure — screen or paper — is ONE act
 * (`disclosure.give`), refusals too; its reference number is derived from that act's position, so the
 * printed form points at its own log entry.
 */
import { DisclosureMedium, IdentityDocument, type DisclosureProvision, type DisclosureRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { jstDateOf } from '../../domain/retention.ts'
import type { LogRecord } from '../store-types.ts'
import type { Store } from '../store.ts'
import { actorFields, cardOf, detail, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { findPurpose, findRecipient, ITEMS, type Item, type PurposeRegistry } from './purposes.ts'
import { pickItems, recordValues } from './record-items.ts'
import { checkPurpose, isPurpose } from './resident-ops.ts'
import { DISCLOSURE_PURPOSE, fiscalYearOf } from './request-purposes.ts'

type Answer = Partial<TerminalResponse>

/** The identity documents of the fixed list (A4.3), by the name the note records. */
export const DOCUMENT_NAMES: Readonly<Record<number, string>> = {
  [IdentityDocument.MY_NUMBER_CARD]: 'my-number-card',
  [IdentityDocument.DRIVING_LICENCE]: 'driving-licence',
  [IdentityDocument.PASSPORT]: 'passport',
  [IdentityDocument.RESIDENCE_CARD]: 'residence-card',
  [IdentityDocument.TWO_DOCUMENTS]: 'two-documents'
}
const MEDIUM_NAMES: Readonly<Record<number, string>> = { [DisclosureMedium.SCREEN]: 'screen', [DisclosureMedium.PAPER]: 'paper' }

/** The request form's number: letters, digits and hyphens — never the identity document's own number. */
const FORM_NUMBER = /^[A-Za-z0-9-]{1,32}$/
/** The most provisions one disclosure lists; more are reported as truncated (the scan stays bounded). */
export const PROVISION_LIMIT = 2000

const ALL_ITEMS = Object.keys(ITEMS) as Item[]

export async function disclose (ctx: TerminalContext, actor: Actor, q: DisclosureRequest): Promise<Answer> {
  const purpose = await checkPurpose(ctx, actor, 'disclosure.give', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const document = DOCUMENT_NAMES[q.document]
  const medium = MEDIUM_NAMES[q.medium]
  const ref = actor.session.refs.get(q.ref)
  const base = { kind: 'disclosure.give', ...actorFields(actor), purpose: purpose.code }
  const note = `card=${cardOf(actor.account)} document=${document ?? 'none'} medium=${medium ?? 'none'}`
  const refuse = async (error: ErrorFactory, field: string, codes: string[] = []): Promise<Answer> =>
    refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code, note, juminhyoCodes: codes }))
  // SPEC §6: a disclosure is made only under the disclosure 事務, never under another purpose's search.
  if (purpose.code !== DISCLOSURE_PURPOSE) return await refuse(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose')
  // A4.2, A4.3: the requester's identity is verified and recorded before anything is shown.
  if (document === undefined || !FORM_NUMBER.test(q.documentReference)) return await refuse(errors.KEN_ERR_TERM_IDENTITY_UNVERIFIED, 'document')
  if (medium === undefined) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'medium')
  // The prefecture discloses its own file: a person answered by the national server is not in it.
  if (ref === undefined || ref.purpose !== purpose.code || ref.national !== undefined) return await refuse(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref')
  const record = await ctx.store.getCurrent(ref.juminhyoCode)
  if (record === undefined) return await refuse(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref', [ref.juminhyoCode])
  const found = await ctx.store.provisionActsOf(ref.juminhyoCode, PROVISION_LIMIT)
  const provisions = await provisionRows(ctx.store, ctx.registry, found.records)
  const now = ctx.clock()
  const position = await recordAct(ctx, {
    ...base,
    count: provisions.length,
    note: `${note}${found.truncated ? ' truncated' : ''}`,
    detail: detail({ documentReference: q.documentReference, document, medium, provisions: provisions.map((p) => p.position) }),
    juminhyoCodes: [ref.juminhyoCode]
  })
  return {
    logPosition: position,
    disclosure: {
      items: pickItems(recordValues(record), ALL_ITEMS),
      removed: record.status === 'removed',
      provisions,
      truncated: found.truncated,
      prefectureName: ctx.options.prefectureName,
      issuedOn: jstDateOf(now),
      referenceNumber: `KJ${fiscalYearOf(now)}-${position}`,
      medium: q.medium,
      document: q.document
    }
  }
}

interface ProvisionDetail { kind?: unknown, recipient?: unknown, items?: unknown }

/**
 * The 提供状況 rows from the provision acts. An act whose period key was shredded is past its
 * retention (SPEC §2.5: ≥ 7 years) and is no longer disclosed: its detail cannot be opened.
 */
export async function provisionRows (store: Store, registry: PurposeRegistry, records: readonly LogRecord[]): Promise<DisclosureProvision[]> {
  const rows: DisclosureProvision[] = []
  for (const r of records) {
    const act = r.entry.act
    if (act == null) continue
    let parsed: ProvisionDetail
    try {
      parsed = JSON.parse((await store.openActDetail(r))?.toString('utf8') ?? '{}') as ProvisionDetail
    } catch (err) {
      if (isKenError(err) && err.code === 'KEN_ERR_STORE_KEY_ERASED') continue
      throw err
    }
    const recipient = typeof parsed.recipient === 'string' ? parsed.recipient : ''
    rows.push({
      recordedAt: r.entry.recordedAt,
      kind: typeof parsed.kind === 'string' ? parsed.kind : '',
      recipient,
      recipientName: findRecipient(registry, recipient)?.name ?? recipient,
      purpose: act.purpose,
      purposeTitle: findPurpose(registry, act.purpose)?.title ?? act.purpose,
      items: Array.isArray(parsed.items) ? parsed.items.filter((i): i is string => typeof i === 'string') : [],
      position: r.position
    })
  }
  return rows
}
