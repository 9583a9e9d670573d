import t from 'tap'
import { validateUpdate, type ValidateUpdateOptions } from '../../../server/src/domain/validate-update.ts'
import { ChangeReason, FuhyoNotice, FuhyoState, Sex, Stream, type Update } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { CS, NEW_CODE, OTHER_CS, TODAY, envelope, fuhyo, fuhyoUpdate, identity, identityUpdate, rejection } from './fixtures.ts'

const OPTS: ValidateUpdateOptions = { certMunicipality: CS, juminhyoCheckDigit: false, today: TODAY }
const GAIJI = '\ue000'

function check (update: Update, opts: Partial<ValidateUpdateOptions> = {}): { code: string, field: string | undefined } | undefined {
  return rejection(() => validateUpdate(update, { ...OPTS, ...opts }))
}

t.test('valid updates are accepted', async (t) => {
  t.equal(check(identityUpdate()), undefined, 'a 転入')
  t.equal(check(identityUpdate({}, { stream: Stream.ABNORMAL })), undefined, 'on the 異常時 stream')
  t.equal(check(identityUpdate(), { juminhyoCheckDigit: true }), undefined, 'with the 住民票コード check digit on')
  t.equal(check(identityUpdate({ changeReason: ChangeReason.SHUSSEI, birthDate: TODAY, changeDate: TODAY })), undefined, '出生 today')
  t.equal(check(identityUpdate({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO, juminhyoCode: NEW_CODE, previousJuminhyoCode: '12345678903' })), undefined, '住民票コード変更')
  t.equal(check(identityUpdate({
    nameKanji: `試${GAIJI}太郎`, nameGaijiCount: 1, address: `福岡市${GAIJI}${GAIJI}町`, addressGaijiCount: 2,
    kyuujiKanji: `旧${GAIJI}`, kyuujiKana: 'キュウ', kyuujiGaijiCount: 1, kyuujiGaijiSerial: 2, gaijiFlag: true
  })), undefined, 'with 外字 and 旧氏')
  t.equal(check(identityUpdate({}, { requestId: '', operatorId: '', terminalId: '' })), undefined, 'optional references left empty')
  t.equal(check(identityUpdate({}, { timestamp: '2024-05-31T01:15:00.5Z' })), undefined, 'UTC timestamp with a fraction')
  t.equal(check(fuhyoUpdate()), undefined, 'a 新規 附票')
  t.equal(check(fuhyoUpdate({ state: FuhyoState.REMOVED, notice: FuhyoNotice.REMOVE })), undefined, 'a 消除 附票')
  t.equal(check(fuhyoUpdate({ addressMunicipalityCode: '', address: '国外', lastAddress: `福岡市${GAIJI}`, lastAddressGaijiCount: 1, gaijiFlag: true })), undefined, '国外転出者: no 住所 市町村コード')
})

type Case = [why: string, update: Update, code: string, field: string, opts?: Partial<ValidateUpdateOptions>]

const withIdentity = (body: Parameters<typeof identity>[0], env: Partial<Update> = {}): Update => identityUpdate(body, env)
const withFuhyo = (body: Parameters<typeof fuhyo>[0]): Update => fuhyoUpdate(body)

const ENVELOPE: Case[] = [
  ['municipality_code empty', withIdentity({}, { municipalityCode: '' }), 'KEN_REJECT_MISSING_FIELD', 'municipality_code'],
  ['municipality_code check digit', withIdentity({}, { municipalityCode: '401308' }), 'KEN_REJECT_BAD_MUNICIPALITY_CODE', 'municipality_code'],
  ['municipality_code not 6 digits', withIdentity({}, { municipalityCode: '40130' }), 'KEN_REJECT_BAD_MUNICIPALITY_CODE', 'municipality_code'],
  ['municipality_code of another CS', withIdentity({}, { municipalityCode: OTHER_CS }), 'KEN_REJECT_MUNICIPALITY_MISMATCH', 'municipality_code'],
  ['stream unspecified', withIdentity({}, { stream: Stream.UNSPECIFIED }), 'KEN_REJECT_BAD_STREAM', 'stream'],
  ['stream undefined value', withIdentity({}, { stream: 7 as Stream }), 'KEN_REJECT_BAD_STREAM', 'stream'],
  ['sequence 0', withIdentity({}, { sequence: 0 }), 'KEN_REJECT_BAD_SEQUENCE', 'sequence'],
  ['sequence negative', withIdentity({}, { sequence: -1 }), 'KEN_REJECT_BAD_SEQUENCE', 'sequence'],
  ['sequence fractional', withIdentity({}, { sequence: 1.5 }), 'KEN_REJECT_BAD_SEQUENCE', 'sequence'],
  ['request_id too long', withIdentity({}, { requestId: 'R'.repeat(11) }), 'KEN_REJECT_BAD_TEXT', 'request_id', { maxTextLength: 10 }],
  ['operator_id control character', withIdentity({}, { operatorId: 'OP\u0000' }), 'KEN_REJECT_BAD_TEXT', 'operator_id'],
  ['terminal_id line separator', withIdentity({}, { terminalId: 'T\u2028' }), 'KEN_REJECT_BAD_TEXT', 'terminal_id'],
  ['timestamp empty', withIdentity({}, { timestamp: '' }), 'KEN_REJECT_MISSING_FIELD', 'timestamp'],
  ['timestamp without offset', withIdentity({}, { timestamp: '2024-05-31T10:15:00' }), 'KEN_REJECT_BAD_TIMESTAMP', 'timestamp'],
  ['timestamp a date only', withIdentity({}, { timestamp: '2024-05-31' }), 'KEN_REJECT_BAD_TIMESTAMP', 'timestamp'],
  ['no body', envelope(), 'KEN_REJECT_MISSING_FIELD', 'body'],
  ['null bodies', { ...envelope(), identity: null, fuhyo: null }, 'KEN_REJECT_MISSING_FIELD', 'body'],
  ['both bodies', { ...envelope(), identity: identity(), fuhyo: fuhyo() }, 'KEN_REJECT_DUPLICATE_FIELD', 'body']
]

