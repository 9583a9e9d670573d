/**
 * The appliance configuration as the store daemon's options (`ken-store serve --config FILE`, what
 * the systemd unit runs): the paths, group commit, the socket mode, the maintenance and outbox sockets,
 * the terminal socket with its accounts, registry and review rules, the retention terms, the transparency log's origin and checkpoint interval, and
 * backups when the administrator's recipient key is in place (without it the store takes none and
 * says so in its log: backups need a key the technician does not hold).
 */
import { existsSync } from 'node:fs'
import type { Config } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import type { StoreDaemonInput } from './options.ts'
import type { ReviewRulesInput } from './terminal/review-rules.ts'

export function storeOptionsFrom (config: Config, cwd = process.cwd()): StoreDaemonInput {
  const paths = resolvePaths(config, cwd)
  return {
    dbPath: paths.dbDir,
    socketPath: paths.storeSocket,
    keyFile: paths.applianceKeyFile,
    maxDelayMs: config.store.groupCommitMaxDelayMs,
    maxEntries: config.store.groupCommitMaxEntries,
    socketMode: config.store.socketMode,
    maintSocketPath: paths.storeMaintSocket,
    outboxSocketPath: paths.outboxSocket,
    retentionRecordYears: config.store.retentionYears,
    retentionActYears: Math.max(config.retention.provisionRecordYears, config.retention.operationLogYears),
    checkpointIntervalMs: config.store.checkpointIntervalMs,
    logOrigin: `ken-server.pref-${config.prefecture.code}/log`,
    // SPEC §6: the systemd path serves the terminal socket too (its own directory and group, ken.tmpfiles.conf).
    terminal: {
      socketPath: paths.terminalSocket,
      accountsFile: paths.terminalAccountsFile,
      ...(paths.purposesRegistryFile === undefined ? {} : { registryFile: paths.purposesRegistryFile }),
      idleLockSeconds: config.terminal.idleLockMinutes * 60,
      maxFailures: config.terminal.maxLoginFailures,
      resultCap: config.terminal.resultCap,
      socketMode: config.terminal.socketMode,
      hardcopy: config.terminal.hardcopy,
      // the disclosure form's issuer (住基法30条の32): the prefecture this appliance serves
      prefectureName: config.prefecture.name,
      // The operation-history review's anomaly rules (A7.6): the prefecture's hours, closed days, thresholds.
      reviewRules: reviewRulesOf(config)
    },
    ...(existsSync(paths.backupRecipientFile)
      ? {
          backup: {
            dir: paths.backupDir,
            recipientFile: paths.backupRecipientFile,
            dailyAt: config.backup.dailyAt,
            generations: config.backup.generations,
            location: config.backup.location,
            weeklyCheckDay: config.backup.mediaCheckDay
          }
        }
      : {})
  }
}

function reviewRulesOf (config: Config): ReviewRulesInput {
  const r = config.terminal.review
  return { ...r, businessHours: [...r.businessHours], closedWeekdays: [...r.closedWeekdays], holidays: [...r.holidays] }
}
