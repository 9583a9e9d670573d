/**
 * Options validated once at the edge (STYLE.md, after fastify's initial-config-validation): a zod
 * schema that refuses unknown keys, its defaults filled in, the result deep-frozen. A refusal is
 * the daemon's own coded error naming the key and what is wrong with it — the first issue only,
 * so the message says one thing to fix.
 */
import type { z } from 'zod'
import type { ErrorFactory } from '../../proto/src/ken-error.ts'
import { deepFreeze, type DeepReadonly } from './deep.ts'

/** @throws `refuse` (e.g. KEN_ERR_STORE_INVALID_OPTIONS) with `field` set to the key's path */
export function parseOptions<S extends z.ZodTypeAny> (schema: S, input: unknown, refuse: ErrorFactory): DeepReadonly<z.output<S>> {
  const result = schema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    const key = issue?.path.join('.') ?? ''
    const what = issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue?.message ?? 'invalid'
    throw refuse(`${key === '' ? '(root)' : key}: ${what}`, { field: key })
  }
  return deepFreeze(result.data as z.output<S>)
}
