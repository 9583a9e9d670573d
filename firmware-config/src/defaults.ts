/**
 * The hardened defaults, in one object (STYLE.md). Every listener is loopback-only, TLS 1.3 only,
 * a stale CRL refuses links, limits are on. A configuration file only names what differs.
 * docs/configuration.md gives each key with its default and meaning.
 */
import { fileURLToPath } from 'node:url'
import type { ParsedConfig } from './schema.ts'
import { deepFreeze } from './deep.ts'

/** The shipped list of 福岡県's 60 municipalities. */
export const FUKUOKA_MUNICIPALITIES_FILE = fileURLToPath(new URL('../municipalities/fukuoka.json', import.meta.url))

export const DEFAULTS = deepFreeze({
  prefecture: {
    code: '40',
    name: '福岡県',
    municipalities: FUKUOKA_MUNICIPALITIES_FILE
  },
  paths: {
    stateDir: 'var/',
    pkiDir: 'pki',
    dbDir: 'db',
    applianceKeyFile: 'keys/appliance.key',
    storeSocket: 'run/store.sock',
    outboxSocket: 'run/outbox.sock',
    storeMaintSocket: 'run/store-maint.sock',
    gatewayMaintSocket: 'run/gateway-maint.sock',
    terminalMaintSocket: 'run/terminal-maint.sock',
    nationalMaintSocket: 'run/national-maint.sock',
    backupDir: 'backups',
    backupRecipientFile: 'keys/backup-recipient.pub',
    logDir: 'logs',
    // The terminal socket's own directory: setgid, group ken-terminal-sock (systemd/ken.tmpfiles.conf).
    terminalSocket: 'terminal/terminal.sock',
    terminalAccountsFile: 'accounts/terminal-accounts.json',
    purposesRegistryFile: ''
  },
  // Sources D4–D6: daily, two generations, a weekly check of the register against the store room.
  backup: { dailyAt: '02:00', generations: 2, location: 'backup directory, server room', mediaCheckDay: 1 },
  gateway: {
    host: '127.0.0.1',
    port: 8883,
    tlsMinVersion: 'TLSv1.3',
    maxPacketBytes: 65536,
    // An update is a few hundred bytes; anything near this is garbage (committed as KEN_REJECT_OVERSIZED).
    maxUpdateBytes: 16384,
    // A CS catching up sends up to this many updates in one PUBLISH (…/update-batch, batch.proto).
    maxBatchUpdates: 256,
    maxConnections: 128,
    maxInflightPerCs: 64,
    // Updates (not PUBLISHes) of one link between arrival and answer: 64 PUBLISHes of 256-update batches
    // would be 16,384 per link, about a million in the gateway for 60 links (issue 18, gateway RSS).
    maxInflightUpdatesPerCs: 2048,
    // Updates of all links together between arrival and answer (SPEC §8: gateway RSS < 200 MB with 60
    // connections): ~1 s of the store's commits during a load, 4 links' full budgets (issue 18).
    maxInflightUpdates: 8192,
    // 福岡市 (≈1.6 M residents) must finish the initial load in under 5 minutes (SPEC §8).
    maxMessagesPerSecondPerCs: 10000,
    // A CS subscribes to its two result topics once per connection; more is a flood of denials.
    maxSubscriptionsPerSecondPerCs: 10,
    // Per source address: each CS has its own, and reconnects once after a restart (SPEC §8: < 5 s).
    maxConnectionsPerSecond: 10,
    handshakeTimeoutMs: 5000,
    connectTimeoutMs: 5000,
    keepalive: { minSeconds: 5, maxSeconds: 300 },
    crlStale: 'fail'
  },
  store: {
    groupCommitMaxDelayMs: 2,
    groupCommitMaxEntries: 512,
    checkpointIntervalMs: 1000,
    socketMode: 0o660,
    juminhyoCheckDigit: false,
    retentionYears: 150
  },
  logging: { level: 'info' },
  // SPEC §5.1: ken-national's link; the national server's CA is its own file, apart from the prefecture's.
  national: { url: 'mqtts://localhost:8884', caFile: 'national/national-ca.crt', window: 1024, batch: 64 },
  terminal: {
    host: '127.0.0.1',
    port: 8443,
    allowNonLoopback: false,
    idleLockMinutes: 5,
    maxLoginFailures: 5,
    resultCap: 20,
    hardcopy: 'prohibited',
    socketMode: 0o660,
    // A7.6: the review's anomaly rules (server/src/terminal/review/anomalies.ts DEFAULT_RULES); the
    // holidays are the prefecture's to list (国民の祝日, 年末年始 change yearly).
    review: { businessHours: [8, 19], closedWeekdays: [0, 6], holidays: [], volumeFactor: 3, volumeMin: 30, fuzzyHits: 20, refusals: 3 }
  },
  management: { host: '127.0.0.1', port: 9464, allowNonLoopback: false },
  retention: { provisionRecordYears: 7, operationLogYears: 7 }
} satisfies ParsedConfig)
