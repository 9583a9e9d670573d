// ken-store's reconciliation commands against a running store daemon (SPEC §5.3; requirements C4–C6,
// H16, H17): a run from a file on media with a result file listing every mismatch by 住民票コード and
// item, the mismatch list, a resolution, the monthly 統計情報不一致リスト — over the admin socket,
// which the gateway's reconcile socket is not.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { loadMunicipalities, FUKUOKA_MUNICIPALITIES_FILE } from '../../../firmware-config/src/index.ts'
import { decode, encode } from '../../../proto/src/codec.ts'
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { FramedClient } from '../../../server/src/store/reconcile/reconcile-client.ts'
import { generatePopulation } from '../../sim/generator/index.ts'
import { buildSnapshot, chunksOf } from '../../sim/cs-sim/reconcile-run.ts'
import { loadMunicipality } from '../../sim/cs-sim/load-store.ts'
import { mediaFile } from '../../sim/cs-sim/media-file.ts'
import { spawnDaemon } from './daemon-process.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const FUKUOKA = '401307'
const run = promisify(execFile)

async function kenStore (...args: string[]): Promise<{ code: number, out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/cli/ken-store.ts', ...args], { cwd: ROOT })
    return { code: 0, out: stdout }
  } catch (err) {
    const e = err as { code?: number, stdout?: string }
    return { code: e.code ?? -1, out: e.stdout ?? '' }
  }
}

t.test('a run from media, its result file, the list, a resolution and the monthly list', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ken-reconcile-cli-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const paths = { dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'appliance.key') }
  const population = generatePopulation({ seed: 17, municipalities: loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA), count: 1000 })
  const store = new LevelStore({ location: paths.dbPath, applianceKey: await loadApplianceKey(paths.keyFile) })
  await store.open()
  await loadMunicipality(store, population, FUKUOKA)
  await store.close()

  const daemon = await spawnDaemon(paths)
  t.teardown(() => { daemon.child.kill('SIGKILL') })
  const admin = path.join(dir, 'run', 'reconcile-admin.sock')
  t.equal(statSync(admin).mode & 0o777, 0o600, 'the admin socket is the owner\'s only')

  const snap = buildSnapshot(population, FUKUOKA, { missing: 0.01, extra: 0.01, differing: 0.02, seed: 9 })
  const media = path.join(dir, 'media.bin')
  writeFileSync(media, mediaFile(chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'media-1', snapshotDate: population.asOf, perChunk: 300 })))
  const resultFile = path.join(dir, 'result.csv')
  const ran = await kenStore('reconcile', '--socket', admin, '--actor', 'op-0001', '--municipality', FUKUOKA, '--file', media, '--out', resultFile)
  t.equal(ran.code, 0)
  const summary = JSON.parse(ran.out) as { complete: boolean, summary: { recordsAtCs: number } }
  t.equal(summary.complete, true)
  t.equal(summary.summary.recordsAtCs, snap.records.length)
  t.notMatch(ran.out, /[0-9]{11}/, 'stdout carries counts, no 住民票コード')
  const rows = readFileSync(resultFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  t.equal(rows.length, snap.expected.size, 'one row per mismatch')
  const kinds = { 1: 'missing_here', 2: 'missing_at_cs', 3: 'differs' } as Record<number, string>
  t.same(new Map(rows.map(([code, kind, items]) => [code, `${kind} ${items}`])), new Map([...snap.expected].map(([code, d]) => [code, `${kinds[d.kind]} ${d.fields.join(' ')}`])), 'the result file lists every mismatch by 住民票コード and item')
  t.equal(statSync(resultFile).mode & 0o777, 0o600)

  const listed = await kenStore('mismatches', '--socket', admin, '--actor', 'op-0001', '--open')
  const items = JSON.parse(listed.out) as Array<{ runPosition: number, index: number }>
  t.equal(items.length, snap.expected.size)
  const first = items[0]
  if (first === undefined) throw new Error('no items')
  const resolved = await kenStore('resolve', '--socket', admin, '--actor', 'op-0001', '--run', String(first.runPosition), '--index', String(first.index), '--status', 'explained', '--approver', 'sec-01', '--note', 'REQ-7')
  t.equal(resolved.code, 0)
  t.equal((JSON.parse(resolved.out) as { status: number }).status, 2)
  const again = await kenStore('resolve', '--socket', admin, '--actor', 'op-0001', '--run', String(first.runPosition), '--index', String(first.index), '--status', 'explained', '--approver', 'sec-01', '--note', 'REQ-7')
  t.same({ code: again.code, out: JSON.parse(again.out) as unknown }, { code: 1, out: { error: 'KEN_ERR_STORE_RECONCILE_RESOLVED' } })
  const month = new Date().toISOString().slice(0, 7)
  const monthly = JSON.parse((await kenStore('monthly', '--socket', admin, '--actor', 'op-0001', '--month', month)).out) as { rows: Array<{ municipalityCode: string, openMismatches: number }> }
  t.same(monthly.rows.map((r) => [r.municipalityCode, r.openMismatches]), [[FUKUOKA, snap.expected.size - 1]])

  // The gateway's socket offers chunks only: an admin request there is not understood.
  const line = await FramedClient.connect(path.join(dir, 'run', 'reconcile.sock'))
  const answer = await line.request(encode('ReconcileAdminRequest', { requestId: 1, actor: 'x', monthly: month })).catch(() => undefined)
  t.ok(answer === undefined || decode('ReconcileResponse', answer).result.length === 0, 'no mismatch list through the gateway\'s socket')
  await line.close()
})
