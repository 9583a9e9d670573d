// Blind indexes made ahead in a worker thread (index-ahead.ts, SPEC §8): what the worker makes is byte
// for byte what the store's thread makes (blind-index.ts), the keyring hands them out in its place,
// and a store that makes them ahead writes the same views and answers as one that does not.
import t from 'tap'
import { createHash, createHmac } from 'node:crypto'
import { ChangeReason, ResultStatus, type AppendItem } from '../../../proto/src/types.ts'
import { IndexAhead, type AheadTokens } from '../../../server/src/store/index-ahead.ts'
import { BlindIndex, TokenBatch } from '../../../server/src/store/blind-index.ts'
import { sha256Batch } from '../../../server/src/log/merkle/sha256-batch-file.ts'
import { Keyring } from '../../../server/src/store/keyring.ts'
import { contentDigest } from '../../../proto/src/reconcile-digest.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, fuhyo, item, juminhyoCode, person, preRejected, tempDir, TEST_APPLIANCE_KEY } from './helpers.ts'

async function until (fn: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !fn(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

function sampleItems (): AppendItem[] {
  const cs = new Cs(FUKUOKA)
  return [
    item(cs.identity(person(1))),
    item(cs.identity(person(2, { changeReason: ChangeReason.JUMINHYO_CODE_HENKO, previousJuminhyoCode: juminhyoCode(3) }))),
    item(cs.identity(person(4, { kojinBango: '', nameKana: '', nameKanji: '' }))),
    preRejected(FUKUOKA, 'KEN_ERR_GW_DECODE'),
    item(cs.fuhyo(fuhyo(5, FUKUOKA)))
  ]
}

t.test('the worker makes exactly the indexes the store thread makes', async (t) => {
  const secrets = Buffer.alloc(64)
  for (let i = 0; i < 64; i++) secrets[i] = i * 7
  const inline = new BlindIndex(secrets)
  const got: AheadTokens[] = []
  const ahead = new IndexAhead(secrets, (tokens) => { got.push(tokens) })
  t.teardown(async () => await ahead.close())
  ahead.start()
  ahead.request(sampleItems())
  await until(() => got.length === 4)
  t.equal(got.length, 4, 'one answer per update; the gateway refusal has none')
  for (const a of got) {
    t.same(a.subject, inline.token('J', a.code), `subject of ${a.code.length} digits`)
    if (a.previousCode !== '') t.same(a.previousSubject, inline.token('J', a.previousCode))
    else t.equal(a.previousSubject, undefined)
    if (a.kojinBango !== '') t.same(a.kojinToken, inline.token('K', a.kojinBango))
    else t.equal(a.kojinToken, undefined)
    if (a.names !== undefined) t.same(a.searchKeys, inline.searchKeys(a.names))
    if (a.digest !== undefined) t.same(a.digest.tag, inline.contentTag(a.digest.input))
  }
  t.equal(got[1]?.previousCode, juminhyoCode(3), 'a 住民票コード変更 names the code it replaces')
  t.equal(got[2]?.searchKeys?.length, 1, 'no name: the date key only')
  t.equal(got[3]?.names, undefined, 'a 附票 update has no search keys')
  t.equal(got[3]?.digest, undefined, 'nor a content tag')
  t.same(got[0]?.digest?.input, (({ juminhyoCode, nameKanji, nameKana, birthDate, sex, address, kojinBango, changeReason, changeDate }) => ({ juminhyoCode, nameKanji, nameKana, birthDate, sex, address, kojinBango, changeReason, changeDate }))(person(1)), 'the reconciliation items of the update')
})

t.test('the keyring hands out the indexes made ahead, equal to those made inline', async (t) => {
  const withWorker = new Keyring(TEST_APPLIANCE_KEY)
  const without = new Keyring(TEST_APPLIANCE_KEY)
  t.teardown(async () => { await withWorker.close(); await without.close() })
  withWorker.prepareKeys()
  const items = sampleItems()
  // The worker starts (loads its modules) in the background: ask until an answer has come back.
  const p = person(1)
  const names = { juminhyoCode: p.juminhyoCode, nameKana: p.nameKana, nameKanji: p.nameKanji, birthDate: p.birthDate }
  let first: Buffer[] | undefined
  await until(() => {
    withWorker.indexAhead(items)
    const keys = withWorker.recordSearchKeys(names)
    if (first === undefined) first = keys
    return keys !== first
  })
  t.same(withWorker.recordSearchKeys(names), without.recordSearchKeys(names))
  // The content tag made ahead is the keyring's own (its scratch-buffer HMAC, keyring.ts contentTag)…
  t.same(withWorker.recordContentTag(p), without.contentTag(contentDigest(p)), 'content tag of the record as the update had it')
  // … and a record whose items differ from the update's is tagged as it is, not as the update was.
  const changed = { ...person(4, { kojinBango: '', nameKana: '', nameKanji: '' }), address: '福岡市中央区天神一丁目1番1号' }
  t.same(withWorker.recordContentTag(changed), without.contentTag(contentDigest(changed)), 'content tag of a record that differs from the update')
  t.notSame(withWorker.recordContentTag(changed), without.contentTag(contentDigest(person(4, { kojinBango: '', nameKana: '', nameKanji: '' }))))
  for (const i of [1, 2, 3, 4, 5]) t.same(withWorker.subjectToken(juminhyoCode(i)), without.subjectToken(juminhyoCode(i)), `subject ${i}`)
  t.same(withWorker.kojinToken(p.kojinBango), without.kojinToken(p.kojinBango))
})

t.test('a store that makes indexes ahead answers and indexes as one that does not', async (t) => {
  const results: unknown[] = []
  const lookups: unknown[] = []
  for (const prepareKeys of [false, true]) {
    const store = new LevelStore({ location: tempDir(t), applianceKey: TEST_APPLIANCE_KEY, prepareKeys })
    await store.open()
    const cs = new Cs(FUKUOKA)
    const batches: AppendItem[][] = []
    for (let b = 0; b < 8; b++) batches.push(Array.from({ length: 16 }, (_, i) => item(cs.identity(person(b * 16 + i + 1)))))
    batches.push([item(cs.identity(person(1, { changeReason: ChangeReason.JUMINHYO_CODE_HENKO, previousJuminhyoCode: juminhyoCode(1), juminhyoCode: juminhyoCode(9001) })))])
    const answers = await Promise.all(batches.map(async (b) => await store.append(b)))
    const flat = answers.flat()
    t.ok(flat.every((r) => r.status === ResultStatus.ACCEPTED), `prepareKeys ${String(prepareKeys)}: all accepted`)
    results.push(flat.map((r) => [r.status, r.logPosition, r.reasonCode]))
    const p = person(77)
    lookups.push([
      (await store.getCurrent(juminhyoCode(77)))?.nameKana,
      (await store.getCurrent(juminhyoCode(9001)))?.juminhyoCode,
      await store.getCurrent(juminhyoCode(1)),
      (await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 10)).map((s) => s.toString('hex'))
    ])
    await store.close()
  }
  t.same(results[1], results[0], 'the same results at the same positions')
  t.same(lookups[1], lookups[0], 'the same lookups and search hits')
})

// The indexes are HMAC-SHA-256 and SHA-256 as written in blind-index.ts, computed here with node's
// own HMAC and hash objects: the scratch-buffer paths (short, multi-byte, longer than the scratch) and
// the batch the worker uses (TokenBatch, on the addon where it is built) all give those bytes.
t.test('blind indexes are HMAC-SHA-256 / SHA-256 of the value, truncated, on every path', async (t) => {
  const secrets = Buffer.alloc(64)
  for (let i = 0; i < 64; i++) secrets[i] = 255 - i * 3
  const index = new BlindIndex(secrets)
  const hmac = (message: Buffer | string): Buffer => createHmac('sha256', secrets.subarray(0, 32)).update(message).digest().subarray(0, 16)
  const sha = (message: string): Buffer => createHash('sha256').update(secrets.subarray(32)).update(message, 'utf8').digest().subarray(0, 16)
  const out = Buffer.alloc(48, 0xee)
  const batch = new TokenBatch()
  // One item of `batch` made into out[at, +16).
  const made = (at: number): void => { index.tokensInto(batch, sha256Batch(), out, at); batch.reset() }
  for (const value of ['', '12345678901', 'ヤマダ\u0000タロウ', '山田太郎'.repeat(100), 'x'.repeat(1023), 'x'.repeat(1024)]) {
    t.same(index.token('J', value), hmac(`J${value}`), `token of ${value.length} characters`)
    batch.token('K', value)
    made(16)
    t.same(out.subarray(16, 32), hmac(`K${value}`), 'written into a buffer')
    t.same(index.searchToken('B', value), sha(`B${value}`), `search token of ${value.length} characters`)
    batch.searchToken('N', value)
    made(0)
    t.same(out.subarray(0, 16), sha(`N${value}`), 'written into a buffer')
    t.equal(out[47], 0xee, 'nothing written past the token')
  }
  const p = person(9)
  const tag = hmac(Buffer.concat([Buffer.from('D'), contentDigest(p)]))
  t.same(index.contentTag(p), tag, 'content tag')
  batch.contentTag(p)
  made(32)
  t.same(out.subarray(32, 48), tag, 'content tag written into a buffer')
  t.same(index.token('J', '12345678901'), hmac('J12345678901'), 'a token after a content tag')
})
