/**
 * The console's 物理削除 screens (SPEC §2.5, issue 17 item 3): the requests (pending first) with
 * approve/reject for a security officer, and the filing form (住民票コード and the municipality's
 * request reference) for a system administrator. The store decides — roles, the second person — and
 * records every attempt; refusals come back as a sentence on the same screen.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DeletionAction, type DeletionRequestInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { words, type Word } from '../console/i18n.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { deletionOp, DELETION_ACTIONS, type DeletionBody } from './api-deletion.ts'

const ROLES = ['system-admin', 'security-officer']
const FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', enum: Object.keys(DELETION_ACTIONS) }, requestId: { type: 'string', maxLength: 16 }, juminhyoCode: { type: 'string', maxLength: 11 },
    reference: { type: 'string', maxLength: 64 }, reason: { type: 'string', maxLength: 64 }
  }
} as const

function table (lang: Lang, requests: readonly DeletionRequestInfo[], approver: boolean): string {
  const w = words(lang)
  if (requests.length === 0) return `<p id="no-deletions">${h(w.noDeletions)}</p>`
  const cols: Word[] = ['requestId', 'deletionReference', 'requestedBy', 'requestedAt', 'status', 'decidedBy', 'decidedAt', 'keysDestroyed']
  const button = (r: DeletionRequestInfo, action: 'approve' | 'reject'): string =>
    `<form class="inline" method="post" action="/admin/deletions"><input type="hidden" name="action" value="${action}"><input type="hidden" name="requestId" value="${h(r.requestId)}"><button type="submit" id="${action}-${h(r.requestId)}">${h(w[action])}</button></form>`
  const rows = requests.map((r) => `<tr data-request="${h(r.requestId)}" data-status="${h(r.status)}"><td>${h(r.requestId)}</td><td>${h(r.reference)}</td><td>${h(r.requestedBy)}</td><td>${h(r.requestedAt)}</td>
<td>${h(w[`deletionStatus_${r.status}` as Word] ?? r.status)}</td><td>${h(r.decidedBy)}</td><td>${h(r.decidedAt)}</td><td>${r.status === 'erased' ? r.keys : ''}</td>
<td>${approver && r.status === 'pending' ? `${button(r, 'approve')} ${button(r, 'reject')}` : ''}</td></tr>`).join('\n')
  return `<table id="deletions"><thead><tr>${cols.map((c) => `<th scope="col">${h(w[c])}</th>`).join('')}<th>${h(w.actions)}</th></tr></thead><tbody>${rows}</tbody></table>`
}

function fileForm (lang: Lang): string {
  const w = words(lang)
  return `<h2>${h(w.fileDeletion)}</h2>
<form class="grid" method="post" action="/admin/deletions" id="deletion-form">
<input type="hidden" name="action" value="file">
<label for="juminhyoCode">${h(w.juminhyoCode)}</label><input id="juminhyoCode" name="juminhyoCode" required inputmode="numeric" maxlength="11" pattern="[0-9]{11}" autocomplete="off">
<label for="reference">${h(w.deletionReference)}</label><input id="reference" name="reference" required maxlength="64">
<div class="full"><button class="primary" type="submit" id="deletion-submit">${h(w.doFileDeletion)}</button></div>
</form>`
}

export async function consoleDeletionRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const render = async (req: FastifyRequest, reply: FastifyReply, status: number, error: string | undefined, notice: string | undefined): Promise<FastifyReply> => {
    const lang = langOf(req)
    const w = words(lang)
    const listed = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), deletion: { ...deletionOp({ action: '' }), action: DeletionAction.LIST } })
    const role = req.kenWho?.role
    const body = `<p class="help">${h(w.deletionHelp)}</p>${table(lang, listed.deletions?.requests ?? [], role === 'security-officer')}${role === 'system-admin' ? fileForm(lang) : ''}`
    return await reply.code(status).type('text/html; charset=utf-8').send(page({ lang, title: 'deletions', who: req.kenWho, error: error ?? (listed.errorCode === '' ? undefined : listed.errorCode), notice, body }))
  }

  app.get('/admin/deletions', { config: { auth: 'console', roles: ROLES } }, async (req, reply) => await render(req, reply, 200, undefined, undefined))

  app.post<{ Body: DeletionBody }>('/admin/deletions', { schema: { body: FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), deletion: deletionOp(req.body) })
    if (r.errorCode !== '') return await render(req, reply, httpStatus(r.errorCode), r.errorCode, undefined)
    const w = words(langOf(req))
    return await render(req, reply, 200, undefined, `${req.body.action === 'file' ? w.deletionFiled : w.deletionDecided} ${r.logPosition}`)
  })
}
