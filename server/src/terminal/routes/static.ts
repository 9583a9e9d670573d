/** The console's stylesheet and idle-lock script, from console/static/ (read once; no CDN, CSP 'self'). */
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'

const DIR = new URL('../console/static/', import.meta.url)
const FILES: ReadonlyMap<string, { type: string, body: string }> = new Map([
  ['console.css', { type: 'text/css; charset=utf-8', body: readFileSync(new URL('console.css', DIR), 'utf8') }],
  ['idle.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('idle.js', DIR), 'utf8') }],
  ['print.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('print.js', DIR), 'utf8') }]
])

export async function staticRoutes (app: FastifyInstance): Promise<void> {
  app.get<{ Params: { file: string } }>('/static/:file', {
    schema: { params: { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', enum: [...FILES.keys()] } } } }
  }, async (req, reply) => {
    const file = FILES.get(req.params.file)
    if (file === undefined) return await reply.code(404).send()
    return await reply.header('cache-control', 'public, max-age=3600').type(file.type).send(file.body)
  })
}
