// The national link under outages (SPEC §5.1 "resuming after outages without loss or reordering";
// 住基法30条の7): the store daemon, the national simulator and ken-national as their own processes, a
// loader appending updates (some REJECTED) the whole time, and in every round one outage of each
// kind — SIGKILL of ken-national, of the store, of the simulator, and the link cut. At the end the
// simulator's durable store must hold exactly the log's ACCEPTED positions, in order, each once.
//
// Rounds: KEN_NATIONAL_OUTAGES (default 2, so that `npm test` stays short on a loaded 2-core machine);
// `npm run soak:national` runs the 10 outages of each kind.
import t from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { ResultStatus, type UpdateResult } from '../../proto/src/types.ts'
import { devPki } from '../../certs/src/dev-pki.ts'
import { AppendClient } from '../../server/src/store/append-client.ts'
import { LevelStore } from '../../server/src/store/level-store.ts'
import { loadApplianceKey } from '../../server/src/store/appliance-key.ts'
import { nationalPki } from '../sim/national/ca.ts'
import { SimStore } from '../sim/national/sim-store.ts'
import { Cs, FUKUOKA, KITAKYUSHU, item, person, tempDir } from '../unit/store/helpers.ts'
import { relay, spawnReady, type Proc } from './helpers/national.ts'

const ROUNDS = Number(process.env.KEN_NATIONAL_OUTAGES ?? '2')

interface Status { confirmed: number, linkUp: boolean, outboxConnected: boolean }

t.test(`exactly once, in log order, through ${ROUNDS} outage(s) of each kind`, { timeout: 300_000 + ROUNDS * 120_000 }, async (t) => {
  const dir = tempDir(t, 'ken-national-e2e-')
  const pkiDir = path.join(dir, 'pki')
  await devPki(pkiDir, [FUKUOKA, KITAKYUSHU], { nationalClient: '40', people: [] })
  const national = await nationalPki(path.join(dir, 'national-pki'))
  const p = {
    db: path.join(dir, 'db'),
    sock: path.join(dir, 'run', 'store.sock'),
    outbox: path.join(dir, 'run', 'outbox.sock'),
    key: path.join(dir, 'keys', 'appliance.key'),
    simDb: path.join(dir, 'national-db'),
    status: path.join(dir, 'national-status.json')
  }
  const procs: Proc[] = []
  t.teardown(async () => { for (const proc of procs) await proc.kill() })
  const track = (proc: Proc): Proc => { procs.push(proc); return proc }

  const startStore = async (): Promise<Proc> => track(await spawnReady('server/bin/ken-store.js', ['serve', '--db', p.db, '--socket', p.sock, '--key', p.key, '--outbox', p.outbox], 'store.ready'))
  const simArgs = (port: number): string[] => ['--db', p.simDb, '--cert', national.certFile, '--key', national.keyFile, '--client-ca', path.join(pkiDir, 'ca.crt'), '--crl', path.join(pkiDir, 'crl.pem'), '--port', String(port)]
  let store = await startStore()
  let sim = track(await spawnReady('tests/sim/national/bin.ts', simArgs(0), 'national-sim.ready'))
  const simPort = Number(sim.ready.port)
  const link = await relay(simPort)
  t.teardown(async () => await link.close())
  const startNational = async (): Promise<Proc> => track(await spawnReady('server/bin/ken-national.js', [
    '--outbox', p.outbox, '--prefecture', '40', '--url', `mqtts://localhost:${link.port}`, '--ca', national.caFile,
    '--cert', path.join(pkiDir, 'national', 'ken-national.crt'), '--key', path.join(pkiDir, 'national', 'ken-national.key'),
    '--window', '16', '--status-file', p.status
  ], 'national.start'))
  let ken = await startNational()

  const status = (): Status => {
    try {
      return JSON.parse(readFileSync(p.status, 'utf8')) as Status
    } catch {
      return { confirmed: 0, linkUp: false, outboxConnected: false }
    }
  }
  const until = async (check: () => boolean, what: string, ms = 120_000): Promise<void> => {
    const end = Date.now() + ms
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out: ${what} (status ${JSON.stringify(status())})`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  // The loader: batches of four new residents and one REJECTED second 出生, resent as a CS would
  // until answered (a redelivery after a store kill is answered DUPLICATE with the first position).
  let loading = true
  let maxAccepted = 0
  let answered = 0
  const note = (results: UpdateResult[]): void => {
    for (const r of results) {
      answered++
      if (r.status === ResultStatus.ACCEPTED || (r.status === ResultStatus.DUPLICATE && r.reasonCode === '')) maxAccepted = Math.max(maxAccepted, r.logPosition)
    }
  }
  const loader = (async () => {
    const fk = new Cs(FUKUOKA)
    let n = 0
    let client: AppendClient | undefined
    while (loading) {
      const batch = [0, 1, 2, 3].map(() => item(fk.identity(person(n++))))
      batch.push(item(fk.identity(person(n - 1))))
      for (;;) {
        try {
          client ??= await AppendClient.connect(p.sock)
          note(await client.append(batch))
          break
        } catch {
          await client?.close().catch(() => undefined)
          client = undefined
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await client?.close().catch(() => undefined)
  })()

  const progress = async (what: string): Promise<void> => {
    const before = status().confirmed
    await until(() => status().confirmed > before, `forwarding goes on before ${what}`)
  }
  for (let round = 1; round <= ROUNDS; round++) {
    await progress(`round ${round}: SIGKILL of ken-national`)
    await ken.kill()
    ken = await startNational()
    await progress(`round ${round}: SIGKILL of the store`)
    await store.kill()
    store = await startStore()
    await progress(`round ${round}: SIGKILL of the simulator`)
    await sim.kill()
    sim = track(await spawnReady('tests/sim/national/bin.ts', simArgs(simPort), 'national-sim.ready'))
    await progress(`round ${round}: the link cut`)
    link.cut()
  }
  loading = false
  await loader
  t.ok(answered > 0, `${answered} updates answered`)
  await until(() => status().confirmed === maxAccepted, 'every accepted update confirmed', 180_000)

  await ken.stop()
  await sim.stop()
  await store.stop()
  const log = new LevelStore({ location: p.db, applianceKey: await loadApplianceKey(p.key) })
  await log.open()
  const accepted: number[] = []
  let rejected = 0
  for await (const r of log.entries()) {
    if (r.entry.update?.status === ResultStatus.ACCEPTED) accepted.push(r.position)
    if (r.entry.update?.status === ResultStatus.REJECTED) rejected++
  }
  await log.close()
  const held = new SimStore(p.simDb)
  await held.open()
  const positions = (await held.forwards('40')).map((h) => h.forward.logPosition)
  await held.close()
  t.ok(rejected > 0, `${rejected} REJECTED updates in the log`)
  t.equal(positions.length, accepted.length, `${accepted.length} accepted, ${positions.length} held`)
  t.same(positions, accepted, 'the simulator holds exactly the ACCEPTED positions, in log order, each once')
})
