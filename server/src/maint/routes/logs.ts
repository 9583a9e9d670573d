/**
 * GET /logs?daemon=&lines= — the recent JSON log lines of the daemons (SPEC §7 "logs without personal
 * data"). The daemons log no personal data by design (their logger types allow codes and counts
 * only); here only lines that parse as JSON objects with an `event` are passed on, so a stray line
 * (a stack trace, a message from a library) never reaches a technician.
 */
import { open, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'

const TAIL_BYTES = 1 << 20

export function logRoutes (app: FastifyInstance, logDir: string | undefined, maxLines: number): void {
  app.get<{ Querystring: { daemon?: string, lines?: number } }>('/logs', {
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { daemon: { type: 'string', pattern: '^[a-z]{1,20}$' }, lines: { type: 'integer', minimum: 1, maximum: maxLines } } }
    }
  }, async (request) => {
    const lines = request.query.lines ?? 100
    if (logDir === undefined) return { lines: [] }
    const files = (await readdir(logDir)).filter((f) => f.endsWith('.log') && (request.query.daemon === undefined || f === `${request.query.daemon}.log`)).sort()
    const out: Array<Record<string, unknown>> = []
    for (const f of files) {
      for (const line of (await tail(path.join(logDir, f))).slice(-lines)) {
        const parsed = parseEventLine(line)
        if (parsed !== undefined) out.push({ daemon: f.slice(0, -'.log'.length), ...parsed })
      }
    }
    return { lines: out.slice(-lines) }
  })
}

/** A JSON object with an `event` string, or undefined. */
export function parseEventLine (line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line)
    if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { event?: unknown }).event !== 'string') return undefined
    return v as Record<string, unknown>
  } catch {
    return undefined
  }
}

async function tail (file: string): Promise<string[]> {
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const start = Math.max(0, size - TAIL_BYTES)
    const buf = Buffer.alloc(size - start)
    await fh.read(buf, 0, buf.length, start)
    const lines = buf.toString('utf8').split('\n')
    if (start > 0) lines.shift()
    return lines.filter((l) => l !== '')
  } finally {
    await fh.close()
  }
}
