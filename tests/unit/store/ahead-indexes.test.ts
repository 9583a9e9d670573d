// The indexes made ahead, kept one entry per update (ahead-indexes.ts, issue 18): each is handed out
// only for the values it was made of, an update's entry leaves when its search keys are taken, and a
// later update of the same 住民票コード takes the code over. The tokens here are labels, not HMACs, so
// each answer shows which entry and which index it came from.
import t from 'tap'
import { AheadIndexes } from '../../../server/src/store/ahead-indexes.ts'
import type { AheadTokens } from '../../../server/src/store/index-ahead.ts'
import type { DigestInput } from '../../../proto/src/reconcile-digest.ts'

const label = (text: string): Buffer => Buffer.from(text.padEnd(16, '.'), 'latin1')

function entry (code: string, over: Partial<DigestInput> = {}, previousCode = ''): AheadTokens {
  const input: DigestInput = { juminhyoCode: code, nameKanji: '山田 太郎', nameKana: 'ヤマダ タロウ', birthDate: '1980-01-02', sex: 1, address: '福岡市中央区天神1-1', kojinBango: `K${code}`, changeReason: 1, changeDate: '2026-11-30', ...over }
  return {
    code,
    subject: label(`J${code}`),
    previousCode,
    previousSubject: previousCode === '' ? undefined : label(`J${previousCode}`),
    kojinBango: input.kojinBango,
    kojinToken: input.kojinBango === '' ? undefined : label(`K${code}`),
    names: input,
    searchKeys: [label(`S${code}`), label(`N${code}`)],
    digest: { input, tag: label(`T${code}`) }
  }
}

t.test('an update\'s indexes, each for its own values only', async (t) => {
  const ahead = new AheadIndexes()
  const a = entry('10000000001')
  const b = entry('10000000002', { kojinBango: '' }, '10000000003')
  ahead.learn(a)
  ahead.learn(b)
  t.equal(ahead.size, 3, 'two codes and the code b replaces')
  t.equal(ahead.subject('10000000009'), undefined, 'a code no update named')
  t.equal(ahead.kojin('K10000000001'), undefined, 'a 個人番号 before any subject was found')
  t.same(ahead.subject('10000000001'), a.subject)
  t.same(ahead.kojin('K10000000001'), a.kojinToken, 'the 個人番号 of the update just found')
  t.equal(ahead.kojin('K10000000002'), undefined, 'another 個人番号')
  t.same(ahead.subject('10000000003'), b.previousSubject, 'the code a 住民票コード変更 replaces')
  t.equal(ahead.kojin('K10000000001'), undefined, 'only the last update found is asked')
  t.equal(ahead.kojin(''), undefined, 'no 個人番号, no token')
  t.same(ahead.contentTag(a.digest?.input as DigestInput), a.digest?.tag)
  // Every reconciliation item compared: any one differing and the tag is not this one.
  const base = a.digest?.input as DigestInput
  const changed: Array<Partial<DigestInput>> = [{ juminhyoCode: '10000000002' }, { nameKanji: '山田 次郎' }, { nameKana: 'ヤマダ ジロウ' }, { birthDate: '1980-01-03' }, { sex: 2 }, { address: '福岡市' }, { kojinBango: 'K1' }, { changeReason: 2 }, { changeDate: '2026-12-01' }]
  for (const over of changed) t.equal(ahead.contentTag({ ...base, ...over }), undefined, `differs in ${Object.keys(over)[0] ?? ''}`)
  t.equal(ahead.size, 3, 'nothing taken out by subjects and tags')
})

t.test('search keys: for the update\'s names only, and they take the entry out under every code', async (t) => {
  const ahead = new AheadIndexes()
  const b = entry('10000000002', {}, '10000000003')
  ahead.learn(b)
  const names = { juminhyoCode: '10000000002', nameKana: 'ヤマダ タロウ', nameKanji: '山田 太郎', birthDate: '1980-01-02' }
  t.equal(ahead.searchKeys({ ...names, nameKana: 'ヤマダ ジロウ' }), undefined, 'other names')
  t.equal(ahead.searchKeys({ ...names, birthDate: '1999-01-01' }), undefined, 'another date')
  t.equal(ahead.searchKeys({ ...names, juminhyoCode: '10000000003' }), undefined, 'found by the replaced code: not this record\'s')
  t.equal(ahead.size, 2, 'still held')
  t.equal(ahead.searchKeys(names), b.searchKeys, 'the keys made ahead')
  t.equal(ahead.size, 0, 'taken out under both codes')
  t.equal(ahead.subject('10000000002'), undefined)
  t.equal(ahead.subject('10000000003'), undefined)
  t.equal(ahead.searchKeys(names), undefined, 'once')
})

t.test('a later update of the same code takes it over; its search keys leave the other\'s codes alone', async (t) => {
  const ahead = new AheadIndexes()
  const first = entry('10000000004', {}, '10000000005')
  const later = entry('10000000005', { kojinBango: 'K-later' })
  ahead.learn(first)
  ahead.learn(later)
  t.same(ahead.subject('10000000005'), later.subject, 'the code now names the later update')
  t.same(ahead.kojin('K-later'), later.kojinToken)
  t.equal(ahead.searchKeys({ juminhyoCode: '10000000004', nameKana: 'ヤマダ タロウ', nameKanji: '山田 太郎', birthDate: '1980-01-02' }), first.searchKeys)
  t.same(ahead.subject('10000000005'), later.subject, 'taking the first out left the later one under its code')
  t.equal(ahead.size, 1)
})

t.test('past its limit the set starts over; clear forgets the last update found', async (t) => {
  const ahead = new AheadIndexes(4)
  for (let i = 0; i < 4; i++) ahead.learn(entry(String(20000000000 + i)))
  t.equal(ahead.size, 4)
  ahead.learn(entry('30000000000'))
  t.equal(ahead.size, 1, 'started over')
  t.equal(ahead.subject('20000000000'), undefined)
  t.ok(ahead.subject('30000000000') !== undefined)
  ahead.clear()
  t.equal(ahead.size, 0)
  t.equal(ahead.kojin('K30000000000'), undefined, 'no last update after clear')
})
