// A planning step taken back (planner.ts planStep/takeBack, issue 18's synchronous planning): what it
// did outside the overlay goes back with its writes. The hazard this guards: a step that made the
// month's period key, then missed a read, would run again with the key still in the keyring's memory
// but its wrapped form rolled back — the act sealed with a key never written, unreadable after a
// restart (SPEC §2.5, §6).
import t from 'tap'
import { Keyring, periodKeyId } from '../../../server/src/store/keyring.ts'
import { planAct, planStep, stepMark, takeBack, type GroupState } from '../../../server/src/store/planner.ts'
import { ViewTx, type BaseReader } from '../../../server/src/store/view-tx.ts'
import type { Space } from '../../../server/src/store/layout.ts'

/** An empty committed state that records which values were fetched. */
function emptyStore (): { read: BaseReader, asked: Space[] } {
  const asked: Space[] = []
  const read: BaseReader = async (space, keys) => {
    asked.push(space)
    return keys.map(() => undefined)
  }
  return { read, asked }
}

function group (read: BaseReader, keyring: Keyring): GroupState {
  return { tx: new ViewTx(read), keyring, head: { position: 0, hash: Buffer.alloc(32) }, frames: [], made: [], recordedAt: '2026-11-30T01:00:00.000Z', today: '2026-11-30' }
}

t.test('a step that made the period key and then missed a read writes the key when it runs again', async (t) => {
  const { read, asked } = emptyStore()
  const keyring = new Keyring(Buffer.alloc(32, 7))
  const g = group(read, keyring)
  // A national.forward act reads the outbox's confirmed position after its detail is sealed
  // (apply-entry.ts): a read this group has not fetched, met after the key was made.
  const done = await planStep(g, () => planAct(g, { kind: 'national.forward', actor: 'national', fromPosition: 1, toPosition: 1, count: 1, detail: Buffer.from('detail') }))
  t.same(asked, ['keys', 'outbox'], 'the step ran three times: the period key fetched, then the outbox')
  const keyId = periodKeyId('2026-11')
  t.ok(g.tx.read('keys', keyId) !== undefined, 'the period key is among the group writes')
  t.same(g.made.map((k) => k.toString('hex')), [keyId.toString('hex')], 'made once, in the run that stood')
  t.equal(done.position, 1, 'one entry')
  t.equal(g.frames.length, 1, 'one frame')
})

t.test('takeBack undoes the head, the frames and the keys made since the mark', async (t) => {
  const keyring = new Keyring(Buffer.alloc(32, 7))
  const g = group(emptyStore().read, keyring)
  const mark = stepMark(g)
  const made = keyring.createDataKey()
  g.made.push(made.keyId)
  g.frames.push(Buffer.from('frame'))
  g.head = { position: 1, hash: Buffer.alloc(32, 1) }
  t.ok(keyring.has(made.keyId))
  takeBack(g, mark)
  t.equal(keyring.has(made.keyId), false, 'the key is out of memory')
  t.equal(g.made.length, 0)
  t.equal(g.frames.length, 0)
  t.equal(g.head.position, 0)
  // Not an erasure: the same id can be unwrapped again (a period key is made under a fixed id).
  t.same(keyring.dataKey(made.keyId, made.wrapped).length, 32, 'the id is not refused')
})
