/**
 * The console's screens of issue 14 items 3–5: monthly statistics (tables and server-drawn SVG
 * charts, CSV and PDF links), the operation-history review (filters, flagged rows, the yearly sample)
 * and bulk provision (the administrator's approval form, the requester's CSV upload that answers with
 * the encrypted result file). Every screen asks the store, which checks the role and records the act.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ACT_KINDS } from '../../../../proto/src/act-kinds.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { ReviewResult, StatisticsReport } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { type Word } from '../console/i18n.ts'
import { reportWords, type ReportWord } from '../console/i18n-reports.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { barChartSvg } from '../stats/bar-chart-svg.ts'
import { rowsOf, shownKeys, STATISTICS_TABLES } from '../stats/statistics-tables.ts'
import { BULK_MEDIA } from '../../store/terminal/bulk-ops.ts'
import { conditionRows, REVIEW_QUERYSTRING, reviewQuery, statisticsOf, type ReviewFilters } from './api-reports.ts'

const STATS_ROLES = ['system-admin', 'branch-admin', 'security-officer', 'auditor']
const REVIEW_ROLES = ['auditor', 'security-officer']
const BULK_ROLES = ['system-admin', 'branch-admin']

/** This month in Japan (UTC+9), YYYY-MM. */
function thisMonth (): string {
  return new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7)
}

function statisticsBody (lang: Lang, report: StatisticsReport): string {
  const w = reportWords(lang)
  const month = h(report.month)
  const sections = STATISTICS_TABLES.map((table) => {
    const rows = rowsOf(report, table)
    const chart = barChartSvg(rows.map((r) => ({ label: shownKeys(table, r).join(' / '), value: r.count })), { title: table.title, width: 720, labelWidth: 260 })
    const head = [...table.keys, ...table.values.map((v) => v.title)].map((c) => `<th scope="col">${h(c)}</th>`).join('')
    const body = rows.length === 0
      ? `<tr><td colspan="${table.keys.length + table.values.length}">${h(w.noRows)}</td></tr>`
      : rows.map((r) => `<tr>${shownKeys(table, r).map((k) => `<td>${h(k)}</td>`).join('')}${table.values.map((v) => `<td class="num">${r[v.field].toLocaleString('ja-JP')}</td>`).join('')}</tr>`).join('\n')
    return `<section class="stat" id="stat-${table.id}"><h2>${h(table.title)}</h2><figure class="chart">${chart}</figure><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></section>`
  }).join('\n')
  return `<form method="get" action="/statistics" id="month-form" class="inline"><label for="month">${h(w.month)}</label><input id="month" name="month" type="month" value="${month}" required><button type="submit">${h(w.show)}</button></form>
<p class="downloads"><a id="csv-link" href="/api/statistics.csv?month=${month}" download>${h(w.csv)}</a> · <a id="pdf-link" href="/api/statistics.pdf?month=${month}" download>${h(w.pdf)}</a></p>
${sections}`
}

