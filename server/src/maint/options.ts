/**
 * ken-maint's options: one schema that refuses unknown keys, validated once, deep-frozen (STYLE.md).
 * The CLI maps the appliance configuration onto it (cli/ken-maint.ts).
 */
import { z } from 'zod'
import type { DeepReadonly } from '../../../firmware-config/src/deep.ts'
import { parseOptions } from '../../../firmware-config/src/parse-options.ts'
import { errors } from './errors.ts'

/** crlFile is absent for a daemon that takes no CRL (ken-national: the national server judges its certificate). */
const tlsFiles = z.object({ caFile: z.string().min(1), certFile: z.string().min(1), keyFile: z.string().min(1), crlFile: z.string().min(1).optional() }).strict()

const schema = z.object({
  host: z.string().min(1),
  /** 0 picks a free port (tests). */
  port: z.number().int().min(0).max(65535),
  /** ken-maint's server credential and the trust for technician certificates (the prefecture's CA). */
  tls: z.object({ caFile: z.string().min(1), certFile: z.string().min(1), keyFile: z.string().min(1), crlFile: z.string().min(1) }).strict(),
  /** The daemons' maintenance sockets, by name; the store's is required (acts are recorded through it). */
  daemons: z.object({ store: z.string().min(1), gateway: z.string().min(1).optional(), terminal: z.string().min(1).optional(), national: z.string().min(1).optional() }).strict(),
  /**
   * The PEM files of each daemon whose TLS material rotates without restart (gateway, terminal,
   * national), written on rotation; then the daemon swaps them live (MAINT_OPERATION_ROTATE_TLS).
   */
  rotatable: z.record(z.enum(['gateway', 'terminal', 'national']), tlsFiles).default({}),
  /** The daemons' JSON log files (`<daemon>.log`). */
  logDir: z.string().min(1).optional(),
  /** The appliance configuration file a validated change is written to. */
  configFile: z.string().min(1).optional(),
  /** Most log lines one request returns. */
  maxLogLines: z.number().int().min(1).max(10000).default(500)
}).strict()

export type MaintOptionsInput = z.input<typeof schema>
export type MaintOptions = DeepReadonly<z.output<typeof schema>>

/** @throws KEN_ERR_MAINT_OPTIONS naming the key */
export function parseMaintOptions (input: unknown): MaintOptions {
  return parseOptions(schema, input, errors.KEN_ERR_MAINT_OPTIONS)
}
