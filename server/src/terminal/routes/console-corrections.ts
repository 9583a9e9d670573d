/**
 * The console's correction-case screens (訂正等の申出, 住基法30条の35; SPEC §6; A4.6): the open cases
 * by age, one case with its steps and the form for its next step, and the receipt form on the record
 * page. Every screen and step goes to the store, which folds the case from its acts and records each.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CorrectionCaseInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { disclosureWords, wordOf } from '../console/words-disclosure.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { STEP_KINDS, toStep, type StepBody } from './api-disclosure.ts'
import { formatWareki } from '../../domain/wareki.ts'

/** An instant as the clerk reads it: the Japan-time day in 和暦 and the time. */
function jst (iso: string): string {
  if (iso === '') return ''
  const local = new Date(Date.parse(iso) + 9 * 3600_000).toISOString()
  return `${formatWareki(local.slice(0, 10))} ${local.slice(11, 16)}`
}

const PURPOSE = 'K-TEISEI'
const STEP_FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose', 'kind'],
  properties: {
    purpose: { type: 'string', maxLength: 32 }, kind: { type: 'string', enum: Object.keys(STEP_KINDS) }, caseId: { type: 'string', pattern: '^([0-9a-f]{32})?$' }, ref: { type: 'string', maxLength: 32 },
    municipalityCode: { type: 'string', pattern: '^([0-9]{6})?$' }, position: { type: 'string', pattern: '^[0-9]{0,15}$' }, corrected: { type: 'string', enum: ['on'] }, text: { type: 'string', maxLength: 2000 }, reference: { type: 'string', maxLength: 32 }
  }
} as const
type StepForm = Omit<StepBody, 'position' | 'corrected'> & { position?: string, corrected?: 'on' }

/** The receipt form on the record page opened under the correction 事務. */
export function receiveFormHtml (lang: Lang, purpose: string, ref: string): string {
  const w = disclosureWords(lang)
  return `<h2>${h(w.doReceive)}</h2><p class="help">${h(w.receiveHelp)}</p>
<form class="grid" method="post" action="/corrections/step" id="receive-form">
<input type="hidden" name="purpose" value="${h(purpose)}"><input type="hidden" name="kind" value="receive"><input type="hidden" name="ref" value="${h(ref)}">
<label for="text">${h(w.requestText)}</label><textarea id="text" name="text" required maxlength="2000"></textarea>
<label for="reference">${h(w.requestReference)}</label><input id="reference" name="reference" maxlength="32" pattern="[A-Za-z0-9-]{0,32}">
<div class="full"><button class="primary" type="submit" id="receive-submit">${h(w.doReceive)}</button></div>
</form>`
}

function listHtml (lang: Lang, cases: readonly CorrectionCaseInfo[], open: boolean): string {
  const w = disclosureWords(lang)
  const rows = cases.map((c) => `<tr><td><a href="/corrections/${h(c.caseId)}">${h(c.caseId.slice(0, 8))}</a></td><td>${h(wordOf(lang, 'state_', c.state))}</td><td class="days">${h(c.daysOpen)}</td><td>${h(jst(c.receivedAt))}</td><td>${h(c.municipalityCode)}</td></tr>`).join('')
  return `<p><a href="/corrections${open ? '?all=1' : ''}" id="toggle-all">${h(open ? w.showAll : w.showOpen)}</a></p>
${rows === '' ? `<p id="no-cases">${h(w.noCases)}</p>` : `<table id="cases"><thead><tr><th>${h(w.caseId)}</th><th>${h(w.state)}</th><th>${h(w.daysOpen)}</th><th>${h(w.receivedAt)}</th><th>${h(w.municipalityCode)}</th></tr></thead><tbody>${rows}</tbody></table>`}`
}

function stepForm (id: string, caseId: string, kind: string, fields: string, label: string): string {
  return `<form class="grid" method="post" action="/corrections/step" id="${id}"><input type="hidden" name="purpose" value="${PURPOSE}"><input type="hidden" name="kind" value="${kind}"><input type="hidden" name="caseId" value="${h(caseId)}">
${fields}<div class="full"><button class="primary" type="submit" id="${id}-submit">${h(label)}</button></div></form>`
}