function reviewTable (lang: Lang, r: ReviewResult, id: string): string {
  const w = reportWords(lang)
  const cols: ReportWord[] = ['position', 'at', 'kind', 'actor', 'role', 'terminal', 'purpose', 'refused', 'count', 'note', 'flags']
  const local = (iso: string): string => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
  const rows = r.rows.map((x) => `<tr data-position="${x.position}"${x.flags.length > 0 ? ` class="flagged" data-flags="${h(x.flags.join(' '))}"` : ''}>
<td>${x.position}</td><td>${h(local(x.at))}</td><td>${h(x.kind)}<br><small class="act-title">${h(x.title)}</small></td><td>${h(x.actor)}</td><td>${h(x.role)}</td><td>${h(x.terminal)}</td><td>${h(x.purpose)}</td>
<td>${x.refused ? h(`${w.refused} ${x.reasonCode}`) : ''}</td><td class="num">${x.count}</td><td>${h(x.note)}</td><td>${x.flags.map((f) => `<span class="flag">${h(w[`flag_${f}` as ReportWord] ?? f)}</span>`).join(' ')}</td></tr>`).join('\n')
  return `${r.truncated ? `<p class="notice">${h(w.truncated)}</p>` : ''}<table id="${id}"><thead><tr>${cols.map((c) => `<th scope="col">${h(w[c])}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`
}

function reviewForms (lang: Lang, q: ReviewFilters): string {
  const w = reportWords(lang)
  const field = (name: keyof ReviewFilters & ReportWord, type = 'text'): string => `<label for="${name}">${h(w[name])}</label><input id="${name}" name="${name}" type="${type}" value="${h(q[name] ?? '')}">`
  return `<form class="grid" method="get" action="/review" id="review-form">
${field('from', 'date')}${field('to', 'date')}${field('actor')}${field('terminal')}
<label for="kind">${h(w.kind)}</label><select id="kind" name="kind"><option value=""></option>${Object.keys(ACT_KINDS).map((k) => `<option value="${h(k)}"${k === q.kind ? ' selected' : ''}>${h(k)}</option>`).join('')}</select>
${field('purpose')}
<label for="flagged">${h(w.flaggedOnly)}</label><input id="flagged" name="flagged" type="checkbox"${q.flagged === 'on' ? ' checked' : ''}>
<div class="full"><button class="primary" type="submit">${h(w.filter)}</button></div></form>
<h2>${h(w.sample)}</h2>
<form class="grid" method="get" action="/review/sample" id="sample-form">
<label for="fiscalYear">${h(w.fiscalYear)}</label><input id="fiscalYear" name="fiscalYear" inputmode="numeric" pattern="[0-9]{4}" required>
<label for="size">${h(w.size)}</label><input id="size" name="size" inputmode="numeric" pattern="[0-9]{1,4}" required value="50">
<label for="seed">${h(w.seed)}</label><input id="seed" name="seed" pattern="[0-9a-f]{32}">
<label for="upTo">${h(w.upTo)}</label><input id="upTo" name="upTo" inputmode="numeric" pattern="[0-9]*">
<div class="full"><button type="submit">${h(w.doSample)}</button></div></form>`
}

function bulkForms (lang: Lang, role: string): string {
  const w = reportWords(lang)
  const approve = role !== 'system-admin'
    ? ''
    : `<h2>${h(w.approve)}</h2><form class="grid" method="post" action="/bulk/approve" id="approve-form">
<label for="requester">${h(w.requester)}</label><input id="requester" name="requester" required pattern="[A-Z][A-Z0-9]{1,15}">
<label for="recipient">${h(w.recipient)}</label><input id="recipient" name="recipient" required>
<label for="recipientKey">${h(w.recipientKey)}</label><input id="recipientKey" name="recipientKey" required pattern="age1[0-9a-z]{58}">
<label for="purpose">${h(w.purpose)}</label><input id="purpose" name="purpose" required>
<label for="expected">${h(w.expected)}</label><input id="expected" name="expected" required inputmode="numeric" pattern="[0-9]{1,4}">
<label for="expires">${h(w.expires)}</label><input id="expires" name="expires" type="date" required>
<label for="reference">${h(w.reference)}</label><input id="reference" name="reference" pattern="[A-Za-z0-9_/-]{0,32}">
<div class="full"><button class="primary" type="submit">${h(w.doApprove)}</button></div></form>`
  return `${approve}<h2>${h(w.run)}</h2><form class="grid" method="post" action="/bulk/run" id="run-form" enctype="multipart/form-data">
<label for="approvalId">${h(w.approvalId)}</label><input id="approvalId" name="approvalId" required inputmode="numeric" pattern="[0-9]+">
<label for="run-purpose">${h(w.purpose)}</label><input id="run-purpose" name="purpose" required>
<label for="medium">${h(w.medium)}</label><select id="medium" name="medium">${BULK_MEDIA.map((m) => `<option value="${m}">${m}</option>`).join('')}</select>
<label for="conditions">${h(w.conditions)}</label><input id="conditions" name="conditions" type="file" accept=".csv,text/csv" required>
<div class="full"><button class="primary" type="submit">${h(w.doRun)}</button></div></form>`
}

export async function consoleReportRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const html = async (req: FastifyRequest, reply: FastifyReply, status: number, title: Word, body: string, error?: string, notice?: string): Promise<FastifyReply> =>
    await reply.code(status).type('text/html; charset=utf-8').send(page({ lang: langOf(req), title, who: req.kenWho, error, notice, body }))
  const session = (req: FastifyRequest): Uint8Array => req.kenToken ?? new Uint8Array(0)

  app.get<{ Querystring: { month?: string } }>('/statistics', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { month: { type: 'string', pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$' } } } },
    config: { auth: 'console', roles: STATS_ROLES }
  }, async (req, reply) => {
    const month = req.query.month === undefined || req.query.month === '' ? thisMonth() : req.query.month
    const r = await statisticsOf(deps, session(req), month, 'console')
    if (r.errorCode !== '' || r.statistics == null) return await html(req, reply, httpStatus(r.errorCode), 'statistics', '', r.errorCode)
    return await html(req, reply, 200, 'statistics', statisticsBody(langOf(req), r.statistics))
  })

  app.get<{ Querystring: ReviewFilters }>('/review', { schema: { querystring: REVIEW_QUERYSTRING }, config: { auth: 'console', roles: REVIEW_ROLES } }, async (req, reply) => {
    const r = await deps.link.ask({ session: session(req), review: reviewQuery(req.query) })
    const forms = reviewForms(langOf(req), req.query)
    if (r.errorCode !== '' || r.review == null) return await html(req, reply, httpStatus(r.errorCode), 'review', forms, r.errorCode)
    return await html(req, reply, 200, 'review', `${forms}<h2>${h(reportWords(langOf(req)).filter)}</h2>${reviewTable(langOf(req), r.review, 'review-rows')}`)
  })

  app.get<{ Querystring: { fiscalYear: string, size: string, seed?: string, upTo?: string } }>('/review/sample', {
    schema: { querystring: { type: 'object', additionalProperties: false, required: ['fiscalYear', 'size'], properties: { fiscalYear: { type: 'string', pattern: '^[0-9]{4}$' }, size: { type: 'string', pattern: '^[0-9]{1,4}$' }, seed: { type: 'string', pattern: '^([0-9a-f]{32})?$' }, upTo: { type: 'string', pattern: '^[0-9]{0,15}$' } } } },
    config: { auth: 'console', roles: REVIEW_ROLES }
  }, async (req, reply) => {
    const q = req.query
    const lang = langOf(req)
    const w = reportWords(lang)
    const r = await deps.link.ask({ session: session(req), reviewSample: { fiscalYear: Number(q.fiscalYear), size: Number(q.size), seed: q.seed ?? '', upTo: Number(q.upTo ?? 0) } })
    const forms = reviewForms(lang, {})
    if (r.errorCode !== '' || r.review == null) return await html(req, reply, httpStatus(r.errorCode), 'review', forms, r.errorCode)
    const s = r.review
    const again = `/api/review/sample?format=csv&fiscalYear=${Number(q.fiscalYear)}&size=${Number(q.size)}&seed=${s.seed}`
    const summary = `<p id="sample-summary" data-seed="${h(s.seed)}">${h(w.seed)}: <code>${h(s.seed)}</code> · ${h(w.population)}: ${s.population} · ${h(w.position)}: ${r.logPosition}</p><p><a id="sample-csv" href="${h(again)}" download>${h(w.csv)}</a></p>`
    return await html(req, reply, 200, 'review', `${forms}<h2>${h(w.sample)}</h2>${summary}${reviewTable(lang, s, 'sample-rows')}`)
  })

  app.get('/bulk', { config: { auth: 'console', roles: BULK_ROLES } }, async (req, reply) => await html(req, reply, 200, 'bulk', bulkForms(langOf(req), req.kenWho?.role ?? '')))

  app.post<{ Body: { requester: string, recipient: string, recipientKey: string, purpose: string, expected: string, expires: string, reference?: string } }>('/bulk/approve', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['requester', 'recipient', 'recipientKey', 'purpose', 'expected', 'expires'], properties: { requester: { type: 'string', maxLength: 16 }, recipient: { type: 'string', maxLength: 32 }, recipientKey: { type: 'string', maxLength: 64 }, purpose: { type: 'string', maxLength: 32 }, expected: { type: 'string', pattern: '^[0-9]{1,4}$' }, expires: { type: 'string', maxLength: 10 }, reference: { type: 'string', maxLength: 32 } } } },
    // No screen filter: the store refuses other roles and records the attempt.
    config: { auth: 'console' }
  }, async (req, reply) => {
    const b = req.body
    const r = await deps.link.ask({ session: session(req), bulkApprove: { requester: b.requester, recipient: b.recipient, recipientKey: b.recipientKey, purpose: b.purpose, expectedCount: Number(b.expected), expires: b.expires, reason: b.reference ?? '' } })
    const body = bulkForms(langOf(req), req.kenWho?.role ?? '')
    if (r.errorCode !== '') return await html(req, reply, httpStatus(r.errorCode), 'bulk', body, r.errorCode)
    return await html(req, reply, 200, 'bulk', body, undefined, `${reportWords(langOf(req)).approved} ${r.logPosition}`)
  })

  app.post<{ Body: { approvalId: string, purpose: string, medium: string, conditions: string } }>('/bulk/run', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['approvalId', 'purpose', 'medium', 'conditions'], properties: { approvalId: { type: 'string', pattern: '^[0-9]{1,15}$' }, purpose: { type: 'string', maxLength: 32 }, medium: { type: 'string', maxLength: 16 }, conditions: { type: 'string', maxLength: 16384 } } } },
    // No screen filter: the store refuses other roles and records the attempt.
    config: { auth: 'console' }
  }, async (req, reply) => {
    const b = req.body
    const form = bulkForms(langOf(req), req.kenWho?.role ?? '')
    let conditions
    try {
      conditions = conditionRows(b.conditions)
    } catch (err) {
      if (isKenError(err)) return await html(req, reply, 400, 'bulk', `<p class="error" role="alert" data-code="${h(err.code)}">${h(err.message)}</p>${form}`)
      throw err
    }
    const r = await deps.link.ask({ session: session(req), bulkRun: { approvalId: Number(b.approvalId), purpose: b.purpose, medium: b.medium, conditions } })
    if (r.errorCode !== '' || r.bulk == null) return await html(req, reply, httpStatus(r.errorCode), 'bulk', form, r.errorCode)
    return await reply.code(200).type('application/octet-stream').header('content-disposition', `attachment; filename="bulk-${r.bulk.approvalId}.csv.age"`)
      .header('x-ken-sha256', r.bulk.sha256).header('x-ken-records', String(r.bulk.records)).send(Buffer.from(r.bulk.file))
  })
}
