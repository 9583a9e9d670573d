// Checkpoints survive SIGKILL (docs/transparency-log.md "When a checkpoint is issued"): two CS send
// their initial loads while the store daemon — issuing a checkpoint every 25 ms — is SIGKILLed at
// random moments and started again, repeatedly. An outside auditor asks the running daemon for its
// newest checkpoint and a consistency proof from the last one it kept, through the read-only
// transparency socket, the whole time. No checkpoint ever names a size beyond the durable log: each
// one the auditor saw before a kill is still kept after it, with the same root over the log as it is
// after restart; each new one is consistent with every earlier one; and at the end `ken-store verify`
// holds every kept checkpoint to the recomputed tree.
import t from 'tap'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../firmware-config/src/index.ts'
import { generatePopulation, initialLoadEvents } from '../sim/generator/index.ts'
import { FUKUOKA, KITAKYUSHU, kenStoreVerify, startAppliance, type Credential } from './helpers/appliance.ts'
import { LoadCs } from './helpers/load-cs.ts'
import { TransparencyClient, defaultTransparencySocket } from '../../server/src/store/transparency-client.ts'
import { auditCheckpoint, auditConsistency } from '../../server/src/log/audit.ts'
import { parseVerifierKey } from '../../server/src/log/checkpoint/index.ts'
import { defaultLogKeyFile, loadLogSigningKey } from '../../server/src/store/log-signing-key.ts'
import { verifyLogAgainstCheckpoint } from '../../server/src/store/verify-checkpoint.ts'

const KILLS = 6
const CODES = [FUKUOKA, KITAKYUSHU]
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('SIGKILL under load: every checkpoint stays within the durable log and consistent with all before it', async (t) => {
  const app = await startAppliance(t, CODES, {}, { checkpointIntervalMs: 25 })
  const verifierKey = (await loadLogSigningKey(defaultLogKeyFile(app.paths.applianceKeyFile))).verifier.line
  const verifier = parseVerifierKey(verifierKey)
  const socket = defaultTransparencySocket(app.paths.storeSocket)
  const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => CODES.includes(m.code))
  const population = generatePopulation({ seed: 'e2e-transparency-crash', municipalities, count: 100_000, juminhyoCheckDigit: false })
  const credential = (code: string): Credential => app.cs.get(code) as Credential
  const clients = CODES.map((code) => new LoadCs(code, { url: app.url, ca: app.ca, cred: credential(code), updates: initialLoadEvents(population, { municipalityCode: code }), window: 16 }))
  t.teardown(async () => { await Promise.all(clients.map(async (c) => { await c.end() })) })
  const ackedNow = (): number => clients.reduce((n, c) => n + c.acked.size, 0)

  /** Every checkpoint the auditor saw, oldest first, and what went wrong. */
  const seen: Array<{ size: number, note: string }> = []
  const problems: string[] = []
  const observe = async (): Promise<void> => {
    let client: TransparencyClient
    try {
      client = await TransparencyClient.connect(socket)
    } catch {
      return // the daemon is down right now
    }
    try {
      const kept = seen.at(-1)
      const latest = await client.ask({ checkpoint: { size: 0 } })
      if (latest.errorCode !== '') return
      const cp = auditCheckpoint(latest.checkpoint, verifier)
      if (!cp.ok) return void problems.push(`checkpoint ${latest.treeSize}: ${cp.reason}`)
      if (kept !== undefined) {
        if (cp.value.size < kept.size) return void problems.push(`checkpoint ${cp.value.size} after ${kept.size}: the log went back`)
        const proof = await client.ask({ consistency: { fromSize: kept.size, toSize: cp.value.size } })
        if (proof.errorCode !== '') return void problems.push(`consistency ${kept.size}→${cp.value.size}: ${proof.errorCode} (was ${kept.size} lost?)`)
        // The older checkpoint is the auditor's own copy, never the one in the answer.
        const verdict = auditConsistency(kept.note, proof.checkpoint, proof.proof, verifier)
        if (!verdict.ok) return void problems.push(`consistency ${kept.size}→${cp.value.size}: ${verdict.reason}`)
      }
      if (kept === undefined || cp.value.size > kept.size) seen.push({ size: cp.value.size, note: latest.checkpoint })
    } catch {
      // Killed mid-question: ask again next round.
    } finally {
      client.close()
    }
  }
  const progressed = async (from: number, ms: number): Promise<void> => {
    const deadline = Date.now() + ms
    while (ackedNow() <= from) {
      if (Date.now() > deadline) throw new Error(`no PUBACK within ${ms} ms`)
      await sleep(20)
    }
  }

  await progressed(0, 60_000)
  let kills = 0
  let seenBeforeKills = 0
  while (kills < KILLS) {
    for (let i = 0, end = 3 + Math.floor(Math.random() * 8); i < end; i++) {
      await observe()
      await sleep(50 + Math.random() * 100)
    }
    seenBeforeKills = seen.length
    await app.kill('store')
    await sleep(Math.random() * 200)
    await app.start('store')
    kills++
    await progressed(ackedNow(), 30_000)
  }
  for (let i = 0; i < 5; i++) {
    await observe()
    await sleep(100)
  }
  for (const c of clients) c.stopSending()
  const drainDeadline = Date.now() + 30_000
  while (clients.some((c) => c.inflight > 0) && Date.now() < drainDeadline) await sleep(50)
  await Promise.all(clients.map(async (c) => { await c.end() }))
  t.same(await app.stop(), { gateway: 0, store: 0 }, 'both daemons stop cleanly')

  t.same(problems, [], 'every checkpoint seen verified and extended the one before it')
  t.ok(seen.length > kills && seenBeforeKills > 1, `${seen.length} checkpoints seen across ${kills} SIGKILLs`)
  // After all the kills, every checkpoint the auditor saw still holds over the log as it is.
  for (const kept of seen) {
    const report = await verifyLogAgainstCheckpoint(app.paths.dbDir, kept.note, verifierKey)
    if (!report.ok) t.fail(`checkpoint ${kept.size}: ${report.issue?.kind ?? ''} ${report.issue?.detail ?? ''}`)
  }
  const verify = await kenStoreVerify(app.paths.dbDir) as { code: number | null, report: { ok?: boolean, tree?: { ok: boolean, checkpoints: number, size: number } } }
  t.equal(verify.code, 0, 'ken-store verify exits 0')
  t.ok(verify.report.tree?.ok === true && (verify.report.tree?.checkpoints ?? 0) >= seen.length, `verify held ${verify.report.tree?.checkpoints ?? 0} kept checkpoints to the tree of ${verify.report.tree?.size ?? 0} entries`)
})
