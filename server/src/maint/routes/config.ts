/**
 * GET /config, PUT /config — the appliance configuration file (SPEC §7 "validated configuration
 * changes"). A change is validated by firmware-config's schema (strict, hardened bounds) before a
 * byte is written; then the file is replaced whole and the act recorded with the keys that changed
 * (keys only). The daemons read it when they start (systemctl restart; docs/maintenance.md).
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../../../firmware-config/src/load.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { replaceFile } from '../atomic-files.ts'
import type { Daemons } from '../daemons.ts'
import { errors } from '../errors.ts'

export function configRoutes (app: FastifyInstance, daemons: Daemons, configFile: string | undefined): void {
  const file = (): string => {
    if (configFile === undefined) throw errors.KEN_ERR_MAINT_UNKNOWN_DAEMON('no configuration file')
    return configFile
  }
  app.get('/config', async () => ({ config: JSON.parse(await readFile(file(), 'utf8')) as unknown }))
  app.put<{ Body: { config: Record<string, unknown> } }>('/config', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['config'], properties: { config: { type: 'object' } } } }
  }, async (request) => {
    const path = file()
    const before = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    const next = request.body.config
    try {
      loadConfig(next, { env: {}, baseDir: dirname(path) })
    } catch (err) {
      const code = isKenError(err) ? err.code : 'unknown'
      await daemons.recordAct(request.technician, 'maint.config-change', { refused: true, reasonCode: code })
      throw errors.KEN_ERR_MAINT_CONFIG_INVALID(isKenError(err) ? err.message : undefined, { cause: err })
    }
    const changed = changedKeys(before, next)
    await replaceFile(path, `${JSON.stringify(next, null, 2)}\n`, 0o640)
    const position = await daemons.recordAct(request.technician, 'maint.config-change', { note: `changed: ${changed.join(', ')}`, count: changed.length })
    return { changed, actPosition: position, restartNeeded: true }
  })
}

/** Leaf keys whose value differs (added, removed or changed). */
export function changedKeys (a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
  if (!isObj(a) || !isObj(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix]
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.flatMap((k) => changedKeys(a[k], b[k], prefix === '' ? k : `${prefix}.${k}`))
}
