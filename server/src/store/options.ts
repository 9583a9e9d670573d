/**
 * The store daemon's options: one schema that refuses unknown keys, defaults in one object (the
 * appliance's, from firmware-config), a deep-frozen result (STYLE.md). The appliance start-up maps
 * `{ dbPath, socketPath, keyFile, maxDelayMs: store.groupCommitMaxDelayMs, maxEntries:
 * store.groupCommitMaxEntries, socketMode: store.socketMode }` from its configuration.
 */
import { z } from 'zod'
import { DEFAULTS as APPLIANCE_DEFAULTS } from '../../../firmware-config/src/defaults.ts'
import { deepFreeze, type DeepReadonly } from '../../../firmware-config/src/deep.ts'
import { DEFAULT_MAX_FRAME } from '../../../proto/src/framing.ts'
import { errors } from './errors.ts'

const STORE = APPLIANCE_DEFAULTS.store

export const DEFAULTS = Object.freeze({
  maxDelayMs: STORE.groupCommitMaxDelayMs,
  maxEntries: STORE.groupCommitMaxEntries,
  socketMode: STORE.socketMode,
  maxFrameBytes: DEFAULT_MAX_FRAME,
  maxPendingPerConnection: 1024,
  cacheSize: 64 << 20
})

const int = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

const schema = z.object({
  /** LevelDB directory (created if missing). */
  dbPath: z.string().min(1),
  /** The append socket (Unix domain socket path; at most 107 bytes). */
  socketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)'),
  /** The appliance key file (32 bytes, mode 0600; created if missing). */
  keyFile: z.string().min(1),
  /** Group commit: longest wait of a queued append, ms; 0 commits as soon as the disk is free. */
  maxDelayMs: z.number().min(0).max(1000).default(DEFAULTS.maxDelayMs),
  /** Group commit: most items per atomic batch. */
  maxEntries: int(1, 65536).default(DEFAULTS.maxEntries),
  /** File mode of the append socket. */
  socketMode: int(0, 0o777).default(DEFAULTS.socketMode),
  /** Largest append frame accepted; a bigger one closes the connection. */
  maxFrameBytes: int(1024, 64 << 20).default(DEFAULTS.maxFrameBytes),
  /** Unanswered requests per connection before the daemon stops reading it. */
  maxPendingPerConnection: int(1, 65536).default(DEFAULTS.maxPendingPerConnection),
  /** LevelDB block cache, bytes. */
  cacheSize: int(1 << 20, 8 * 1024 ** 3).default(DEFAULTS.cacheSize),
  /** The terminal socket (SPEC §6) and its accounts; absent: the daemon serves no terminal. */
  terminal: z.object({
    socketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)'),
    /** The accounts file (JSON, mode 0600), beside the database. */
    accountsFile: z.string().min(1),
    /** A purposes registry (JSON, terminal/purposes.ts); absent: the development registry. */
    registryFile: z.string().min(1).optional(),
    idleLockSeconds: int(30, 3600).default(300),
    maxFailures: int(1, 20).default(5),
    resultCap: int(1, 200).default(20),
    /** Set-up: the first administrator(s), created only while no account exists. */
    bootstrap: z.array(z.object({
      accountId: z.string().min(1),
      role: z.string().min(1),
      department: z.string().min(1),
      branch: z.string().min(1),
      purposes: z.array(z.string()).default([]),
      certificateFile: z.string().min(1),
      pinFile: z.string().min(1)
    }).strict()).default([])
  }).strict().optional()
}).strict()

export type StoreDaemonInput = z.input<typeof schema>
export type StoreDaemonOptions = DeepReadonly<z.output<typeof schema>>

/** Validate once at the edge. @throws KEN_ERR_STORE_INVALID_OPTIONS naming the key and what is wrong */
export function parseDaemonOptions (input: unknown): StoreDaemonOptions {
  const result = schema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    const key = issue?.path.join('.') ?? ''
    const what = issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue?.message ?? 'invalid'
    throw errors.KEN_ERR_STORE_INVALID_OPTIONS(`${key === '' ? '(root)' : key}: ${what}`, { field: key })
  }
  return deepFreeze(result.data)
}
