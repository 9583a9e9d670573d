/**
 * ken-terminal's options: one schema refusing unknown keys, defaults from firmware-config (the
 * terminal listener: 127.0.0.1:8443, loopback only unless allowed), a deep-frozen result.
 */
import { z } from 'zod'
import { isIP } from 'node:net'
import { DEFAULTS as APPLIANCE } from '../../../firmware-config/src/defaults.ts'
import type { DeepReadonly } from '../../../firmware-config/src/deep.ts'
import { parseOptions } from '../../../firmware-config/src/parse-options.ts'
import { errors } from '../store/terminal/errors.ts'

const schema = z.object({
  /** The store's terminal socket. */
  socketPath: z.string().min(1),
  host: z.string().refine((h) => isIP(h) !== 0, 'an IP address').default(APPLIANCE.terminal.host),
  /** 0: an ephemeral port (tests). */
  port: z.number().int().min(0).max(65535).default(APPLIANCE.terminal.port),
  /** The TLS server certificate and key (PEM), e.g. the development PKI's server.crt/server.key. */
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  /** 操作端末ID recorded with every act of this terminal. */
  terminalId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).default('TERM-01'),
  /** The maintenance socket ken-maint reaches (health, metrics, live rotation of the certificate). */
  maintSocket: z.string().min(1).optional()
}).strict()

export type TerminalDaemonInput = z.input<typeof schema>
export type TerminalDaemonOptions = DeepReadonly<z.output<typeof schema>>

/** Validate once at the edge. @throws KEN_ERR_TERM_OPTIONS naming the key */
export function parseTerminalOptions (input: unknown): TerminalDaemonOptions {
  return parseOptions(schema, input, errors.KEN_ERR_TERM_OPTIONS)
}
