/**
 * POST /rotation/:daemon — new TLS material without a restart (SPEC §7; the gateway's CS line, the
 * terminal's HTTPS certificate, the national link's client certificate and CA): ken-maint
 * writes the files the daemon reads at start (so a restart keeps them), then the daemon checks and
 * swaps them live over its maintenance socket (links already up are kept; a CRL re-verifies the
 * gateway's). If the daemon refuses, the previous files are put back. Either way the act is
 * recorded naming the technician. A private key goes to the file and the daemon only; nothing returns it.
 */
import type { FastifyInstance } from 'fastify'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { MaintOperation } from '../../../../proto/src/types.ts'
import { readIfExists, replaceFile } from '../atomic-files.ts'
import type { Daemons } from '../daemons.ts'
import { errors } from '../errors.ts'
import type { MaintOptions } from '../options.ts'

interface Body { certPem?: string, keyPem?: string, caPem?: string, crlPem?: string }
const PEM = { type: 'string', minLength: 1, maxLength: 200_000, pattern: '^-----BEGIN ' } as const

export function rotationRoutes (app: FastifyInstance, daemons: Daemons, rotatable: MaintOptions['rotatable']): void {
  app.post<{ Params: { daemon: string }, Body: Body }>('/rotation/:daemon', {
    schema: {
      params: { type: 'object', additionalProperties: false, required: ['daemon'], properties: { daemon: { type: 'string', enum: ['gateway', 'terminal', 'national'] } } },
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { certPem: PEM, keyPem: PEM, caPem: PEM, crlPem: PEM } }
    }
  }, async (request) => {
    const daemon = request.params.daemon as keyof typeof rotatable
    const files = rotatable[daemon]
    if (files === undefined) throw errors.KEN_ERR_MAINT_UNKNOWN_DAEMON(`${daemon}: no TLS files configured`)
    const b = request.body
    if ((b.certPem === undefined) !== (b.keyPem === undefined)) throw errors.KEN_ERR_MAINT_BAD_REQUEST('a certificate and its key go together', { field: 'keyPem' })
    if (b.crlPem !== undefined && files.crlFile === undefined) throw errors.KEN_ERR_MAINT_BAD_REQUEST(`${daemon} takes no CRL`, { field: 'crlPem' })
    const parts: Array<[keyof Body, string | undefined, number]> = [['certPem', files.certFile, 0o644], ['keyPem', files.keyFile, 0o600], ['caPem', files.caFile, 0o644], ['crlPem', files.crlFile, 0o644]]
    const changed = parts.filter((p): p is [keyof Body, string, number] => b[p[0]] !== undefined && p[1] !== undefined)
    const previous = await Promise.all(changed.map(async ([, file]) => await readIfExists(file)))
    const note = changed.map(([k]) => k.replace('Pem', '')).join(',')
    for (const [k, file, mode] of changed) await replaceFile(file, b[k] as string, mode)
    try {
      await daemons.call(daemon, { operation: MaintOperation.ROTATE_TLS, technician: request.technician, tls: { certPem: b.certPem ?? '', keyPem: b.keyPem ?? '', caPem: b.caPem ?? '', crlPem: b.crlPem ?? '' } })
    } catch (err) {
      for (const [i, [, file, mode]] of changed.entries()) {
        const old = previous[i]
        if (old !== undefined) await replaceFile(file, old, mode)
      }
      const code = isKenError(err) ? err.code : 'unknown'
      await daemons.recordAct(request.technician, 'maint.rotation', { refused: true, reasonCode: code, note: `${daemon}: ${note}` })
      throw errors.KEN_ERR_MAINT_ROTATION_INVALID(code, { cause: err })
    }
    const position = await daemons.recordAct(request.technician, 'maint.rotation', { note: `${daemon}: ${note}` })
    return { rotated: changed.map(([k]) => k.replace('Pem', '')), actPosition: position }
  })
}
