/**
 * The configuration schema (STYLE.md, fastify's initial-config-validation): every object is
 * `.strict()` so an unknown key is refused, every bound is explicit, and each key has a hint saying
 * what it expects and how to fix it. docs/configuration.md documents the same keys; a test keeps the
 * three (schema, hints, docs) in step with defaults.ts.
 */
import { isIP } from 'node:net'
import { z } from 'zod'
import { isIsoDate } from '../../server/src/domain/dates.ts'
import { checkMunicipalities, municipalitySchema, MUNICIPALITY_HINTS } from './municipalities.ts'
import type { Hint } from './issues.ts'

const int = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)
const path = z.string().min(1).max(4096).refine((s) => !s.includes('\0'))
// The daemons run with an empty CapabilityBoundingSet (systemd/), so they cannot bind ports < 1024.
const port = int(1024, 65535)
const ipAddress = z.string().refine((s) => isIP(s) !== 0)

/** A listen address for an API that is loopback-only unless `allowNonLoopback` says otherwise. */
const listener = () => z.object({ host: ipAddress, port, allowNonLoopback: z.boolean() }).strict()

/** True for 127.0.0.0/8 and ::1 (and ::ffff:127.x.y.z). */
export function isLoopback (host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.')
  const h = host.toLowerCase()
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h)
}

// JSON has no octal literals: accept "0660" / "0o660" as well as the number 432.
const fileMode = z.preprocess(
  (v) => typeof v === 'string' && /^0o?[0-7]{3}$/.test(v) ? Number.parseInt(v.replace(/^0o?/, ''), 8) : v,
  z.number().int().min(0).max(0o777).refine((m) => (m & 0o007) === 0 && (m & 0o600) === 0o600)
)

/** A8.3: printing screens that show 本人確認情報 — forbidden, or allowed with every print recorded. */
export const HARDCOPY_POLICIES = ['prohibited', 'print-with-record'] as const

