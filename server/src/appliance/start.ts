/**
 * `npm start` — the demo appliance on one machine: generates the development PKI and configuration
 * under the state directory when absent, starts the store daemon and the gateway (127.0.0.1:8883) as
 * their own processes, then ken-maint (technicians, https://127.0.0.1:9464/), runs one simulated CS per configured municipality sending real updates, and
 * shows a live view until Ctrl-C, then shuts everything down cleanly.
 *
 *   npm start [-- --state DIR] [--rate N] [--window N] [--residents N] [--events N]
 *                [--invalid-rate R] [--seed N] [--duration SECONDS] [--port N] [--terminal-port N]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { isSingleDatabaseLayout } from '../store/level-store.ts'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { runSimulator } from '../../../tests/sim/cs-sim/simulator.ts'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from './daemon-process.ts'
import { planDemo } from './demo-events.ts'
import { loadProgress, saveProgress } from './demo-progress.ts'
import { prepareDemo } from './demo-setup.ts'
import { nationalLine, startNationalLink } from './demo-national.ts'
import { receiptsLine, renderFrame, summaryLine, type ViewInput } from './live-view.ts'
import { defaultLogKeyFile, loadLogSigningKey } from '../store/log-signing-key.ts'
import { DemoReconciliations } from './demo-reconcile.ts'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { prepareDemoTerminal, terminalBanner } from './demo-terminal.ts'
import { parseStartOptions, START_USAGE } from './start-options.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

async function main (argv: string[]): Promise<number> {
  let opts
  try {
    opts = parseStartOptions(parseArgs({ args: argv, strict: true, options: START_OPTIONS }).values)
  } catch (err) {
    process.stderr.write(`${isKenError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n${START_USAGE}\n`)
    return 2
  }
  const out = (line: string): void => { process.stdout.write(`${line}\n`) }
  out(`ken-server demo: state in ${opts.state}`)
  // A run on a port of its own (tests) gets ken-maint on a free port too, not the fixed 9464.
  const maintPort = opts.maintPort ?? (opts.port === undefined ? undefined : await freePort())
  const setup = await prepareDemo(opts.state, { ...(opts.port === undefined ? {} : { port: opts.port }), ...(maintPort === undefined ? {} : { maintPort }), ...(opts.terminalPort === undefined ? {} : { terminalPort: opts.terminalPort }) })
  if (setup.created.length > 0) out(`generated the development PKI (${setup.created.length} files) in ${setup.paths.pkiDir}`)
  if (isSingleDatabaseLayout(setup.paths.dbDir)) {
    // The store refuses it too (KEN_ERR_STORE_LAYOUT); the demo's state is disposable, so say how.
    process.stderr.write(`KEN_ERR_STORE_LAYOUT: ${setup.paths.dbDir} holds a store of an earlier on-disk layout; remove the demo state (${opts.state}) or pass --state DIR\n`)
    return 2
  }
  const municipalities = setup.config.prefecture.municipalities
  const progressFile = path.join(setup.paths.stateDir, 'demo-progress.json')
  const progress = loadProgress(progressFile, opts.plan)

  const daemons: DaemonProcess[] = []
  const nationalStatusFile = path.join(path.dirname(setup.paths.outboxSocket), 'national-status.json')
  let closeNational = async (): Promise<void> => undefined
  let maintLine = ''
  const terminalFiles = prepareDemoTerminal(setup.paths.stateDir, setup.paths.pkiDir, path.dirname(setup.paths.storeSocket))
  // The review's rules (terminal.review) go to the store as the JSON `--review-rules` reads, rewritten each start.
  const reviewRulesFile = path.join(setup.paths.stateDir, 'review-rules.json')
  writeFileSync(reviewRulesFile, JSON.stringify(setup.config.terminal.review))
  let consoleUrl = ''
  const stopDaemons = async (): Promise<void> => {
    for (const d of daemons.reverse()) await d.stop()
    await closeNational()
  }
  try {
    const store = spawnDaemon('store', path.join(root, 'server/src/cli/ken-store.ts'), [
      'serve', '--db', setup.paths.dbDir, '--socket', setup.paths.storeSocket, '--key', setup.paths.applianceKeyFile, '--outbox', setup.paths.outboxSocket,
      '--max-delay-ms', String(setup.config.store.groupCommitMaxDelayMs), '--max-entries', String(setup.config.store.groupCommitMaxEntries),
      '--retention-years', String(setup.config.store.retentionYears),
      '--act-retention-years', String(Math.max(setup.config.retention.provisionRecordYears, setup.config.retention.operationLogYears)),
      '--checkpoint-interval-ms', String(setup.config.store.checkpointIntervalMs), '--log-origin', `ken-server.pref-${setup.config.prefecture.code}/log`,
      '--maint-socket', setup.paths.storeMaintSocket,
      '--backup-dir', setup.paths.backupDir, '--backup-recipient', setup.paths.backupRecipientFile,
      '--backup-at', setup.config.backup.dailyAt, '--backup-generations', String(setup.config.backup.generations),
      '--backup-location', setup.config.backup.location, '--media-check-day', String(setup.config.backup.mediaCheckDay),
      '--terminal-socket', terminalFiles.socketPath, '--accounts', terminalFiles.accountsFile, '--bootstrap', terminalFiles.bootstrapFile,
      '--idle-lock-seconds', String(setup.config.terminal.idleLockMinutes * 60), '--max-failures', String(setup.config.terminal.maxLoginFailures), '--result-cap', String(setup.config.terminal.resultCap),
      '--prefecture-name', setup.config.prefecture.name, '--review-rules', reviewRulesFile
    ], path.join(setup.logDir, 'store.log'))
    daemons.push(store)
    await waitUntilReachable(store, { path: setup.paths.storeSocket }, 60_000)
    const gateway = spawnDaemon('gateway', path.join(root, 'gateway/bin/ken-gateway.js'), ['--config', setup.configFile], path.join(setup.logDir, 'gateway.log'))
    daemons.push(gateway)
    const { host, port } = setup.config.gateway
    await waitUntilReachable(gateway, { host, port }, 60_000)
    out(`store daemon and gateway running (mqtts://${host}:${port}); logs in ${setup.logDir}`)
    // The simulator runs in this process, like the CS simulator; ken-national is its own process.
    const link = await startNationalLink(setup, root, nationalStatusFile)
    closeNational = link.closeSimulator
    daemons.push(link.ken)
    out(`national-server simulator (${link.url}) and ken-national running`)
    // Before ken-maint, so the first health a technician asks for finds the terminal's socket too.
    const t = setup.config.terminal
    const terminal = spawnDaemon('terminal', path.join(root, 'server/src/terminal/cli/ken-terminal.ts'), [
      'serve', '--socket', terminalFiles.socketPath, '--cert', path.join(setup.paths.pkiDir, 'server.crt'), '--key', path.join(setup.paths.pkiDir, 'server.key'),
      '--host', t.host, '--port', String(t.port), '--maint-socket', setup.paths.terminalMaintSocket
    ], path.join(setup.logDir, 'terminal.log'))
    daemons.push(terminal)
    await waitUntilReachable(terminal, { host: t.host, port: t.port }, 60_000)
    const maint = spawnDaemon('maint', path.join(root, 'server/src/maint/cli/ken-maint.ts'), ['--config', setup.configFile], path.join(setup.logDir, 'maint.log'))
    daemons.push(maint)
    const mgmt = setup.config.management
    await waitUntilReachable(maint, { host: mgmt.host, port: mgmt.port }, 60_000)
    const operators = path.join(setup.paths.pkiDir, 'operators')
    maintLine = `ken-maint (technicians) on https://${mgmt.host}:${mgmt.port}/ — technician credential ${path.join(operators, 'TE001.crt')} and .key (PIN ${DEV_PIN})`
    out(`${maintLine}; e.g.`)
    out(`  curl --cacert ${path.join(setup.paths.pkiDir, 'ca.crt')} --cert ${path.join(operators, 'TE001.crt')} --key ${path.join(operators, 'TE001.key')} --pass ${DEV_PIN} https://localhost:${mgmt.port}/health`)
    out(`  backups in ${setup.paths.backupDir}, encrypted to the administrator's key ${setup.adminKey} (restores only: ken-store restore)`)
    consoleUrl = `https://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/`
    for (const line of terminalBanner(consoleUrl, setup.paths.pkiDir)) out(line)
  } catch (err) {
    await stopDaemons()
    throw err
  }

  const streams = planDemo(opts.plan, municipalities)
  // Results so far per CS, this run and earlier ones; `sim` is assigned before any event is pulled.
  const answered = (code: string): number => (progress.done[code] ?? 0) + (sim.stats.municipalities[code]?.results ?? 0)
  const pki = setup.paths.pkiDir
  const credentials = new Map(municipalities.map((m) => [m.code, {
    cert: readFileSync(path.join(pki, 'cs', `${m.code}.crt`)),
    key: readFileSync(path.join(pki, 'cs', `${m.code}.key`))
  }]))
  const sim = runSimulator({
    brokerUrl: `mqtts://${setup.config.gateway.host}:${setup.config.gateway.port}`,
    ca: readFileSync(path.join(pki, 'ca.crt')),
    credentials,
    // One reconciliation per CS after its initial load (SPEC §5.3), over its own link.
    events: (code) => streams.eventsOf(code, progress.done[code] ?? 0, answered, async (c) => { await reconciliations.run(c) }),
    ratePerSecond: opts.rate,
    window: opts.window,
    batchSize: opts.batch,
    // SPEC §1.1: each CS verifies receipts of a sample of its results with the log's verifier key.
    logVerifierKey: (await loadLogSigningKey(defaultLogKeyFile(setup.paths.applianceKeyFile))).verifier.line
  })

  const reconciliations = new DemoReconciliations({
    population: streams.population,
    url: `mqtts://${setup.config.gateway.host}:${setup.config.gateway.port}`,
    ca: readFileSync(path.join(pki, 'ca.crt')),
    linkOf: (code) => sim.linkOf(code),
    credential: (code) => credentials.get(code) ?? { cert: Buffer.alloc(0), key: Buffer.alloc(0) }
  })
  const started = Date.now()
  const done = new Map(Object.entries(progress.done))
  const names = new Map(municipalities.map((m) => [m.code, m.name]))
  let lastAnswered = 0
  let lastAt = started
  const frame = (): ViewInput => {
    const now = Date.now()
    const answered = Object.values(sim.stats.municipalities).reduce((a, s) => a + s.results, 0)
    const rate = ((answered - lastAnswered) * 1000) / Math.max(1, now - lastAt)
    lastAnswered = answered
    lastAt = now
    return {
      stats: sim.stats,
      names,
      totals: streams.totals,
      done,
      elapsedMs: now - started,
      rate,
      latency: sim.latency?.(),
      receipts: sim.receipts,
      extra: [nationalLine(nationalStatusFile), reconciliations.line()].filter((l): l is string => l !== undefined),
      header: `ken-server demo — ${municipalities.length} simulated CS → gateway mqtts://${setup.config.gateway.host}:${setup.config.gateway.port} → store (${setup.paths.dbDir})\nweb console ${consoleUrl} (OP001 / AD001 / TE001, credentials in ${path.join(setup.paths.pkiDir, 'operators')})\n${maintLine}`,
      rows: opts.rows
    }
  }
  const tty = process.stdout.isTTY === true
  let ticks = 0
  const timer = setInterval(() => {
    const f = frame()
    if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderFrame(f)}\n`)
    else if (ticks++ % 5 === 0) out([`${summaryLine(f)}  ${receiptsLine(sim.receipts)}`, ...(f.extra ?? [])].join('\n'))
    saveProgress(progressFile, opts.plan, done, sim.stats)
  }, 1000)

  const reason = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'))
    process.once('SIGTERM', () => resolve('terminated'))
    if (opts.durationSeconds > 0) setTimeout(() => resolve('duration reached'), opts.durationSeconds * 1000)
    void sim.done.then(() => { if (opts.durationSeconds === 0 && !tty) out('every simulated CS has sent all its events; Ctrl-C to stop') })
  })
  clearInterval(timer)
  out(`\nstopping (${reason}): simulator, ken-national, national-server simulator, gateway, store`)
  await sim.stop()
  saveProgress(progressFile, opts.plan, done, sim.stats)
  const last = frame()
  out([summaryLine(last), ...(last.extra ?? [])].join('\n'))
  // Identifiers of the CS stream only (municipality, 更新順番号, statuses): never resident data.
  out(receiptsLine(sim.receipts))
  for (const f of sim.receiptFailures.slice(0, 10)) out(`receipt failure: ${f}`)
  for (const m of sim.stats.mismatches.slice(0, 10)) out(`mismatch: ${m.municipalityCode} #${m.sequence} expected ${m.expected}, got ${m.got}`)
  await stopDaemons()
  out('stopped cleanly')
  return 0
}

const START_OPTIONS = {
  state: { type: 'string' },
  rate: { type: 'string' },
  window: { type: 'string' },
  batch: { type: 'string' },
  residents: { type: 'string' },
  events: { type: 'string' },
  'invalid-rate': { type: 'string' },
  seed: { type: 'string' },
  duration: { type: 'string' },
  port: { type: 'string' },
  'maint-port': { type: 'string' },
  'terminal-port': { type: 'string' },
  rows: { type: 'string' }
} as const

/** A TCP port free on 127.0.0.1 now. */
async function freePort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`ken-server demo failed: ${isKenError(err) ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
