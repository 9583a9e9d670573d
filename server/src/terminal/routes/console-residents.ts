/**
 * The console's resident screens: the search form, the result list, the record view with its
 * provision form, and the provision receipt. Every op goes to the store, which checks the purpose
 * and records the act; a refusal comes back as a sentence on the same screen.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AccountListing, type PurposeInfo, type SearchHit } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { words, type Word } from '../console/i18n.ts'
import { itemLabel, itemValue } from '../console/labels.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { toQuery, type SearchBody } from './api-residents.ts'
import { disclosureFormHtml } from './console-disclosure.ts'
import { receiveFormHtml } from './console-corrections.ts'
import { CORRECTION_PURPOSE, DISCLOSURE_PURPOSE } from '../../store/terminal/request-purposes.ts'

interface SearchForm { purpose: string, juminhyoCode: string, kojinBango: string, name: string, address: string, birthDate: string, sex: '' | 'male' | 'female', fuzzy?: 'on' }
const SEARCH_FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose'],
  properties: {
    purpose: { type: 'string', maxLength: 32 }, juminhyoCode: { type: 'string', maxLength: 11 }, kojinBango: { type: 'string', maxLength: 12 }, name: { type: 'string', maxLength: 64 },
    address: { type: 'string', maxLength: 256 }, birthDate: { type: 'string', maxLength: 10 }, sex: { type: 'string', enum: ['', 'male', 'female'] }, fuzzy: { type: 'string', enum: ['on'] }
  }
} as const
const VIEW_FORM = { type: 'object', additionalProperties: false, required: ['purpose', 'ref'], properties: { purpose: { type: 'string', maxLength: 32 }, ref: { type: 'string', maxLength: 32 } } } as const
interface ProvideForm { purpose: string, ref: string, kind: 'teikyo' | 'iten', recipient: string, items: string | string[], channel: string, reference: string }
const PROVIDE_FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose', 'ref', 'kind', 'recipient', 'channel'],
  properties: {
    purpose: { type: 'string', maxLength: 32 }, ref: { type: 'string', maxLength: 32 }, kind: { type: 'string', enum: ['teikyo', 'iten'] }, recipient: { type: 'string', maxLength: 32 },
    items: { anyOf: [{ type: 'string', maxLength: 32 }, { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 32 } }] }, channel: { type: 'string', maxLength: 16 }, reference: { type: 'string', maxLength: 64 }
  }
} as const

function searchForm (lang: Lang, purposes: readonly PurposeInfo[], f: Partial<SearchForm>): string {
  const w = words(lang)
  const field = (name: keyof SearchForm & Word, attrs: string): string => `<label for="${name}">${h(w[name])}</label><input id="${name}" name="${name}" ${attrs} value="${h(String(f[name] ?? ''))}">`
  return `<p class="help">${h(w.searchHelp)}</p>
<form class="grid" method="post" action="/search" id="search-form">
<label for="purpose">${h(w.purpose)}</label><select id="purpose" name="purpose" required autofocus>${purposes.map((p) => `<option value="${h(p.code)}"${p.code === f.purpose ? ' selected' : ''}>${h(p.code)} ${h(p.title)}</option>`).join('')}</select>
${field('juminhyoCode', 'inputmode="numeric" maxlength="11" pattern="[0-9]{11}"')}
${field('kojinBango', 'inputmode="numeric" maxlength="12" pattern="[0-9]{12}"')}
${field('name', 'maxlength="64"')}
${field('address', 'maxlength="256"')}
${field('birthDate', 'maxlength="10" placeholder="YYYY-MM-DD" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" inputmode="numeric"')}
<label for="sex">${h(w.sex)}</label><select id="sex" name="sex"><option value="">${h(w.any)}</option><option value="male"${f.sex === 'male' ? ' selected' : ''}>${h(w.male)}</option><option value="female"${f.sex === 'female' ? ' selected' : ''}>${h(w.female)}</option></select>
<label for="fuzzy">${h(w.fuzzy)}</label><input id="fuzzy" name="fuzzy" type="checkbox"${f.fuzzy === 'on' ? ' checked' : ''}>
<div class="full"><button class="primary" type="submit" id="search-submit">${h(w.doSearch)}</button></div>
</form>`
}

function hitsTable (lang: Lang, purpose: string, hits: readonly SearchHit[]): string {
  const w = words(lang)
  const first = hits[0]
  if (first === undefined) return ''
  const head = first.items.map((i) => `<th scope="col">${h(itemLabel(lang, i.item))}</th>`).join('')
  const rows = hits.map((hit, n) => `<tr>${hit.items.map((i) => `<td>${h(itemValue(lang, i))}</td>`).join('')}<td>${hit.removed ? `<span class="removed">${h(w.removed)}</span>` : ''}</td>
<td><form class="inline" method="post" action="/record"><input type="hidden" name="purpose" value="${h(purpose)}"><input type="hidden" name="ref" value="${h(hit.ref)}"><button type="submit" id="open-${n}">${h(w.open)}</button></form></td></tr>`).join('\n')
  return `<table id="results"><thead><tr>${head}<th></th><th></th></tr></thead><tbody>${rows}</tbody></table>`
}

export async function consoleResidentRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const purposesOf = async (req: FastifyRequest): Promise<PurposeInfo[]> => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), accounts: { listing: AccountListing.PURPOSES } })
    const mine = new Set(req.kenWho?.purposes ?? [])
    return (r.purposes?.purposes ?? []).filter((p) => mine.has(p.code))
  }
  const html = (reply: FastifyReply, status: number, body: string): FastifyReply => reply.code(status).type('text/html; charset=utf-8').send(body)

  app.get('/search', { config: { auth: 'console', roles: ['operator'] } }, async (req, reply) => {
    const lang = langOf(req)
    return html(reply, 200, page({ lang, title: 'search', who: req.kenWho, body: searchForm(lang, await purposesOf(req), {}) }))
  })

  app.post<{ Body: SearchForm }>('/search', { schema: { body: SEARCH_FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    const w = words(lang)
    const f = req.body
    const body: SearchBody = { purpose: f.purpose, juminhyoCode: f.juminhyoCode, kojinBango: f.kojinBango, name: f.name, address: f.address, birthDate: f.birthDate, sex: f.sex, fuzzy: f.fuzzy === 'on' }
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), search: toQuery(body) })
    const form = searchForm(lang, await purposesOf(req), f)
    if (r.errorCode !== '') return html(reply, httpStatus(r.errorCode), page({ lang, title: 'search', who: req.kenWho, error: r.errorCode, body: form }))
    const s = r.search
    const national = s?.national === 'unavailable' ? w.nationalUnavailable : s?.national === 'answered' ? w.nationalAnswered : ''
    const summary = s?.tooMany === true
      ? `<p class="error" role="alert" id="too-many">${h(w.tooMany)}</p>`
      : `<p role="status" id="hit-count">${s?.hits.length ?? 0} ${h(w.hits)}${(s?.hits.length ?? 0) === 0 ? ` — ${h(w.noHits)}` : ''}</p>${national === '' ? '' : `<p class="help" id="national">${h(national)}</p>`}`
    return html(reply, 200, page({ lang, title: 'search', who: req.kenWho, body: `${form}<h2>${h(w.results)}</h2>${summary}${hitsTable(lang, f.purpose, s?.hits ?? [])}` }))
  })

  app.post<{ Body: { purpose: string, ref: string } }>('/record', { schema: { body: VIEW_FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    const w = words(lang)
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), view: { purpose: req.body.purpose, ref: req.body.ref } })
    if (r.errorCode !== '' || r.record == null) return html(reply, httpStatus(r.errorCode), page({ lang, title: 'record', who: req.kenWho, error: r.errorCode, body: `<p><a href="/search">${h(w.search)}</a></p>` }))
    const purpose = (await purposesOf(req)).find((p) => p.code === req.body.purpose)
    const rows = r.record.items.map((i) => `<tr><th scope="row">${h(itemLabel(lang, i.item))}</th><td>${h(itemValue(lang, i))}</td></tr>`).join('')
    // Issue 14: under the disclosure or correction 事務 the record page offers that request instead.
    const own = purpose?.code === DISCLOSURE_PURPOSE ? disclosureFormHtml(lang, purpose.code, r.record.ref) : purpose?.code === CORRECTION_PURPOSE ? receiveFormHtml(lang, purpose.code, r.record.ref) : undefined
    const provideForm = own !== undefined ? own : purpose === undefined ? '' : `<h2>${h(w.provide)}</h2>
<form class="grid" method="post" action="/provide" id="provide-form">
<input type="hidden" name="purpose" value="${h(purpose.code)}"><input type="hidden" name="ref" value="${h(r.record.ref)}">
<label for="kind">${h(w.kind)}</label><select id="kind" name="kind"><option value="iten">${h(w.iten)}</option><option value="teikyo">${h(w.teikyo)}</option></select>
<label for="recipient">${h(w.recipient)}</label><select id="recipient" name="recipient">${purpose.recipients.map((code, i) => `<option value="${h(code)}">${h(code)} ${h(purpose.recipientNames[i] ?? '')}</option>`).join('')}</select>
<fieldset class="full"><legend>${h(w.items)}</legend>${purpose.items.map((item) => `<label><input type="checkbox" name="items" value="${h(item)}" checked> ${h(itemLabel(lang, item))}</label>`).join(' ')}</fieldset>
<label for="channel">${h(w.channel)}</label><select id="channel" name="channel"><option value="terminal">${h(w.terminal)}</option><option value="paper">${h(w.paper)}</option></select>
<label for="reference">${h(w.reference)}</label><input id="reference" name="reference" maxlength="64">
<div class="full"><button class="primary" type="submit" id="provide-submit">${h(w.doProvide)}</button></div>
</form>`
    // A8.3: the print action exists only with terminal.hardcopy "print-with-record" (print.js records, then prints).
    const print = req.kenWho?.hardcopy === 'print-with-record' && purpose !== undefined ? `<p><button type="button" id="print-record" data-purpose="${h(purpose.code)}" data-ref="${h(r.record.ref)}">${h(w.print)}</button></p>` : ''
    return html(reply, 200, page({ lang, title: 'record', who: req.kenWho, body: `${r.record.removed ? `<p class="removed">${h(w.removed)}</p>` : ''}<table id="record"><tbody>${rows}</tbody></table>${print}${provideForm}` }))
  })

  app.post<{ Body: ProvideForm }>('/provide', { schema: { body: PROVIDE_FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    const w = words(lang)
    const b = req.body
    const items = b.items === undefined ? [] : Array.isArray(b.items) ? b.items : [b.items]
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), provide: { purpose: b.purpose, kind: b.kind === 'teikyo' ? 1 : 2, recipient: b.recipient, refs: [b.ref], items, channel: b.channel, reference: b.reference ?? '' } })
    const back = `<p><a href="/search" id="back-to-search">${h(w.search)}</a></p>`
    if (r.errorCode !== '') return html(reply, httpStatus(r.errorCode), page({ lang, title: 'provide', who: req.kenWho, error: r.errorCode, body: back }))
    return html(reply, 200, page({ lang, title: 'provide', who: req.kenWho, notice: `${w.provided} ${r.logPosition}`, body: back }))
  })
}
