// The views' current records are keyed by a number that only grows (views v4, layout.ts CURRENT_SPACE),
// so that LevelDB moves their tables down without rewriting them (version_set.cc IsTrivialMove). That
// holds only while no other key of the views database sorts after them: a table holding another
// space's last keys and the first records would overlap every new table. A new space whose name sorts
// after `~current` would silently bring the rewrites back; these tests fail instead.
import t from 'tap'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { CURRENT_SPACE, databaseOf, SPACES } from '../../../server/src/store/layout.ts'
import { databasePath } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, fuhyo, item, person, tempDir, TEST_APPLIANCE_KEY } from './helpers.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'

const prefix = (space: string): Buffer => Buffer.from(`!${space}!`, 'latin1')

t.test('every key of every other space of the views database sorts before the first current record', async (t) => {
  const others = SPACES.filter((space) => databaseOf(space) === 'views' && space !== CURRENT_SPACE)
  t.ok(others.length > 10, 'control: the views database holds many spaces')
  t.equal(databaseOf(CURRENT_SPACE), 'views')
  const first = Buffer.concat([prefix(CURRENT_SPACE), Buffer.alloc(8, 0)])
  for (const space of others) {
    // The greatest key a space can hold: its prefix, then bytes 0xff.
    const last = Buffer.concat([prefix(space), Buffer.alloc(64, 0xff)])
    t.equal(Buffer.compare(last, first), -1, `${space} sorts before ${CURRENT_SPACE}`)
  }
})

t.test('in a store, the views database ends with the current records, in the order they were first written', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (let i = 1; i <= 20; i++) await store.append([item(cs.identity(person(i))), item(cs.fuhyo(fuhyo(i, FUKUOKA)))])
  await store.recordAct({ kind: 'store.act-test', actor: 'op-0001', juminhyoCodes: [person(1).juminhyoCode] })
  await store.close()
  const raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'views'), { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false })
  await raw.open()
  const keys: Buffer[] = []
  for await (const key of raw.keys()) keys.push(key)
  await raw.close()
  const p = prefix(CURRENT_SPACE)
  const firstRecord = keys.findIndex((k) => k.subarray(0, p.length).equals(p))
  t.ok(firstRecord > 0, 'control: other spaces hold keys')
  const tail = keys.slice(firstRecord)
  t.equal(tail.length, 20, 'every key after the first record is a record')
  t.ok(tail.every((k) => k.subarray(0, p.length).equals(p)))
  const numbers = tail.map((k) => Number(k.readBigUInt64BE(p.length)))
  t.same(numbers, [...numbers].sort((a, b) => a - b), 'records in the order of their numbers')
  t.ok(numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0)))
})
