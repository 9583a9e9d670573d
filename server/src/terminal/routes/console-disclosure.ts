/**
 * The console's disclosure screens (開示, 住基法30条の32; SPEC §6): on the record page opened under
 * the disclosure 事務, the clerk records the identity document and the request form number and chooses
 * the medium; the store records the disclosure as one act and answers the record and its 提供状況,
 * shown on screen or sent as the A4 PDF (A4.4: screen free, paper charged).
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { DisclosureMedium, type DisclosureAnswer } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { itemLabel, itemValue } from '../console/labels.ts'
import { disclosureWords, wordOf } from '../console/words-disclosure.ts'
import { DOCUMENT_CODES, provisionRows, type DocumentCode } from '../forms/disclosure-form.ts'
import { renderDisclosureFor } from '../forms/disclosure-render.ts'
import { formatWareki } from '../../domain/wareki.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { toDisclosureRequest, type DisclosureBody } from './api-disclosure.ts'

const FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose', 'ref', 'document', 'documentReference', 'medium'],
  properties: {
    purpose: { type: 'string', maxLength: 32 }, ref: { type: 'string', maxLength: 32 }, document: { type: 'string', enum: Object.keys(DOCUMENT_CODES) },
    documentReference: { type: 'string', maxLength: 32 }, medium: { type: 'string', enum: ['screen', 'paper'] }
  }
} as const

/** The form on the record page: identity verification, request form number, medium. */
export function disclosureFormHtml (lang: Lang, purpose: string, ref: string): string {
  const w = disclosureWords(lang)
  return `<h2>${h(w.doDisclose)}</h2><p class="help">${h(w.discloseHelp)}</p>
<form class="grid" method="post" action="/disclosure" id="disclosure-form">
<input type="hidden" name="purpose" value="${h(purpose)}"><input type="hidden" name="ref" value="${h(ref)}">
<label for="document">${h(w.document)}</label><select id="document" name="document" required>${Object.keys(DOCUMENT_CODES).map((d) => `<option value="${h(d)}">${h(wordOf(lang, 'doc_', d))}</option>`).join('')}</select>
<label for="documentReference">${h(w.documentReference)}</label><input id="documentReference" name="documentReference" required maxlength="32" pattern="[A-Za-z0-9-]{1,32}">
<fieldset class="full"><legend>${h(w.medium)}</legend><label><input type="radio" name="medium" value="screen" id="medium-screen" checked> ${h(w.screen)}</label> <label><input type="radio" name="medium" value="paper" id="medium-paper"> ${h(w.paperCharged)}</label></fieldset>
<div class="full"><button class="primary" type="submit" id="disclose-submit">${h(w.doDisclose)}</button></div>
</form>`
}

function screenHtml (lang: Lang, d: DisclosureAnswer): string {
  const w = disclosureWords(lang)
  // The screen shows dates in 和暦 like the printed form (SPEC §6).
  const value = (i: { item: string, value: string }): string => i.item === 'birthDate' || i.item === 'changeDate' ? formatWareki(i.value) : itemValue(lang, i)
  const record = d.items.map((i) => `<tr><th scope="row">${h(itemLabel(lang, i.item))}</th><td>${h(value(i))}</td></tr>`).join('')
  const rows = provisionRows(d).map((r) => `<tr><td>${h(formatWareki(r.date))}</td><td>${h(r.recipient)}</td><td>${h(r.purpose)}</td><td>${h(r.items.join('、'))}</td></tr>`).join('')
  return `<p id="disclosure-ref">${h(w.referenceNumber)}: ${h(d.referenceNumber)} · ${h(w.issuedOn)}: ${h(formatWareki(d.issuedOn))} · ${h(d.prefectureName)}</p>
<table id="disclosed-record"><tbody>${record}</tbody></table>
<h2>${h(w.provisionHistory)}</h2>${d.truncated ? `<p class="help">${h(w.truncated)}</p>` : ''}
${rows === '' ? `<p id="no-provisions">${h(w.noProvisions)}</p>` : `<table id="provisions"><thead><tr><th>${h(w.provisionDate)}</th><th>${h(w.recipientCol)}</th><th>${h(w.purposeCol)}</th><th>${h(w.itemsCol)}</th></tr></thead><tbody>${rows}</tbody></table>`}`
}

export async function consoleDisclosureRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const html = (reply: FastifyReply, status: number, body: string): FastifyReply => reply.code(status).type('text/html; charset=utf-8').send(body)

  app.post<{ Body: DisclosureBody & { document: DocumentCode } }>('/disclosure', { schema: { body: FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), disclosure: toDisclosureRequest(req.body) })
    const d = r.disclosure
    if (r.errorCode !== '' || d == null) return html(reply, httpStatus(r.errorCode), page({ lang, title: 'disclosure', who: req.kenWho, error: r.errorCode, body: '<p><a href="/search">&#8592;</a></p>' }))
    if (d.medium === DisclosureMedium.PAPER) {
      const pdf = await renderDisclosureFor(d, req.body.documentReference)
      return await reply.code(200).type('application/pdf').header('content-disposition', `attachment; filename="disclosure-${d.referenceNumber}.pdf"`).send(pdf)
    }
    return html(reply, 200, page({ lang, title: 'disclosure', who: req.kenWho, body: screenHtml(lang, d) }))
  })
}
