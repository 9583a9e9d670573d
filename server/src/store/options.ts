/**
 * The store daemon's options: one schema that refuses unknown keys, defaults in one object (the
 * appliance's, from firmware-config), a deep-frozen result (STYLE.md). The appliance start-up maps
 * `{ dbPath, socketPath, keyFile, maxDelayMs: store.groupCommitMaxDelayMs, maxEntries:
 * store.groupCommitMaxEntries, socketMode: store.socketMode }` from its configuration.
 */
import { z } from 'zod'
import { DEFAULTS as APPLIANCE_DEFAULTS } from '../../../firmware-config/src/defaults.ts'
import { HARDCOPY_POLICIES } from '../../../firmware-config/src/schema.ts'
import type { DeepReadonly } from '../../../firmware-config/src/deep.ts'
import { parseOptions } from '../../../firmware-config/src/parse-options.ts'
import { DEFAULT_MAX_FRAME } from '../../../proto/src/framing.ts'
import { errors } from './errors.ts'
import { reviewRulesSchema } from './terminal/review-rules.ts'

const STORE = APPLIANCE_DEFAULTS.store

export const DEFAULTS = Object.freeze({
  maxDelayMs: STORE.groupCommitMaxDelayMs,
  maxEntries: STORE.groupCommitMaxEntries,
  socketMode: STORE.socketMode,
  maxFrameBytes: DEFAULT_MAX_FRAME,
  maxPendingPerConnection: 1024,
  cacheSize: 64 << 20,
  retentionRecordYears: STORE.retentionYears,
  retentionActYears: Math.max(APPLIANCE_DEFAULTS.retention.provisionRecordYears, APPLIANCE_DEFAULTS.retention.operationLogYears),
  retentionCheckMs: 3_600_000,
  tempLimitMs: 72 * 3_600_000,
  checkpointIntervalMs: STORE.checkpointIntervalMs,
  /** The origin of a log-signing key made at first start when none is configured. */
  logOrigin: 'ken-server/log'
})

const int = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

const schema = z.object({
  /** LevelDB directory (created if missing). */
  dbPath: z.string().min(1),
  /** The append socket (Unix domain socket path; at most 107 bytes). */
  socketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)'),
  /** The outbox socket for ken-national (SPEC §5.1); absent: no national link. */
  outboxSocketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)').optional(),
  /** How long a national query (照会) waits for the national server's answer, ms. */
  nationalQueryTimeoutMs: int(100, 120_000).default(10_000),
  /** The reconcile socket (gateway → store, SPEC §5.3); default `reconcile.sock` beside the append socket. */
  reconcileSocketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)').optional(),
  /** The reconcile admin socket (ken-store reconcile / mismatches); default `reconcile-admin.sock` beside it. */
  reconcileAdminSocketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)').optional(),
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
  /** History and removed persons are kept this many years (住基法施行令30条の6: at least 150). */
  retentionRecordYears: int(150, 1000).default(DEFAULTS.retentionRecordYears),
  /** Provision records and operation history are kept this many years (SPEC §2.5: at least 7). */
  retentionActYears: int(7, 150).default(DEFAULTS.retentionActYears),
  /** How often the retention job checks whether a new day began (ms). */
  retentionCheckMs: int(1000, 86_400_000).default(DEFAULTS.retentionCheckMs),
  /** 附票 temporary-area slots unconfirmed after this long are erased (ms; SPEC §2.2 "a short limit"). */
  tempLimitMs: int(60_000, 30 * 86_400_000).default(DEFAULTS.tempLimitMs),
  /** The read-only transparency socket (default: transparency.sock beside socketPath). */
  transparencySocketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)').optional(),
  /** The log-signing key file (default: log-signing.key beside keyFile; created at first start, 0600). */
  logKeyFile: z.string().min(1).optional(),
  /** The checkpoints' origin and the signing key's name; fixed once the key exists. */
  logOrigin: z.string().min(1).max(256).regex(/^[^\s+]+$/u, 'a signed-note key name: no spaces, no "+"').optional(),
  /** Least time between two checkpoints issued after commit groups, ms (one is always issued on shutdown). */
  checkpointIntervalMs: int(0, 3_600_000).default(DEFAULTS.checkpointIntervalMs),
  /** The maintenance socket (maint.proto) for ken-maint; absent: none. */
  maintSocketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)').optional(),
  /** Backups (SPEC §7); absent: the store takes none. */
  backup: z.object({
    dir: z.string().min(1),
    /** The administrator's X25519 public key (SPKI PEM): backups are encrypted to it. */
    recipientFile: z.string().min(1),
    /** Daily backup time, "HH:MM" Japan time; absent: on demand only. */
    dailyAt: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).optional(),
    /** Generations kept (sources D6: two). */
    generations: int(1, 30).default(2),
    location: z.string().min(1).max(200).default('backup directory'),
    /** Day of the weekly media check, 0 = Sunday; absent: on demand only. */
    weeklyCheckDay: int(0, 6).optional()
  }).strict().optional(),
  /** The terminal socket (SPEC §6) and its accounts; absent: the daemon serves no terminal. */
  terminal: z.object({
    socketPath: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 107, 'longer than a Unix socket path may be (107 bytes)'),
    /** The accounts file (JSON, mode 0600), beside the database. */
    accountsFile: z.string().min(1),
    /** A purposes registry (JSON, terminal/purposes.ts); absent: the development registry. */
    registryFile: z.string().min(1).optional(),
    /** The review's anomaly rules (terminal/review-rules.ts: business hours, closed weekdays and days, thresholds; firmware-config terminal.review); absent: the defaults. */
    reviewRules: reviewRulesSchema.optional(),
    idleLockSeconds: int(30, 3600).default(300),
    maxFailures: int(1, 20).default(5),
    resultCap: int(1, 200).default(20),
    /** File mode of the terminal socket: its own group (ken-terminal-sock), not the append socket's. */
    socketMode: int(0, 0o777).default(APPLIANCE_DEFAULTS.terminal.socketMode),
    /** A8.3: 'prohibited' refuses every print act; 'print-with-record' records each print. */
    hardcopy: z.enum(HARDCOPY_POLICIES).default(APPLIANCE_DEFAULTS.terminal.hardcopy),
    /** The prefecture's name on the disclosure form (firmware-config prefecture.name). */
    prefectureName: z.string().min(1).max(16).default(APPLIANCE_DEFAULTS.prefecture.name),
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
  return parseOptions(schema, input, errors.KEN_ERR_STORE_INVALID_OPTIONS)
}