// The operation-history review's anomaly rules (A7.6, server/src/terminal/review/anomalies.ts): no
// source fixes office hours or closed days, and 国民の祝日 change yearly, so each prefecture sets them.
const hour = int(0, 24)
const reviewRules = z.object({
  businessHours: z.array(hour).length(2).superRefine(([a = 0, b = 0], ctx) => {
    if (a >= b) ctx.addIssue({ code: 'custom', params: { expect: `a start hour before the end hour (got ${a} to ${b})`, fix: 'write [start, end), e.g. [8, 19]' } })
  }),
  closedWeekdays: z.array(int(0, 6)).max(7).refine((d) => new Set(d).size === d.length),
  holidays: z.array(z.string().refine(isIsoDate)).max(2000),
  volumeFactor: z.number().min(1).max(100),
  volumeMin: int(1, 100_000),
  fuzzyHits: int(1, 10_000),
  refusals: int(1, 1000)
}).strict()

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const sections = {
  prefecture: z.object({
    code: z.string().regex(/^(0[1-9]|[1-3][0-9]|4[0-7])$/),
    name: z.string().regex(/^.+[都道府県]$/u),
    municipalities: z.union([path, z.array(municipalitySchema).min(1)])
  }).strict(),
  paths: z.object({
    stateDir: path,
    pkiDir: path,
    dbDir: path,
    applianceKeyFile: path,
    storeSocket: path,
    outboxSocket: path,
    storeMaintSocket: path,
    gatewayMaintSocket: path,
    terminalMaintSocket: path,
    nationalMaintSocket: path,
    backupDir: path,
    backupRecipientFile: path,
    logDir: path,
    terminalSocket: path,
    terminalAccountsFile: path,
    // '' : the built-in development registry (server/src/store/terminal/purposes.ts).
    purposesRegistryFile: z.union([path, z.literal('')])
  }).strict(),
  backup: z.object({
    dailyAt: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/),
    generations: int(1, 30),
    location: z.string().min(1).max(200),
    mediaCheckDay: int(0, 6)
  }).strict(),
  gateway: z.object({
    host: ipAddress,
    port,
    tlsMinVersion: z.literal('TLSv1.3'),
    maxPacketBytes: int(1024, 1048576),
    maxUpdateBytes: int(256, 1048576),
    maxBatchUpdates: int(1, 4096),
    maxConnections: int(1, 10000),
    maxInflightPerCs: int(1, 65535),
    maxInflightUpdatesPerCs: int(1, 1048576),
    maxInflightUpdates: int(1, 16777216),
    maxMessagesPerSecondPerCs: int(1, 1000000),
    maxSubscriptionsPerSecondPerCs: int(1, 1000),
    maxConnectionsPerSecond: int(1, 10000),
    handshakeTimeoutMs: int(100, 60000),
    connectTimeoutMs: int(100, 60000),
    keepalive: z.object({ minSeconds: int(1, 65535), maxSeconds: int(1, 65535) }).strict()
      .superRefine((k, ctx) => {
        if (k.minSeconds > k.maxSeconds) ctx.addIssue({ code: 'custom', path: ['minSeconds'], params: { expect: `at most gateway.keepalive.maxSeconds (${k.maxSeconds})`, fix: 'make minSeconds ≤ maxSeconds' } })
      }),
    crlStale: z.enum(['fail', 'warn'])
  }).strict().superRefine((g, ctx) => {
    if (g.maxUpdateBytes >= g.maxPacketBytes) {
      ctx.addIssue({ code: 'custom', path: ['maxUpdateBytes'], params: { expect: `less than gateway.maxPacketBytes (${g.maxPacketBytes}): the packet also carries the topic`, fix: 'lower maxUpdateBytes or raise maxPacketBytes' } })
    }
    if (g.maxInflightUpdatesPerCs < g.maxBatchUpdates) {
      ctx.addIssue({ code: 'custom', path: ['maxInflightUpdatesPerCs'], params: { expect: `at least gateway.maxBatchUpdates (${g.maxBatchUpdates}): one whole batch must fit`, fix: 'raise maxInflightUpdatesPerCs or lower maxBatchUpdates' } })
    }
    if (g.maxInflightUpdates < g.maxInflightUpdatesPerCs) {
      ctx.addIssue({ code: 'custom', path: ['maxInflightUpdates'], params: { expect: `at least gateway.maxInflightUpdatesPerCs (${g.maxInflightUpdatesPerCs}): one link's whole budget must fit`, fix: 'raise maxInflightUpdates or lower maxInflightUpdatesPerCs' } })
    }
  }),
  store: z.object({
    groupCommitMaxDelayMs: int(0, 1000),
    groupCommitMaxEntries: int(1, 65536),
    checkpointIntervalMs: int(0, 3_600_000),
    socketMode: fileMode,
    juminhyoCheckDigit: z.boolean(),
    retentionYears: int(150, 1000)
  }).strict(),
  logging: z.object({ level: z.enum(LOG_LEVELS) }).strict(),
  national: z.object({
    url: z.string().regex(/^mqtts:\/\/[^/]+:[0-9]{1,5}$/),
    caFile: path,
    window: int(1, 4096),
    batch: int(1, 1024)
  }).strict(),
  // SPEC §6, A8.1, A1, A2.6 (section G 5: no source gives these values; defaults chosen on the strict side).
  // A8.3 / section G 1: Fukuoka prohibits hardcopy, Gunma and the CS allow it with a record → the stricter default.
  terminal: listener().extend({
    idleLockMinutes: int(1, 60),
    maxLoginFailures: int(1, 20),
    resultCap: int(1, 200),
    hardcopy: z.enum(HARDCOPY_POLICIES),
    socketMode: fileMode,
    review: reviewRules
  }).strict(),
  management: listener(),
  retention: z.object({
    provisionRecordYears: int(7, 150),
    operationLogYears: int(7, 150)
  }).strict()
}

/** The whole configuration: all sections required (the loader merges the file over DEFAULTS). */
export const configSchema = z.object(sections).strict().superRefine((c, ctx) => {
  for (const api of ['terminal', 'management'] as const) {
    if (!c[api].allowNonLoopback && !isLoopback(c[api].host)) {
      ctx.addIssue({
        code: 'custom',
        path: [api, 'host'],
        params: { expect: `a loopback address (127.0.0.1 or ::1) while ${api}.allowNonLoopback is false`, fix: `bind to loopback, or set ${api}.allowNonLoopback to true and restrict the LAN in nftables/ken.nft` }
      })
    }
  }
  const ports = new Map<number, string>()
  for (const api of ['gateway', 'terminal', 'management'] as const) {
    const other = ports.get(c[api].port)
    if (other !== undefined) {
      ctx.addIssue({ code: 'custom', path: [api, 'port'], params: { expect: `a port not used by ${other}.port`, fix: 'give each listener its own port' } })
    }
    ports.set(c[api].port, api)
  }
  if (typeof c.prefecture.municipalities !== 'string') {
    for (const p of checkMunicipalities(c.prefecture.municipalities, c.prefecture.code)) {
      if ('unknownKey' in p) continue
      const m = /^\[([0-9]+)\]\.(.*)$/.exec(p.path)
      const rest = (m?.[2] ?? '').split(/\.|\[|\]/).filter((s) => s !== '').map((s) => /^[0-9]+$/.test(s) ? Number(s) : s)
      ctx.addIssue({ code: 'custom', path: ['prefecture', 'municipalities', Number(m?.[1] ?? 0), ...rest], params: { expect: p.expect, fix: p.fix } })
    }
  }
})

