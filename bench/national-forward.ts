/**
 * ken-national's and the simulator's CPU per forward, one forward per PUBLISH against batches
 * (national.batch; issue 18), on one store: each run appends N accepted updates to the store, then
 * starts the simulator and ken-national as the full bench does (bench/national.ts, separate processes)
 * and waits until every forward is confirmed. Runs alternate over the batch sizes, twice. The national
 * database is shared by the runs (the chain goes on), each run has its own PKI and status file.
 *
 *   node --import tsx bench/national-forward.ts [--forwards 80000] [--batches 1,64]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import pino from 'pino'
import { devPki } from '../certs/src/dev-pki.ts'
import { startStoreDaemon } from '../server/src/store/daemon.ts'
import { Cs, FUKUOKA, item, person } from '../tests/unit/store/helpers.ts'
import { startNationalBench } from './national.ts'

const { values } = parseArgs({ options: { forwards: { type: 'string', default: '80000' }, batches: { type: 'string', default: '1,64' }, port: { type: 'string', default: '19700' } } })
const n = Number(values.forwards)
const batches = values.batches.split(',').map(Number)
const dir = mkdtempSync(path.join(os.tmpdir(), 'ken-national-forward-'))
const pkiDir = path.join(dir, 'pki')
await devPki(pkiDir, [FUKUOKA], { nationalClient: '40', people: [] })
const outboxSocket = path.join(dir, 'run', 'outbox.sock')
const daemon = await startStoreDaemon({ dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'keys', 'appliance.key'), outboxSocketPath: outboxSocket }, { logger: pino({ level: 'silent' }) })
const cs = new Cs(FUKUOKA)
mkdirSync(path.join(dir, 'national-db'))
let next = 0
let port = Number(values.port)
try {
  for (const round of [1, 2]) {
    for (const batch of batches) {
      for (let i = 0; i < n; i += 500) await daemon.store.append(Array.from({ length: Math.min(500, n - i) }, (_, j) => item(cs.identity(person(next + i + j)))))
      next += n
      const runDir = path.join(dir, `run-${round}-${batch}`)
      mkdirSync(path.join(runDir, 'logs'), { recursive: true })
      symlinkSync(path.join(dir, 'national-db'), path.join(runDir, 'national-db'))
      const link = await startNationalBench({ pkiDir, dir: runDir, outboxSocket, port: port++, batch })
      const f = await link.finish(1, 1_200_000)
      console.log(`round ${round}, ${batch} per PUBLISH: ${f.forwarded} forwarded, CPU per forward: ken-national ${f.cpuPerForwardUs?.national} µs, simulator ${f.cpuPerForwardUs?.simulator} µs`)
    }
  }
} finally {
  await daemon.close()
  rmSync(dir, { recursive: true, force: true })
}
