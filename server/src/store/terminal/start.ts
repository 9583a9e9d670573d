/** The store daemon's terminal part: the service, its accounts file, set-up accounts, the socket. */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fromPemAll } from '../../../../certs/src/der.ts'
import type { DeepReadonly } from '../../../../firmware-config/src/deep.ts'
import type { Store, StoreLogger } from '../store.ts'
import { startTerminalServer, type TerminalServer } from '../terminal-server.ts'
import { FileAccounts } from './account-book.ts'
import { errors } from './errors.ts'
import type { NationalQuery } from './national-query.ts'
import { parseRegistry } from './purposes.ts'
import { parseReviewRules, type ReviewRulesInput } from './review-rules.ts'
import { TerminalService } from './service.ts'
import type { HardcopyPolicy } from './context.ts'
import type { MonthlyMismatches } from './statistics-ops.ts'

export interface TerminalStartOptions {
  readonly socketPath: string
  readonly accountsFile: string
  readonly registryFile?: string | undefined
  /** The review's anomaly rules (review-rules.ts; firmware-config terminal.review); absent: the defaults. */
  readonly reviewRules?: DeepReadonly<ReviewRulesInput> | undefined
  readonly idleLockSeconds: number
  readonly maxFailures: number
  readonly resultCap: number
  /** The terminal socket's own mode (its group is the directory's, ken-terminal-sock). */
  readonly socketMode: number
  readonly hardcopy: HardcopyPolicy
  readonly prefectureName: string
  readonly bootstrap: ReadonlyArray<DeepReadonly<{ accountId: string, role: string, department: string, branch: string, purposes: string[], certificateFile: string, pinFile: string }>>
}

interface StartDeps { logger: StoreLogger, clock?: () => Date, national?: NationalQuery, mismatches?: MonthlyMismatches }

/** The service as the options set it up (not yet opened): registry, review rules, terminal options. */
export async function terminalServiceFrom (store: Store, options: TerminalStartOptions, deps: StartDeps): Promise<TerminalService> {
  const registry = options.registryFile === undefined ? undefined : parseRegistry(JSON.parse(await readFile(options.registryFile, 'utf8')))
  const reviewRules = options.reviewRules === undefined ? undefined : parseReviewRules(options.reviewRules)
  return new TerminalService({
    store,
    accounts: new FileAccounts(options.accountsFile),
    ...(registry === undefined ? {} : { registry }),
    ...(deps.national === undefined ? {} : { national: deps.national }),
    ...(deps.mismatches === undefined ? {} : { mismatches: deps.mismatches }),
    ...(reviewRules === undefined ? {} : { reviewRules }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    logger: deps.logger,
    options: { idleLockSeconds: options.idleLockSeconds, maxFailures: options.maxFailures, resultCap: options.resultCap, hardcopy: options.hardcopy, prefectureName: options.prefectureName }
  })
}

export async function startTerminal (store: Store, options: TerminalStartOptions, deps: StartDeps): Promise<TerminalServer> {
  const service = await terminalServiceFrom(store, options, deps)
  // The accounts' directory is the store's alone (ken.tmpfiles.conf: 0700); made here for a fresh state directory.
  await mkdir(path.dirname(options.accountsFile), { recursive: true, mode: 0o700 })
  await service.open()
  if (service.accountCount === 0 && options.bootstrap.length > 0) {
    const entries = await Promise.all(options.bootstrap.map(async (b) => {
      const [certificate] = fromPemAll(await readFile(b.certificateFile, 'utf8'), 'CERTIFICATE')
      if (certificate === undefined) throw errors.KEN_ERR_TERM_CERTIFICATE(`bootstrap ${b.accountId}: no certificate`, { field: 'certificateFile' })
      const pin = (await readFile(b.pinFile, 'utf8')).replace(/\r?\n$/, '')
      return { accountId: b.accountId, role: b.role, department: b.department, branch: b.branch, purposes: [...b.purposes], pin, certificate }
    }))
    const created = await service.bootstrap(entries)
    deps.logger.info({ event: 'store.terminal.bootstrap', accounts: created }, 'set-up accounts created')
  }
  const server = await startTerminalServer(service, { socketPath: options.socketPath, socketMode: options.socketMode }, deps.logger)
  deps.logger.info({ event: 'store.terminal.ready', accounts: service.accountCount }, 'terminal socket ready')
  return server
}
