// The index worker's blind indexes made many at a time (blind-index.ts TokenBatch → sha256-batch `tokens`)
// are byte for byte those BlindIndex makes one hash() at a time: 住民票コード and 個人番号 tokens, search keys
// of kana, 漢字 and dates (non-ASCII, supplementary-plane characters, names longer than the per-call scratch
// buffer), content tags; with the addon and with its node:crypto twin; across the batch's buffer growth.
import t from 'tap'
import { BlindIndex, TokenBatch } from '../../../server/src/store/blind-index.ts'
import { recordSearchKeys, recordSearchValues, searchKeysOf, SearchShape, searchTokenCount } from '../../../server/src/store/search-keys.ts'
import { jsSha256Batch, loadSha256Batch, type Sha256Batch } from '../../../server/src/log/merkle/sha256-batch.ts'
import { SHA256_BATCH_FILE } from '../../../server/src/log/merkle/sha256-batch-file.ts'
import { TOKEN_BYTES } from '../../../server/src/store/layout.ts'

const secrets = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 11 + 5) & 0xff))
const index = new BlindIndex(secrets)
const native = loadSha256Batch(SHA256_BATCH_FILE)

const NAMES = [
  { nameKana: 'ヤマダ タロウ', nameKanji: '山田 太郎', birthDate: '1980-01-02' },
  { nameKana: 'がっこう　はなこ', nameKanji: '𠮷野　花子', birthDate: '2001-12-31' },
  { nameKana: '', nameKanji: '', birthDate: '1950-06-15' },
  { nameKana: 'ア'.repeat(700), nameKanji: '髙'.repeat(500), birthDate: '1999-09-09' }
]

for (const [name, hasher] of [['node:crypto', jsSha256Batch], ['the addon', native]] as Array<[string, Sha256Batch | undefined]>) {
  t.test(`${name}: a batch makes what BlindIndex makes one by one`, { skip: hasher === undefined ? 'the addon is not built (bash server/native/sha256-batch/build.sh)' : false }, async (t) => {
    const batch = new TokenBatch()
    for (let round = 0; round < 2; round++) {
      batch.reset()
      const expected: Buffer[] = []
      // Enough items to grow the batch's buffers past their first size (16 KiB of messages, 256 spans).
      for (let i = 0; i < 300; i++) {
        const names = NAMES[i % NAMES.length] as typeof NAMES[number]
        const code = String(10_000_000_000 + i * 7919 + round)
        const kojin = String(200_000_000_000 + i)
        batch.token('J', code)
        expected.push(index.token('J', code))
        batch.token('K', kojin)
        expected.push(index.token('K', kojin))
        const shape = recordSearchValues(names, (domain, value) => { batch.searchToken(domain, value) })
        const tokens: Buffer[] = []
        t.equal(recordSearchValues(names, (domain, value) => { tokens.push(index.searchToken(domain, value)) }), shape)
        t.equal(tokens.length, searchTokenCount(shape))
        let at = 0
        t.same(searchKeysOf(shape, () => tokens[at++] as Buffer), recordSearchKeys((domain, value) => index.searchToken(domain, value), names), 'the keys made of the tokens')
        expected.push(...tokens)
        const digest = { juminhyoCode: code, ...names, sex: 1 + (i % 2), address: `福岡県福岡市中央区天神${i}丁目`, kojinBango: kojin, changeReason: 1, changeDate: '2026-11-30' }
        batch.contentTag(digest)
        expected.push(index.contentTag(digest))
      }
      t.equal(batch.count, expected.length)
      const out = Buffer.alloc(batch.count * TOKEN_BYTES)
      index.tokensInto(batch, hasher as Sha256Batch, out, 0)
      let same = 0
      expected.forEach((token, i) => { if (out.subarray(i * TOKEN_BYTES, (i + 1) * TOKEN_BYTES).equals(token)) same++ })
      t.equal(same, expected.length, `round ${round + 1}: all ${expected.length} tokens equal`)
    }
  })
}

t.test('the search values are the search keys\' values, in their order', async (t) => {
  const seen: string[] = []
  t.equal(recordSearchValues(NAMES[0] as typeof NAMES[number], (domain, value) => { seen.push(`${domain}:${value}`) }), SearchShape.KANA | SearchShape.KANJI)
  t.same(seen.map((s) => s[0]), ['B', 'N', 'K'])
  seen.length = 0
  t.equal(recordSearchValues(NAMES[2] as typeof NAMES[number], (domain, value) => { seen.push(`${domain}:${value}`) }), 0, 'no name: the date alone')
  t.same(seen, ['B:1950-06-15'])
})
