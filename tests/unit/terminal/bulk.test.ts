// Bulk provision files (一括提供, SPEC §6): the conditions CSV is read and checked row by row, and the
// result file is age-encrypted for the recipient — opened here by the `age` command (Debian `age`),
// an implementation not ours, with the recipient's identity alone.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { writeFileSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { readCsv, writeCsv } from '../../../server/src/terminal/bulk/csv.ts'
import { readBulkConditions } from '../../../server/src/terminal/bulk/conditions.ts'
import { isAgeRecipient, sealResultFile } from '../../../server/src/terminal/bulk/result-file.ts'
import { kojinBango, tempDir } from '../store/helpers.ts'

t.test('CSV round trip: quotes, commas, line breaks, BOM, CRLF', async (t) => {
  const rows = [['氏名', '住所'], ['山田 "タロウ"', '福岡県福岡市,中央区\r\n天神']]
  const text = writeCsv(rows)
  t.ok(text.startsWith('\uFEFF'))
  t.ok(text.endsWith('\r\n'))
  t.same(readCsv(text, 10), rows)
  t.same(readCsv('a,b\nc,d\n', 10), [['a', 'b'], ['c', 'd']], 'LF files too')
  t.throws(() => readCsv('a,"b\n', 10), { code: 'KEN_ERR_FORM_INPUT' })
  t.throws(() => readCsv('a,b"c\n', 10), { code: 'KEN_ERR_FORM_INPUT' })
  t.throws(() => readCsv('a\nb\nc\n', 2), { code: 'KEN_ERR_FORM_INPUT' })
})

t.test('conditions: each row stands on its own under the 2-of-3 rule', async (t) => {
  const ok = readBulkConditions(writeCsv([
    ['住民票コード', '個人番号', '氏名', '住所', '生年月日', '性別'],
    ['70000000033', '', '', '', '', ''],
    ['', kojinBango(5), '', '', '', ''],
    ['', '', '山田太郎', '', '1990-04-01', '男'],
    ['', '', '', '福岡県福岡市', '1990-04-01', '']
  ]), 100)
  t.equal(ok.length, 4)
  t.same(ok[2], { row: 3, juminhyoCode: '', kojinBango: '', name: '山田太郎', address: '', birthDate: '1990-04-01', sex: 'male' })
  const refused = (rows: string[][]): void => { t.throws(() => readBulkConditions(writeCsv(rows), 100), { code: 'KEN_ERR_FORM_INPUT' }) }
  refused([['氏名', '性別'], ['山田太郎', '男']]) // one item and 性別: never enough
  refused([['性別'], ['女']])
  refused([['生年月日', '氏名'], ['1990-02-30', '山田']])
  refused([['個人番号'], ['123456789012']])
  refused([['電話番号'], ['092']])
  refused([['氏名', '氏名'], ['a', 'b']])
  refused([['氏名', '住所']])
  t.throws(() => readBulkConditions(writeCsv([['氏名', '住所'], ['山田', '福岡']]), 0), { code: 'KEN_ERR_FORM_INPUT' }, 'more rows than allowed')
  try {
    readBulkConditions(writeCsv([['氏名', '性別'], ['秘密の名前', '男']]), 10)
  } catch (err) {
    t.notOk(String((err as Error).message).includes('秘密の名前'), 'errors name rows, never values')
  }
})

t.test('the result file opens with the age command and the recipient identity only', async (t) => {
  const dir = tempDir(t, 'ken-age-')
  const identity = path.join(dir, 'recipient.key')
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' })
  const recipient = /public key: (age1\S+)/.exec(readFileSync(identity, 'utf8'))?.[1] ?? ''
  t.ok(isAgeRecipient(recipient))
  const csv = writeCsv([['行', '住民票コード', '氏名'], ['1', '70000000033', '山田太郎']])
  const { file, sha256 } = await sealResultFile(Buffer.from(csv, 'utf8'), recipient)
  t.match(sha256, /^[0-9a-f]{64}$/)
  t.notOk(file.includes(Buffer.from('山田太郎')), 'nothing in clear')
  const enc = path.join(dir, 'result.csv.age')
  writeFileSync(enc, file)
  t.equal(execFileSync('age', ['-d', '-i', identity, enc], { encoding: 'utf8' }), csv)
  const other = path.join(dir, 'other.key')
  execFileSync('age-keygen', ['-o', other], { stdio: 'ignore' })
  t.throws(() => execFileSync('age', ['-d', '-i', other, enc], { stdio: 'pipe' }), 'another identity cannot open it')
  await t.rejects(sealResultFile(Buffer.from('x'), 'not-a-recipient'), { code: 'KEN_ERR_FORM_INPUT' })
})
