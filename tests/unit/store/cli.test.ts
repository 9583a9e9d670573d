// ken-store verify and rebuild as an operator runs them: JSON on stdout, exit codes 0 / 1 / 2.
import t, { type Test } from 'tap'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { positionKey } from '../../../server/src/store/layout.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces, withRaw } from './raw.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = path.join(ROOT, 'server/bin/ken-store.js')

function run (...args: string[]): { status: number | null, json: Record<string, unknown> | undefined, stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  return { status: r.status, json: line.startsWith('{') ? JSON.parse(line) as Record<string, unknown> : undefined, stderr: r.stderr }
}

async function makeDb (t: Test): Promise<string> {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (let i = 0; i < 12; i++) await store.append([item(cs.identity(person(i)))])
  await store.close()
  return location
}

t.test('verify: exit 0 on an intact log, 1 with the first bad position on a damaged one', async (t) => {
  const location = await makeDb(t)
  const ok = run('verify', '--db', location)
  t.equal(ok.status, 0)
  t.equal(ok.json?.ok, true)
  t.equal(ok.json?.entries, 12)
  await withRaw(location, async (raw) => {
    const log = raw.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    const block = Buffer.from(await log.get(positionKey(7)) ?? Buffer.alloc(0))
    block[block.length - 2] = (block[block.length - 2] ?? 0) ^ 0x40
    await log.put(positionKey(7), block)
  }, 'log')
  const bad = run('verify', '--db', location, '--threads', '1')
  t.equal(bad.status, 1)
  t.equal(bad.json?.ok, false)
  t.match(bad.json?.issue, { position: 7, kind: 'changed' })
  t.match(bad.stderr, /"event":"store.verify.broken"/)
})

t.test('rebuild: replays the log and leaves the views as they were', async (t) => {
  const location = await makeDb(t)
  const before = await dumpSpaces(location)
  const r = run('rebuild', '--db', location, '--actor', 'admin01')
  t.equal(r.status, 0)
  t.equal(r.json?.replayed, 12)
  t.match(r.json?.head, { position: 13 })
  t.same(await dumpSpaces(location), before)
  t.equal(run('verify', '--db', location).status, 0)
})

t.test('usage errors and a missing database exit 2', async (t) => {
  t.equal(run('verify').status, 2)
  t.equal(run('frobnicate', '--db', '/tmp').status, 2)
  t.equal(run('rebuild', '--db', path.join(tempDir(t), 'nothing')).status, 2, 'rebuild needs --actor')
  t.equal(run('verify', '--db', path.join(tempDir(t), 'nothing')).status, 2, 'no database is created by verify')
})