function caseHtml (lang: Lang, c: CorrectionCaseInfo): string {
  const w = disclosureWords(lang)
  const steps = c.steps.map((s) => `<tr><td>${h(wordOf(lang, 'step_', s.kind))}</td><td>${h(jst(s.at))}</td><td>${h(s.by)}</td><td>${h(s.logPosition)}</td></tr>`).join('')
  const next = c.state === 'received'
    ? stepForm('investigate-form', c.caseId, 'investigate', '', w.doInvestigate)
    : c.state === 'investigating' || c.state === 'referred' || c.state === 'updated'
      ? [
          c.state === 'investigating' ? stepForm('refer-form', c.caseId, 'refer', `<label for="municipalityCode">${h(w.municipalityCode)}</label><input id="municipalityCode" name="municipalityCode" required pattern="[0-9]{6}" inputmode="numeric">`, w.doRefer) : '',
          c.state === 'referred' ? stepForm('updated-form', c.caseId, 'updated', `<label for="position">${h(w.fixedAt)}</label><input id="position" name="position" required pattern="[0-9]{1,15}" inputmode="numeric">`, w.doUpdated) : '',
          stepForm('close-form', c.caseId, 'close', `<label for="corrected">${h(w.corrected)}</label><input id="corrected" name="corrected" type="checkbox"${c.state === 'updated' ? ' checked' : ''}><label for="reason">${h(w.reasonText)}</label><input id="reason" name="text" maxlength="2000">`, w.doClose)
        ].join('')
      : ''
  return `<table id="case"><tbody><tr><th>${h(w.caseId)}</th><td>${h(c.caseId)}</td></tr><tr><th>${h(w.state)}</th><td id="case-state" data-state="${h(c.state)}">${h(wordOf(lang, 'state_', c.state))}</td></tr>
<tr><th>${h(w.daysOpen)}</th><td>${h(c.daysOpen)}</td></tr><tr><th>${h(w.municipalityCode)}</th><td>${h(c.municipalityCode)}</td></tr><tr><th>${h(w.fixedAt)}</th><td>${c.fixedAt === 0 ? '' : h(c.fixedAt)}</td></tr><tr><th>${h(w.outcome)}</th><td>${h(wordOf(lang, 'outcome_', c.outcome))}</td></tr></tbody></table>
<h2>${h(w.steps)}</h2><table id="steps"><thead><tr><th>${h(w.stepKind)}</th><th>${h(w.at)}</th><th>${h(w.by)}</th><th>${h(w.logPosition)}</th></tr></thead><tbody>${steps}</tbody></table>${next}
<p><a href="/corrections">${h(w.showOpen)}</a></p>`
}

export async function consoleCorrectionRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const html = (reply: FastifyReply, status: number, body: string): FastifyReply => reply.code(status).type('text/html; charset=utf-8').send(body)
  const ask = async (req: FastifyRequest, caseId: string, openOnly: boolean): Promise<Awaited<ReturnType<RouteDeps['link']['ask']>>> =>
    await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), corrections: { purpose: PURPOSE, openOnly, caseId } })

  app.get<{ Querystring: { all?: '1' } }>('/corrections', { schema: { querystring: { type: 'object', additionalProperties: false, properties: { all: { type: 'string', enum: ['1'] } } } }, config: { auth: 'console', roles: ['operator'] } }, async (req, reply) => {
    const lang = langOf(req)
    const open = req.query.all !== '1'
    const r = await ask(req, '', open)
    return html(reply, r.errorCode === '' ? 200 : httpStatus(r.errorCode), page({ lang, title: 'corrections', who: req.kenWho, error: r.errorCode, body: r.errorCode === '' ? listHtml(lang, r.corrections?.cases ?? [], open) : '' }))
  })

  app.get<{ Params: { id: string } }>('/corrections/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f]{32}$' } }, required: ['id'] } }, config: { auth: 'console', roles: ['operator'] } }, async (req, reply) => {
    const lang = langOf(req)
    const r = await ask(req, req.params.id, false)
    const c = r.corrections?.cases[0]
    const error = r.errorCode !== '' ? r.errorCode : c === undefined ? 'KEN_ERR_TERM_CASE_UNKNOWN' : undefined
    if (error !== undefined || c === undefined) return html(reply, httpStatus(error ?? ''), page({ lang, title: 'correctionCase', who: req.kenWho, error, body: '<p><a href="/corrections">&#8592;</a></p>' }))
    return html(reply, 200, page({ lang, title: 'correctionCase', who: req.kenWho, body: caseHtml(lang, c) }))
  })

  app.post<{ Body: StepForm }>('/corrections/step', { schema: { body: STEP_FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    const b = req.body
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), correction: toStep({ ...b, position: b.position === undefined || b.position === '' ? 0 : Number(b.position), corrected: b.corrected === 'on' }) })
    const c = r.corrections?.cases[0]
    if (r.errorCode !== '' || c === undefined) return html(reply, httpStatus(r.errorCode), page({ lang, title: 'correctionCase', who: req.kenWho, error: r.errorCode, body: `<p><a href="/corrections${b.caseId === undefined || b.caseId === '' ? '' : `/${h(b.caseId)}`}">&#8592;</a></p>` }))
    return await reply.redirect(`/corrections/${c.caseId}`, 303)
  })
}
