/** The residents resource of the JSON API: search, view, provide — each one act in the store's log. */
import type { FastifyInstance } from 'fastify'
import type { RecordItem, SearchQuery } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { answer, POSITION_RESPONSE, S } from './answer.ts'

const ITEMS = { type: 'array', items: { type: 'object', additionalProperties: false, properties: { item: { type: 'string' }, value: { type: 'string' } } } } as const
const SEARCH_BODY = S.strict({
  purpose: S.code, juminhyoCode: { type: 'string', pattern: '^([0-9]{11})?$' }, kojinBango: { type: 'string', pattern: '^([0-9]{12})?$' }, name: S.text(64), address: S.text(256),
  birthDate: { type: 'string', pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$' }, sex: { type: 'string', enum: ['', 'male', 'female'] }, fuzzy: { type: 'boolean' }
}, ['purpose'])
export interface SearchBody { purpose: string, juminhyoCode?: string, kojinBango?: string, name?: string, address?: string, birthDate?: string, sex?: '' | 'male' | 'female', fuzzy?: boolean }

export function toQuery (b: SearchBody): SearchQuery {
  return { purpose: b.purpose, juminhyoCode: b.juminhyoCode ?? '', kojinBango: b.kojinBango ?? '', name: b.name ?? '', address: b.address ?? '', birthDate: b.birthDate ?? '', sex: b.sex === 'male' ? 1 : b.sex === 'female' ? 2 : 0, fuzzy: b.fuzzy === true }
}

export function itemsJson (items: readonly RecordItem[]): Record<string, string> {
  return Object.fromEntries(items.map((i) => [i.item, i.value]))
}

export async function apiResidentRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.post<{ Body: SearchBody }>('/api/search', {
    schema: {
      body: SEARCH_BODY,
      response: { 200: { type: 'object', additionalProperties: false, properties: { tooMany: { type: 'boolean' }, national: { type: 'string' }, logPosition: { type: 'integer' }, hits: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { ref: { type: 'string' }, removed: { type: 'boolean' }, items: { type: 'object', additionalProperties: { type: 'string' } } } } } } } }
    },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), search: toQuery(req.body) })
    return await answer(reply, r, (x) => ({ tooMany: x.search?.tooMany ?? false, national: x.search?.national ?? '', logPosition: x.logPosition, hits: (x.search?.hits ?? []).map((h) => ({ ref: h.ref, removed: h.removed, items: itemsJson(h.items) })) }))
  })

  app.post<{ Body: { purpose: string, ref: string } }>('/api/view', {
    schema: { body: S.strict({ purpose: S.code, ref: S.text(32) }, ['purpose', 'ref']), response: { 200: { type: 'object', additionalProperties: false, properties: { ref: { type: 'string' }, removed: { type: 'boolean' }, logPosition: { type: 'integer' }, items: ITEMS } } } },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), view: { purpose: req.body.purpose, ref: req.body.ref } })
    return await answer(reply, r, (x) => ({ ref: x.record?.ref ?? '', removed: x.record?.removed ?? false, logPosition: x.logPosition, items: x.record?.items ?? [] }))
  })

  app.post<{ Body: { purpose: string, kind: 'teikyo' | 'iten', recipient: string, refs: string[], items: string[], channel: string, reference?: string } }>('/api/provide', {
    schema: {
      body: S.strict({ purpose: S.code, kind: { type: 'string', enum: ['teikyo', 'iten'] }, recipient: S.code, refs: { type: 'array', maxItems: 200, items: S.text(32) }, items: { type: 'array', maxItems: 16, items: S.text(32) }, channel: S.text(16), reference: S.text(64) }, ['purpose', 'kind', 'recipient', 'refs', 'items', 'channel']),
      response: POSITION_RESPONSE
    },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const b = req.body
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), provide: { purpose: b.purpose, kind: b.kind === 'teikyo' ? 1 : 2, recipient: b.recipient, refs: b.refs, items: b.items, channel: b.channel, reference: b.reference ?? '' } })
    return await answer(reply, r, (x) => ({ logPosition: x.logPosition }))
  })
}
