// The rdigest view follows the file (SPEC §4 views, §5.3): a resident's change moves its tag, a
// removal (死亡) takes it out of the municipality, a 住民票コード変更 moves it to the new code; a CS
// whose snapshot follows the same updates matches, and the view is rebuilt byte for byte.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { encode } from '../../../../proto/src/codec.ts'
import { contentDigest, itemDigests, type DigestInput } from '../../../../proto/src/reconcile-digest.ts'
import { ChangeReason, DifferenceKind, ResultStatus, Stream, type IdentityUpdate, type ReconcileResult } from '../../../../proto/src/types.ts'
import { MemoryStore } from '../../../../server/src/store/memory-store.ts'
import { Reconciler } from '../../../../server/src/store/reconcile/reconciler.ts'
import { memoryWorkDb } from '../../../../server/src/store/reconcile/work-db.ts'
import { loadMunicipalities, FUKUOKA_MUNICIPALITIES_FILE } from '../../../../firmware-config/src/index.ts'
import { generatePopulation } from '../../../sim/generator/index.ts'
import { envelope, identityOf } from '../../../sim/generator/bodies.ts'
import { loadMunicipality } from '../../../sim/cs-sim/load-store.ts'

const FUKUOKA = '401307'
const population = generatePopulation({ seed: 18, municipalities: loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA), count: 50 })

t.test('moves, removals and code changes keep the view in step with the file', async (t) => {
  const store = new MemoryStore({ applianceKey: randomBytes(32) })
  await store.open()
  await loadMunicipality(store, population, FUKUOKA)
  const block = population.block(FUKUOKA)
  const ids: IdentityUpdate[] = []
  for (let i = block.start; i < block.end; i++) { const r = population.at(i); ids.push(identityOf(r, r.registeredBy, r.registeredOn)) }
  let sequence = block.end - block.start
  const send = async (identity: IdentityUpdate): Promise<void> => {
    const update = envelope(FUKUOKA, Stream.NORMAL, ++sequence, '2024-04-02T09:00:00+09:00', 1, { identity })
    const [r] = await store.append([{ municipalityCode: FUKUOKA, update, rejection: null, payloadSha256: createHash('sha256').update(encode('Update', update)).digest() }])
    t.equal(r?.status, ResultStatus.ACCEPTED, `${identity.changeReason} accepted (${r?.reasonCode ?? ''})`)
  }
  const [moved, died, renumbered] = ids
  if (moved === undefined || died === undefined || renumbered === undefined) throw new Error('fixture')
  const movedNow: IdentityUpdate = { ...moved, changeReason: ChangeReason.TENKYO, changeDate: '2024-04-02', address: moved.address + '２番' }
  await send(movedNow)
  await send({ ...died, changeReason: ChangeReason.SHIBOU, changeDate: '2024-04-02' })
  const newCode = '00000000019'
  const renumberedNow: IdentityUpdate = { ...renumbered, juminhyoCode: newCode, previousJuminhyoCode: renumbered.juminhyoCode, changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2024-04-02' }
  await send(renumberedNow)

  const reconciler = new Reconciler(store, memoryWorkDb())
  const run = async (session: string, records: DigestInput[]): Promise<ReconcileResult> => {
    return await reconciler.chunk(FUKUOKA, encode('ReconcileChunk', { municipalityCode: FUKUOKA, sessionId: session, chunkIndex: 0, chunkCount: 1, snapshotDate: '2024-04-02', records: records.map((r) => ({ juminhyoCode: r.juminhyoCode, contentDigest: contentDigest(r), itemDigests: itemDigests(r) })) }), 'line', 'cs')
  }
  // The CS as it was before those updates: the three residents differ, as the file moved on.
  const before = await run('before', ids)
  t.same(before.differences.map((d) => [d.juminhyoCode, d.kind, d.fields]).sort(), [
    [moved.juminhyoCode, DifferenceKind.DIFFERS, ['address', 'change_reason', 'change_date']],
    [died.juminhyoCode, DifferenceKind.MISSING_HERE, []],
    [renumbered.juminhyoCode, DifferenceKind.MISSING_HERE, []],
    [newCode, DifferenceKind.MISSING_AT_CS, []]
  ].sort())
  // The CS as it is after them: all match.
  const after = await run('after', [movedNow, ...ids.slice(3), renumberedNow])
  t.same(after.differences, [])
  t.equal(after.summary?.matching, ids.length - 1)
  t.equal(after.summary?.recordsHere, ids.length - 1, 'the deceased is not a current resident')

  const views = async (): Promise<string[]> => { const out: string[] = []; for await (const [k, v] of store.scanView('rdigest')) out.push(`${k.toString('hex')}=${v.toString('hex')}`); return out }
  const made = await views()
  await store.rebuild({ actor: 'admin', approver: '' })
  t.same(await views(), made, 'rebuilt byte for byte')
  await store.close()
})