/** The configuration as validated (before the municipality file is read). */
export type ParsedConfig = z.output<typeof configSchema>

const listenerHints = (api: string, what: string, defaultPort: number): Record<string, Hint> => ({
  [api]: { expect: 'an object with host, port, allowNonLoopback', fix: `see docs/configuration.md, section ${api}` },
  [`${api}.host`]: { expect: 'an IPv4 or IPv6 address', fix: `write the address ${what} listens on, e.g. "127.0.0.1"` },
  [`${api}.port`]: { expect: 'an integer between 1024 and 65535', fix: `set a TCP port (default ${defaultPort}); ports below 1024 need a capability the daemons do not have` },
  [`${api}.allowNonLoopback`]: { expect: 'true or false', fix: `set true only to serve ${what} on a LAN interface` }
})

/** What each key expects and the fix, keyed by path (`[]` for list indexes). */
export const HINTS: Readonly<Record<string, Hint>> = {
  prefecture: { expect: 'an object with code, name, municipalities', fix: 'see docs/configuration.md, section prefecture' },
  'prefecture.code': { expect: 'a 2-digit prefecture code 01–47', fix: 'write the JIS X 0401 code as a string, e.g. "40"' },
  'prefecture.name': { expect: 'the prefecture name ending in 都, 道, 府 or 県', fix: 'write e.g. "福岡県"' },
  'prefecture.municipalities': { expect: 'a path to a municipality file, or a non-empty inline list', fix: 'point at firmware-config/municipalities/<prefecture>.json' },
  ...Object.fromEntries(Object.entries(MUNICIPALITY_HINTS).map(([k, v]) => [`prefecture.municipalities${k}`, v])),
  paths: { expect: 'an object with stateDir, pkiDir, dbDir, applianceKeyFile, storeSocket, outboxSocket, storeMaintSocket, gatewayMaintSocket, terminalMaintSocket, nationalMaintSocket, backupDir, backupRecipientFile, logDir, terminalSocket, terminalAccountsFile, purposesRegistryFile', fix: 'see docs/configuration.md, section paths' },
  'paths.terminalSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "terminal/terminal.sock" (its own setgid directory, group ken-terminal-sock)' },
  'paths.terminalAccountsFile': { expect: 'a file path (relative paths are under stateDir)', fix: 'write e.g. "accounts/terminal-accounts.json" (a directory only the store can read)' },
  'paths.purposesRegistryFile': { expect: 'a file path (relative paths are under stateDir), or "" for the built-in development registry', fix: 'write the path of the 事務 registry JSON (docs/terminal.md "Purposes")' },
  'paths.stateDir': { expect: 'a directory path', fix: 'write the state directory, e.g. "/var/lib/ken/"' },
  'paths.pkiDir': { expect: 'a directory path (relative paths are under stateDir)', fix: 'write e.g. "pki"' },
  'paths.dbDir': { expect: 'a directory path (relative paths are under stateDir)', fix: 'write e.g. "db"' },
  'paths.applianceKeyFile': { expect: 'a file path (relative paths are under stateDir)', fix: 'write e.g. "keys/appliance.key"' },
  'paths.storeSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/store.sock"' },
  'paths.outboxSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/outbox.sock"' },
  national: { expect: 'an object with url, caFile, window, batch', fix: 'see docs/configuration.md, section national' },
  'national.url': { expect: 'mqtts://host:port of the national server (TLS only)', fix: 'write e.g. "mqtts://zenkoku.example:8883"' },
  'national.caFile': { expect: 'the national server\'s CA bundle, PEM (relative paths are under stateDir)', fix: 'write the file J-LIS gave; never the prefecture\'s own CA' },
  'national.window': { expect: 'an integer between 1 and 4096', fix: 'set the number of forwards sent and not yet acknowledged' },
  'national.batch': { expect: 'an integer between 1 and 1024', fix: 'set how many forwards one PUBLISH may carry (1: each alone on …/forward, as before the batch topic)' },
  'paths.storeMaintSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/store-maint.sock"' },
  'paths.gatewayMaintSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/gateway-maint.sock"' },
  'paths.terminalMaintSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/terminal-maint.sock"' },
  'paths.nationalMaintSocket': { expect: 'a Unix socket path (relative paths are under stateDir)', fix: 'write e.g. "run/national-maint.sock"' },
  'paths.backupDir': { expect: 'a directory path (relative paths are under stateDir)', fix: 'write e.g. "backups"' },
  'paths.backupRecipientFile': { expect: 'a file path (relative paths are under stateDir)', fix: 'write the path of the administrator\'s backup public key, e.g. "keys/backup-recipient.pub" (ken-store backup-keygen)' },
  'paths.logDir': { expect: 'a directory path (relative paths are under stateDir)', fix: 'write e.g. "logs"' },
  backup: { expect: 'an object with dailyAt, generations, location, mediaCheckDay', fix: 'see docs/configuration.md, section backup' },
  'backup.dailyAt': { expect: 'a time "HH:MM" (Japan time)', fix: 'write e.g. "02:00"' },
  'backup.generations': { expect: 'an integer between 1 and 30', fix: 'keep at least 2 (two generations, sources D6)' },
  'backup.location': { expect: 'a text of 1 to 200 characters', fix: 'write where the media are kept, e.g. "backup directory, server room"' },
  'backup.mediaCheckDay': { expect: 'an integer 0 (Sunday) to 6', fix: 'write the weekday of the weekly media check, e.g. 1 for Monday' },
  gateway: { expect: 'an object of gateway settings', fix: 'see docs/configuration.md, section gateway' },
  'gateway.host': { expect: 'an IPv4 or IPv6 address', fix: 'write the address of the CS line interface' },
  'gateway.port': { expect: 'an integer between 1024 and 65535', fix: 'set a TCP port (default 8883, MQTT over TLS); keep nftables/ken.nft in step' },
  'gateway.tlsMinVersion': { expect: '"TLSv1.3" (TLS 1.2 and below are refused, SPEC §3)', fix: 'remove the key or set it to "TLSv1.3"' },
  'gateway.maxPacketBytes': { expect: 'an integer between 1024 and 1048576', fix: 'set a number of bytes' },
  'gateway.maxBatchUpdates': { expect: 'an integer between 1 and 4096', fix: 'set how many updates one …/update-batch PUBLISH may carry; a bigger batch is committed as one KEN_REJECT_OVERSIZED' },
  'gateway.maxUpdateBytes': { expect: 'an integer between 256 and 1048576', fix: 'set a number of bytes below gateway.maxPacketBytes; bigger updates are rejected KEN_REJECT_OVERSIZED' },
  'gateway.maxConnections': { expect: 'an integer between 1 and 10000', fix: 'set a number of simultaneous connections (one per CS, plus headroom)' },
  'gateway.maxInflightPerCs': { expect: 'an integer between 1 and 65535', fix: 'set the number of unacknowledged QoS 1 messages one CS may have' },
  'gateway.maxInflightUpdatesPerCs': { expect: 'an integer between 1 and 1048576, at least gateway.maxBatchUpdates', fix: 'set the number of updates one CS may have between arrival and answer (a batch counts each of its updates)' },
  'gateway.maxInflightUpdates': { expect: 'an integer between 1 and 16777216, at least gateway.maxInflightUpdatesPerCs', fix: 'set the number of updates all CS together may have between arrival and answer' },
  'gateway.maxMessagesPerSecondPerCs': { expect: 'an integer between 1 and 1000000', fix: 'set a number of messages per second' },
  'gateway.maxSubscriptionsPerSecondPerCs': { expect: 'an integer between 1 and 1000', fix: 'set a number of SUBSCRIBE/UNSUBSCRIBE packets per second' },
  'gateway.maxConnectionsPerSecond': { expect: 'an integer between 1 and 10000', fix: 'set a number of new connections per second from one source address' },
  'gateway.handshakeTimeoutMs': { expect: 'an integer between 100 and 60000', fix: 'set milliseconds' },
  'gateway.connectTimeoutMs': { expect: 'an integer between 100 and 60000', fix: 'set milliseconds' },
  'gateway.keepalive': { expect: 'an object with minSeconds and maxSeconds', fix: 'write e.g. { "minSeconds": 5, "maxSeconds": 300 }' },
  'gateway.keepalive.minSeconds': { expect: 'an integer between 1 and 65535', fix: 'set seconds (keep alive 0, i.e. none, is refused)' },
  'gateway.keepalive.maxSeconds': { expect: 'an integer between 1 and 65535', fix: 'set seconds' },
  'gateway.crlStale': { expect: '"fail" or "warn"', fix: 'use "fail" to refuse CS links while the CRL is past its nextUpdate' },
  store: { expect: 'an object of store settings', fix: 'see docs/configuration.md, section store' },
  'store.groupCommitMaxDelayMs': { expect: 'an integer between 0 and 1000', fix: 'set milliseconds' },
  'store.groupCommitMaxEntries': { expect: 'an integer between 1 and 65536', fix: 'set a number of entries per fsync' },
  'store.checkpointIntervalMs': { expect: 'an integer between 0 and 3600000', fix: 'set the least milliseconds between two signed checkpoints' },
  'store.socketMode': { expect: 'a file mode with owner read/write and nothing for others, e.g. 0o660 or "0660"', fix: 'write "0660" (owner and the gateway\'s group)' },
  'store.juminhyoCheckDigit': { expect: 'true or false', fix: 'set true only when every CS issues 住民票コード with the modulus-11 check digit' },
  'store.retentionYears': { expect: 'an integer between 150 and 1000', fix: 'keep at least 150 years (住基法施行令 30条の6)' },
  logging: { expect: 'an object with level', fix: 'see docs/configuration.md, section logging' },
  'logging.level': { expect: `one of ${LOG_LEVELS.join(', ')}`, fix: 'write e.g. "info"' },
  ...listenerHints('terminal', 'the operator terminal API', 8443),
  terminal: { expect: 'an object with host, port, allowNonLoopback, idleLockMinutes, maxLoginFailures, resultCap, hardcopy, socketMode, review', fix: 'see docs/configuration.md, section terminal' },
  'terminal.idleLockMinutes': { expect: 'an integer between 1 and 60', fix: 'set the minutes after which an idle terminal session locks (A8.1)' },
  'terminal.maxLoginFailures': { expect: 'an integer between 1 and 20', fix: 'set the consecutive login failures that lock an account' },
  'terminal.hardcopy': { expect: `one of ${HARDCOPY_POLICIES.join(', ')}`, fix: 'keep "prohibited" (the stricter source, A8.3) unless the prefecture allows printing with a record' },
  'terminal.socketMode': { expect: 'a file mode with owner read/write and nothing for others, e.g. "0660"', fix: 'write "0660" (the store and ken-terminal\'s group ken-terminal-sock)' },
  'terminal.resultCap': { expect: 'an integer between 1 and 200', fix: 'set the most hits a search shows before it asks to narrow the conditions (A2.6)' },
  'terminal.review': { expect: 'an object with businessHours, closedWeekdays, holidays, volumeFactor, volumeMin, fuzzyHits, refusals', fix: 'see docs/configuration.md, section terminal' },
  'terminal.review.businessHours': { expect: 'a list [start, end) of two hours 0–24 in Japan time, start before end', fix: 'write e.g. [8, 19]' },
  'terminal.review.closedWeekdays': { expect: 'a list of distinct weekdays, 0 (Sunday) to 6', fix: 'write e.g. [0, 6] for Sunday and Saturday' },
  'terminal.review.closedWeekdays[]': { expect: 'a weekday, 0 (Sunday) to 6', fix: 'write e.g. 6 for Saturday' },
  'terminal.review.holidays': { expect: 'a list of at most 2000 dates "YYYY-MM-DD" (Japan) the offices are closed', fix: 'list 国民の祝日 and 年末年始, e.g. ["2027-01-01", "2027-01-11"]' },
  'terminal.review.holidays[]': { expect: 'a real date "YYYY-MM-DD"', fix: 'write e.g. "2027-01-01"' },
  'terminal.review.volumeFactor': { expect: 'a number between 1 and 100', fix: 'set how many times an operator\'s median day a day must exceed to be flagged, e.g. 3' },
  'terminal.review.volumeMin': { expect: 'an integer between 1 and 100000', fix: 'set the fewest acts in a day that can be flagged as unusual volume, e.g. 30' },
  'terminal.review.fuzzyHits': { expect: 'an integer between 1 and 10000', fix: 'set the hits from which a fuzzy search with no record viewed after it is flagged, e.g. 20' },
  'terminal.review.refusals': { expect: 'an integer between 1 and 1000', fix: 'set the refusals of one operator in one day that flag them, e.g. 3' },
  ...listenerHints('management', 'health and metrics', 9464),
  retention: { expect: 'an object with provisionRecordYears and operationLogYears', fix: 'see docs/configuration.md, section retention' },
  'retention.provisionRecordYears': { expect: 'an integer between 7 and 150', fix: 'keep provision records at least 7 years (SPEC §6)' },
  'retention.operationLogYears': { expect: 'an integer between 7 and 150', fix: 'keep operation logs at least 7 years (SPEC §2.5)' }
}
