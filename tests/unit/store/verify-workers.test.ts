// verify's workers started before their work is known (verify-workers.ts): told to stop, they close the
// log and end, also when their log could not be opened; given the walk, they verify ranges as workers
// started at the walk do; and verifyDirectory on a log far below the threshold
// (no workers started early) verifies in one thread.
import t from 'tap'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { databasePath, LevelStore } from '../../../server/src/store/level-store.ts'
import { verifyInWorkers } from '../../../server/src/store/verify-parallel.ts'
import { VerifyWorkers } from '../../../server/src/store/verify-workers.ts'
import { verifyDirectory } from '../../../server/src/store/verify-directory.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

const ENTRIES = 30

async function makeStore (location: string): Promise<void> {
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (let i = 0; i < ENTRIES; i += 3) await store.append(Array.from({ length: 3 }, (_, j) => item(cs.identity(person(i + j)))))
  await store.close()
}

t.test('stopped before any walk, the workers end; a log they could not open does not fail the stop', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await makeStore(location)
  const workers = new VerifyWorkers(databasePath(location, 'log'), 2)
  t.equal(workers.count, 2)
  await workers.stop()
  // Closed by the workers: a handle without multithreading is refused while another in the process is open.
  const alone = new ClassicLevel(databasePath(location, 'log'), { createIfMissing: false })
  await t.resolves(alone.open(), 'the workers closed log/: it opens alone')
  await alone.close()
  const missing = new VerifyWorkers(path.join(tempDir(t), 'nothing', 'log'), 1)
  await t.resolves(missing.stop(), 'stop resolves for workers whose log is missing')
})

t.test('a worker whose log is missing fails the walk it is given', async (t) => {
  const missing = new VerifyWorkers(path.join(tempDir(t), 'nothing', 'log'), 1)
  await t.rejects(missing.walk({ ranges: [], counter: new Int32Array(new SharedArrayBuffer(4)) }, []))
})

t.test('workers started early walk the log to the same verdict as workers started at the walk', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await makeStore(location)
  const log = databasePath(location, 'log')
  const inProcess = async (): Promise<never> => { throw new Error('not in process') }
  const late = await verifyInWorkers(log, 3, undefined, inProcess, 0, [], 4)
  const early = await verifyInWorkers(log, 3, undefined, inProcess, 0, [], 4, new VerifyWorkers(log, 2))
  t.equal(early.entries, ENTRIES)
  t.equal(early.issue, undefined)
  t.same(early.lastHash, late.lastHash)
  t.same(early.roots?.get(ENTRIES), late.roots?.get(ENTRIES))
})

t.test('verifyDirectory with threads on a small log verifies in one thread', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await makeStore(location)
  const result = await verifyDirectory(location, { threads: 3 })
  t.equal(result.ok, true)
  t.equal(result.entries, ENTRIES)
})