const IDENTITY: Case[] = [
  ['juminhyo_code empty', withIdentity({ juminhyoCode: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.juminhyo_code'],
  ['juminhyo_code 10 digits', withIdentity({ juminhyoCode: '1234567890' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'identity.juminhyo_code'],
  ['juminhyo_code check digit (rule on)', withIdentity({ juminhyoCode: '12345678904' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'identity.juminhyo_code', { juminhyoCheckDigit: true }],
  ['change_reason unspecified', withIdentity({ changeReason: ChangeReason.UNSPECIFIED }), 'KEN_REJECT_BAD_CHANGE_REASON', 'identity.change_reason'],
  ['change_reason undefined value', withIdentity({ changeReason: 99 as ChangeReason }), 'KEN_REJECT_BAD_CHANGE_REASON', 'identity.change_reason'],
  ['change_date empty', withIdentity({ changeDate: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.change_date'],
  ['change_date not a date', withIdentity({ changeDate: '2024-02-30' }), 'KEN_REJECT_BAD_DATE', 'identity.change_date'],
  ['change_date in the future', withIdentity({ changeDate: '2024-06-02' }), 'KEN_REJECT_DATE_ORDER', 'identity.change_date'],
  ['name_kanji empty', withIdentity({ nameKanji: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.name_kanji'],
  ['name_kanji control character', withIdentity({ nameKanji: '試験\u0007' }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji'],
  ['name_kanji C1 control', withIdentity({ nameKanji: '試験\u0085' }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji'],
  ['name_kanji bidi override', withIdentity({ nameKanji: '試験\u202e' }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji'],
  ['name_kanji replacement character', withIdentity({ nameKanji: '試\ufffd' }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji'],
  ['name_kanji supplementary PUA', withIdentity({ nameKanji: '試\u{f0000}' }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji'],
  ['name_kanji too long', withIdentity({ nameKanji: '試'.repeat(11) }), 'KEN_REJECT_BAD_TEXT', 'identity.name_kanji', { maxTextLength: 10 }],
  ['name_kana empty', withIdentity({ nameKana: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.name_kana'],
  ['name_kana hiragana', withIdentity({ nameKana: 'しけん' }), 'KEN_REJECT_BAD_KANA', 'identity.name_kana'],
  ['name_kana half-width', withIdentity({ nameKana: 'ｼｹﾝ' }), 'KEN_REJECT_BAD_KANA', 'identity.name_kana'],
  ['birth_date empty', withIdentity({ birthDate: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.birth_date'],
  ['birth_date Feb 29 of a non-leap year', withIdentity({ birthDate: '1981-02-29' }), 'KEN_REJECT_BAD_DATE', 'identity.birth_date'],
  ['birth_date in the future', withIdentity({ birthDate: '2024-06-02', changeDate: '2024-06-01' }), 'KEN_REJECT_DATE_ORDER', 'identity.birth_date'],
  ['change_date before birth_date', withIdentity({ birthDate: '2024-05-21', changeDate: '2024-05-20' }), 'KEN_REJECT_DATE_ORDER', 'identity.change_date'],
  ['sex unspecified', withIdentity({ sex: 0 }), 'KEN_REJECT_BAD_SEX', 'identity.sex'],
  ['sex undefined value', withIdentity({ sex: 9 as Sex }), 'KEN_REJECT_BAD_SEX', 'identity.sex'],
  ['address empty', withIdentity({ address: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.address'],
  ['address tab', withIdentity({ address: '福岡市\t中央区' }), 'KEN_REJECT_BAD_TEXT', 'identity.address'],
  ['kojin_bango empty', withIdentity({ kojinBango: '' }), 'KEN_REJECT_MISSING_FIELD', 'identity.kojin_bango'],
  ['kojin_bango check digit', withIdentity({ kojinBango: '123456789017' }), 'KEN_REJECT_BAD_KOJIN_BANGO', 'identity.kojin_bango'],
  ['oaza_code control character', withIdentity({ oazaCode: '\u001b' }), 'KEN_REJECT_BAD_TEXT', 'identity.oaza_code'],
  ['kyuuji_kanji without kyuuji_kana', withIdentity({ kyuujiKanji: '旧姓' }), 'KEN_REJECT_MISSING_FIELD', 'identity.kyuuji_kana'],
  ['kyuuji_kana without kyuuji_kanji', withIdentity({ kyuujiKana: 'キュウ' }), 'KEN_REJECT_MISSING_FIELD', 'identity.kyuuji_kanji'],
  ['kyuuji_kana not katakana', withIdentity({ kyuujiKanji: '旧姓', kyuujiKana: 'きゅう' }), 'KEN_REJECT_BAD_KANA', 'identity.kyuuji_kana'],
  ['kyuuji_gaiji_serial without 旧氏', withIdentity({ kyuujiGaijiSerial: 1 }), 'KEN_REJECT_UNEXPECTED_FIELD', 'identity.kyuuji_gaiji_serial'],
  ['kyuuji_gaiji_count without 旧氏', withIdentity({ kyuujiGaijiCount: 1, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.kyuuji_gaiji_count'],
  ['name_gaiji_count too low', withIdentity({ nameKanji: `試${GAIJI}`, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.name_gaiji_count'],
  ['name_gaiji_count too high', withIdentity({ nameGaijiCount: 1, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.name_gaiji_count'],
  ['address_gaiji_count wrong', withIdentity({ address: `福岡市${GAIJI}`, addressGaijiCount: 2, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.address_gaiji_count'],
  ['gaiji_flag missing', withIdentity({ address: `福岡市${GAIJI}`, addressGaijiCount: 1 }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.gaiji_flag'],
  ['gaiji_flag without 外字', withIdentity({ gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'identity.gaiji_flag'],
  ['previous_juminhyo_code outside 住民票コード変更', withIdentity({ previousJuminhyoCode: NEW_CODE }), 'KEN_REJECT_UNEXPECTED_FIELD', 'identity.previous_juminhyo_code'],
  ['previous_juminhyo_code missing for 住民票コード変更', withIdentity({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO }), 'KEN_REJECT_MISSING_FIELD', 'identity.previous_juminhyo_code'],
  ['previous_juminhyo_code malformed', withIdentity({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO, previousJuminhyoCode: '1234' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'identity.previous_juminhyo_code'],
  ['previous_juminhyo_code check digit (rule on)', withIdentity({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO, previousJuminhyoCode: '23456789014' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'identity.previous_juminhyo_code', { juminhyoCheckDigit: true }],
  ['previous_juminhyo_code equal to the new code', withIdentity({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO, previousJuminhyoCode: '12345678903' }), 'KEN_REJECT_NO_CHANGE', 'identity.previous_juminhyo_code']
]

const FUHYO: Case[] = [
  ['juminhyo_code malformed', withFuhyo({ juminhyoCode: '1234567890X' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'fuhyo.juminhyo_code'],
  ['juminhyo_code check digit (rule on)', withFuhyo({ juminhyoCode: '12345678904' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'fuhyo.juminhyo_code', { juminhyoCheckDigit: true }],
  ['name_kanji empty', withFuhyo({ nameKanji: '' }), 'KEN_REJECT_MISSING_FIELD', 'fuhyo.name_kanji'],
  ['name_kana hiragana', withFuhyo({ nameKana: 'はなこ' }), 'KEN_REJECT_BAD_KANA', 'fuhyo.name_kana'],
  ['birth_date not a date', withFuhyo({ birthDate: '1990-13-01' }), 'KEN_REJECT_BAD_DATE', 'fuhyo.birth_date'],
  ['birth_date in the future', withFuhyo({ birthDate: '2030-01-01' }), 'KEN_REJECT_DATE_ORDER', 'fuhyo.birth_date'],
  ['sex unspecified', withFuhyo({ sex: 0 }), 'KEN_REJECT_BAD_SEX', 'fuhyo.sex'],
  ['address_municipality_code check digit', withFuhyo({ addressMunicipalityCode: '401306' }), 'KEN_REJECT_BAD_MUNICIPALITY_CODE', 'fuhyo.address_municipality_code'],
  ['address empty', withFuhyo({ address: '' }), 'KEN_REJECT_MISSING_FIELD', 'fuhyo.address'],
  ['last_address control character', withFuhyo({ lastAddress: '福岡\u0000' }), 'KEN_REJECT_BAD_TEXT', 'fuhyo.last_address'],
  ['change_date empty', withFuhyo({ changeDate: '' }), 'KEN_REJECT_MISSING_FIELD', 'fuhyo.change_date'],
  ['change_date in the future', withFuhyo({ changeDate: '2024-06-02' }), 'KEN_REJECT_DATE_ORDER', 'fuhyo.change_date'],
  ['change_date before birth_date', withFuhyo({ changeDate: '1990-07-06' }), 'KEN_REJECT_DATE_ORDER', 'fuhyo.change_date'],
  ['previous_juminhyo_code malformed', withFuhyo({ previousJuminhyoCode: '123' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'fuhyo.previous_juminhyo_code'],
  ['previous_juminhyo_code equal to the code', withFuhyo({ previousJuminhyoCode: '12345678903' }), 'KEN_REJECT_BAD_JUMINHYO_CODE', 'fuhyo.previous_juminhyo_code'],
  ['fuhyo_municipality_code empty', withFuhyo({ fuhyoMunicipalityCode: '' }), 'KEN_REJECT_MISSING_FIELD', 'fuhyo.fuhyo_municipality_code'],
  ['fuhyo_municipality_code check digit', withFuhyo({ fuhyoMunicipalityCode: '401300' }), 'KEN_REJECT_BAD_MUNICIPALITY_CODE', 'fuhyo.fuhyo_municipality_code'],
  ['state unspecified', withFuhyo({ state: FuhyoState.UNSPECIFIED }), 'KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.state'],
  ['notice unspecified', withFuhyo({ notice: FuhyoNotice.UNSPECIFIED }), 'KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.notice'],
  ['消除 notice with state 現存', withFuhyo({ notice: FuhyoNotice.REMOVE }), 'KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.state'],
  ['新規 notice with state 消除', withFuhyo({ state: FuhyoState.REMOVED }), 'KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.state'],
  ['変更 notice with state 消除', withFuhyo({ state: FuhyoState.REMOVED, notice: FuhyoNotice.CHANGE }), 'KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.state'],
  ['name_gaiji_count wrong', withFuhyo({ nameGaijiCount: 1, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'fuhyo.name_gaiji_count'],
  ['last_address_gaiji_count wrong', withFuhyo({ lastAddress: `旧${GAIJI}`, gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'fuhyo.last_address_gaiji_count'],
  ['gaiji_flag wrong', withFuhyo({ gaijiFlag: true }), 'KEN_REJECT_GAIJI_INCONSISTENT', 'fuhyo.gaiji_flag'],
  ['gaiji_pattern control character', withFuhyo({ gaijiPattern: '\u007f' }), 'KEN_REJECT_BAD_TEXT', 'fuhyo.gaiji_pattern']
]

for (const [title, cases] of [['envelope', ENVELOPE], ['identity', IDENTITY], ['fuhyo', FUHYO]] as const) {
  t.test(`${title}: each invalid case is rejected with its code and field`, async (t) => {
    for (const [why, update, code, field, opts] of cases) t.same(check(update, opts), { code, field }, why)
  })
}

t.test('rejections carry a code and a field, never the value', async (t) => {
  const secret = 'ヒミツ'
  try {
    validateUpdate(identityUpdate({ nameKana: secret, nameKanji: '秘密\u0000' }), OPTS)
    t.fail('expected a rejection')
  } catch (err) {
    t.ok(isKenError(err, 'KEN_REJECT_BAD_TEXT'))
    t.notMatch(String((err as Error).message), '秘密')
  }
  try {
    validateUpdate(identityUpdate({ kojinBango: '123456789017' }), OPTS)
    t.fail('expected a rejection')
  } catch (err) {
    t.ok(isKenError(err, 'KEN_REJECT_BAD_KOJIN_BANGO'))
    t.notMatch(String((err as Error).message), '123456789017')
  }
})

t.test('wrong options are a programming error, not a rejection', async (t) => {
  t.throws(() => validateUpdate(identityUpdate(), { ...OPTS, certMunicipality: '401308' }), RangeError)
  t.throws(() => validateUpdate(identityUpdate(), { ...OPTS, today: '2024-6-1' }), RangeError)
  t.throws(() => validateUpdate(identityUpdate(), { ...OPTS, maxTextLength: 0 }), RangeError)
})
