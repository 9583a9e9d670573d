import t, { type Test } from 'tap'
import { decideIdentityUpdate } from '../../../server/src/domain/transition.ts'
import { PERSON_ITEMS, TENKYO_MAY_CHANGE, type PersonItem } from '../../../server/src/domain/resident-record.ts'
import { CHANGE_KINDS } from '../../../server/src/domain/change-reasons.ts'
import type { Decision, IdentityContext, ResidentRecord } from '../../../server/src/domain/records.ts'
import { ChangeReason, Sex, Stream, type IdentityUpdate } from '../../../proto/src/types.ts'
import {
  BANGO, CODE, CS, NEW_CODE, OTHER_BANGO, OTHER_CODE, OTHER_CS, THIRD_BANGO, TODAY, context, envelope, identityUpdate, record, removedRecord
} from './fixtures.ts'

type Expect =
  | { readonly status: 'current' | 'removed', readonly municipality?: string, readonly retiredCode?: string, readonly code?: undefined }
  | { readonly code: string, readonly field: string }

type Case = [why: string, body: Partial<IdentityUpdate>, ctx: Partial<IdentityContext>, expect: Expect]

const NAME: Record<number, string> = Object.fromEntries(Object.entries(ChangeReason).map(([k, v]) => [v, k]))

function verify (t: Test, reason: ChangeReason, [why, body, ctx, expect]: Case): void {
  const d: Decision<ResidentRecord> = decideIdentityUpdate(identityUpdate({ changeReason: reason, ...body }), context(ctx))
  const label = `${NAME[reason]}: ${why}`
  if (expect.code !== undefined) {
    t.same(d, { ok: false, code: expect.code, field: expect.field }, label)
    return
  }
  if (!d.ok) {
    t.fail(`${label}: rejected ${d.code} ${d.field ?? ''}`)
    return
  }
  t.equal(d.next.status, expect.status, `${label}: status`)
  t.equal(d.next.deleted, expect.status === 'removed', `${label}: 削除フラグ`)
  t.equal(d.next.retentionOnly, expect.status === 'removed', `${label}: 保存期間フラグ`)
  t.equal(d.next.changeReason, reason, `${label}: 異動事由 recorded`)
  t.equal(d.next.municipalityCode, expect.municipality ?? CS, `${label}: 市町村コード`)
  t.equal(d.retiredCode, expect.retiredCode, `${label}: retired code`)
}

const ok = (status: 'current' | 'removed', extra: { municipality?: string, retiredCode?: string } = {}): Expect => ({ status, ...extra })
const no = (code: string, field: string): Expect => ({ code, field })

const current = record()
const currentElsewhere = record({ municipalityCode: OTHER_CS })
const removed = removedRecord()
const removedElsewhere = removedRecord({ municipalityCode: OTHER_CS })
const dead = removedRecord({ changeReason: ChangeReason.SHIBOU })

const CREATING: Record<number, Case[]> = {}
for (const reason of [ChangeReason.TENNYU, ChangeReason.TOKUREI_TENNYU, ChangeReason.SHOKKEN_KISAI, ChangeReason.KOKUGAI_TENNYU, ChangeReason.SHUSSEI]) {
  const movesIn = reason !== ChangeReason.KOKUGAI_TENNYU && reason !== ChangeReason.SHUSSEI
  const birth = reason === ChangeReason.SHUSSEI
  CREATING[reason] = [
    ['a new person', {}, {}, ok('current')],
    ['already a current resident here', {}, { current }, no('KEN_REJECT_ALREADY_RESIDENT', 'identity.juminhyo_code')],
    ['current in another municipality', {}, { current: currentElsewhere }, movesIn ? ok('current') : no('KEN_REJECT_ALREADY_RESIDENT', 'identity.juminhyo_code')],
    ['removed here (moved out and back)', {}, { current: removed, kojinBangoHolder: CODE }, birth ? no('KEN_REJECT_JUMINHYO_CODE_IN_USE', 'identity.juminhyo_code') : ok('current')],
    ['removed in another municipality', {}, { current: removedElsewhere }, birth ? no('KEN_REJECT_JUMINHYO_CODE_IN_USE', 'identity.juminhyo_code') : ok('current')],
    ['removed by 死亡', {}, { current: dead }, birth ? no('KEN_REJECT_JUMINHYO_CODE_IN_USE', 'identity.juminhyo_code') : no('KEN_REJECT_REMOVED_RESIDENT', 'identity.juminhyo_code')],
    ['個人番号 held by another 住民票コード', {}, { kojinBangoHolder: OTHER_CODE }, no('KEN_REJECT_KOJIN_BANGO_IN_USE', 'identity.kojin_bango')]
  ]
}

const REMOVING: Record<number, Case[]> = {}
for (const reason of [ChangeReason.TENSHUTSU, ChangeReason.TOKUREI_TENSHUTSU, ChangeReason.SHIBOU, ChangeReason.SHOKKEN_SHOJO, ChangeReason.KOKUGAI_TENSHUTSU]) {
  REMOVING[reason] = [
    ['a current resident', {}, { current, kojinBangoHolder: CODE }, ok('removed')],
    ['no such 住民票コード', {}, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code')],
    ['a resident of another municipality', {}, { current: currentElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
    ['already removed', {}, { current: removed }, no('KEN_REJECT_ALREADY_REMOVED', 'identity.juminhyo_code')],
    ['a different 個人番号', { kojinBango: OTHER_BANGO }, { current }, no('KEN_REJECT_KOJIN_BANGO_MISMATCH', 'identity.kojin_bango')],
    ['個人番号 held by another 住民票コード', {}, { current, kojinBangoHolder: OTHER_CODE }, no('KEN_REJECT_KOJIN_BANGO_IN_USE', 'identity.kojin_bango')]
  ]
}

const NEW_ADDRESS = '福岡県福岡市博多区試験二丁目3番4号'
const GAIJI_ADDRESS = '福岡県福岡市博多区\ue001町'

/** For each item a 転居 may not change, a value that differs from {@link record}. */
const NON_ADDRESS_CHANGES: Partial<Record<PersonItem, Partial<IdentityUpdate>>> = {
  nameKanji: { nameKanji: '試験 次郎' },
  nameGaijiCount: { nameGaijiCount: 1 },
  nameKana: { nameKana: 'シケン　ジロウ' },
  birthDate: { birthDate: '1980-03-01' },
  sex: { sex: Sex.FEMALE },
  kojinBango: { kojinBango: OTHER_BANGO },
  nameGaijiSerial: { nameGaijiSerial: 1 },
  kyuujiKanji: { kyuujiKanji: '旧姓' },
  kyuujiGaijiCount: { kyuujiGaijiCount: 1 },
  kyuujiKana: { kyuujiKana: 'キュウセイ' },
  kyuujiGaijiSerial: { kyuujiGaijiSerial: 1 }
}

const TENKYO: Case[] = [
  ['a new address', { address: NEW_ADDRESS, oazaCode: '0002' }, { current }, ok('current')],
  ['a new address with 外字', { address: GAIJI_ADDRESS, addressGaijiCount: 1, addressGaijiSerial: 1, gaijiFlag: true }, { current }, ok('current')],
  ['the same address', {}, { current }, no('KEN_REJECT_NO_CHANGE', 'identity.address')],
  ['the same address, other 大字・字コード', { oazaCode: '0009' }, { current }, no('KEN_REJECT_NO_CHANGE', 'identity.address')],
  ['no such 住民票コード', { address: NEW_ADDRESS }, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code')],
  ['a resident of another municipality', { address: NEW_ADDRESS }, { current: currentElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
  ['a removed person', { address: NEW_ADDRESS }, { current: removed }, no('KEN_REJECT_REMOVED_RESIDENT', 'identity.juminhyo_code')],
  ['個人番号 held by another 住民票コード', { address: NEW_ADDRESS }, { current, kojinBangoHolder: OTHER_CODE }, no('KEN_REJECT_KOJIN_BANGO_IN_USE', 'identity.kojin_bango')],
  ...(Object.keys(PERSON_ITEMS) as PersonItem[]).filter((item) => !TENKYO_MAY_CHANGE.has(item)).map((item): Case =>
    [`also changes ${item}`, { address: NEW_ADDRESS, ...NON_ADDRESS_CHANGES[item] }, { current }, no('KEN_REJECT_TENKYO_NON_ADDRESS', PERSON_ITEMS[item])])
]

const MODIFYING: Case[] = [
  ['a new name', { nameKanji: '試験 次郎', nameKana: 'シケン　ジロウ' }, { current }, ok('current')],
  ['a 旧氏 recorded', { kyuujiKanji: '旧姓', kyuujiKana: 'キュウセイ' }, { current }, ok('current')],
  ['a corrected birth date', { birthDate: '1980-03-01' }, { current }, ok('current')],
  ['nothing changed', {}, { current }, no('KEN_REJECT_NO_CHANGE', 'identity')],
  ['only the 個人番号 changed', { kojinBango: OTHER_BANGO }, { current }, no('KEN_REJECT_KOJIN_BANGO_MISMATCH', 'identity.kojin_bango')],
  ['no such 住民票コード', { nameKanji: '試験 次郎' }, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code')],
  ['a resident of another municipality', { nameKanji: '試験 次郎' }, { current: currentElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
  ['a removed person', { nameKanji: '試験 次郎' }, { current: removed }, no('KEN_REJECT_REMOVED_RESIDENT', 'identity.juminhyo_code')]
]

const RESTORING: Case[] = [
  ['a removed person', {}, { current: removed, kojinBangoHolder: CODE }, ok('current')],
  ['a person removed by 死亡 in error', {}, { current: dead }, ok('current')],
  ['a current resident', {}, { current }, no('KEN_REJECT_NOT_REMOVED', 'identity.juminhyo_code')],
  ['no such 住民票コード', {}, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code')],
  ['removed by another municipality', {}, { current: removedElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
  ['a different 個人番号', { kojinBango: OTHER_BANGO }, { current: removed }, no('KEN_REJECT_KOJIN_BANGO_MISMATCH', 'identity.kojin_bango')]
]

const codeChange = { juminhyoCode: NEW_CODE, previousJuminhyoCode: CODE }
const CODE_CHANGE: Case[] = [
  ['a free new code', codeChange, { current, kojinBangoHolder: CODE }, ok('current', { retiredCode: CODE })],
  ['the new code is taken', codeChange, { current, targetCodeTaken: true }, no('KEN_REJECT_JUMINHYO_CODE_IN_USE', 'identity.juminhyo_code')],
  ['no record under the previous code', codeChange, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.previous_juminhyo_code')],
  ['a resident of another municipality', codeChange, { current: currentElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
  ['a removed person', codeChange, { current: removed }, no('KEN_REJECT_REMOVED_RESIDENT', 'identity.juminhyo_code')],
  ['個人番号 held by another 住民票コード', codeChange, { current, kojinBangoHolder: OTHER_CODE }, no('KEN_REJECT_KOJIN_BANGO_IN_USE', 'identity.kojin_bango')],
  ['a different 個人番号', { ...codeChange, kojinBango: OTHER_BANGO }, { current }, no('KEN_REJECT_KOJIN_BANGO_MISMATCH', 'identity.kojin_bango')]
]

const BANGO_CHANGE: Case[] = [
  ['a new 個人番号', { kojinBango: THIRD_BANGO }, { current }, ok('current')],
  ['the same 個人番号', {}, { current, kojinBangoHolder: CODE }, no('KEN_REJECT_NO_CHANGE', 'identity.kojin_bango')],
  ['a 個人番号 held by another 住民票コード', { kojinBango: OTHER_BANGO }, { current, kojinBangoHolder: OTHER_CODE }, no('KEN_REJECT_KOJIN_BANGO_IN_USE', 'identity.kojin_bango')],
  ['no such 住民票コード', { kojinBango: THIRD_BANGO }, {}, no('KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code')],
  ['a resident of another municipality', { kojinBango: THIRD_BANGO }, { current: currentElsewhere }, no('KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code')],
  ['a removed person', { kojinBango: THIRD_BANGO }, { current: removed }, no('KEN_REJECT_REMOVED_RESIDENT', 'identity.juminhyo_code')]
]

const TABLE: Record<number, Case[]> = {
  ...CREATING,
  ...REMOVING,
  [ChangeReason.TENKYO]: TENKYO,
  [ChangeReason.SHOKKEN_SHUSEI]: MODIFYING,
  [ChangeReason.SHIMEI_TO_HENKO]: MODIFYING,
  [ChangeReason.SHOJO_KAIFUKU]: RESTORING,
  [ChangeReason.JUMINHYO_CODE_HENKO]: CODE_CHANGE,
  [ChangeReason.KOJIN_BANGO_HENKO]: BANGO_CHANGE
}

t.test('every 異動事由 has its table of cases', async (t) => {
  t.same(Object.keys(TABLE).map(Number).sort((a, b) => a - b), Object.keys(CHANGE_KINDS).map(Number).sort((a, b) => a - b))
  t.same(Object.keys(NON_ADDRESS_CHANGES).sort(), (Object.keys(PERSON_ITEMS) as PersonItem[]).filter((i) => !TENKYO_MAY_CHANGE.has(i)).sort(),
    'a variant for every item a 転居 may not change')
})

for (const [reason, cases] of Object.entries(TABLE)) {
  t.test(`${NAME[Number(reason)] ?? reason}: accepts its valid cases, rejects each invalid one`, async (t) => {
    for (const c of cases) verify(t, Number(reason) as ChangeReason, c)
  })
}

t.test('the next record: CS items from the update, derived items from the server', async (t) => {
  const update = identityUpdate({ nameKana: 'ジョウ　パール', kyuujiKanji: '旧姓', kyuujiKana: 'キュウセイ' }, { sequence: 99, stream: Stream.ABNORMAL, operatorId: 'OP-9', terminalId: 'T-9', timestamp: '2024-05-31T23:59:59+09:00' })
  const d = decideIdentityUpdate(update, context())
  if (!d.ok) return t.fail(`rejected ${d.code}`)
  const { previousJuminhyoCode: _, ...items } = update.identity ?? {}
  t.same(d.next, {
    ...items,
    municipalityCode: CS,
    status: 'current',
    seionKana: 'シヨウハル',
    notifiedDate: TODAY,
    deleted: false,
    retentionOnly: false,
    sequence: 99,
    stream: Stream.ABNORMAL,
    operatorId: 'OP-9',
    terminalId: 'T-9',
    timestamp: '2024-05-31T23:59:59+09:00'
  })
  t.notOk('previousJuminhyoCode' in d.next, 'the 変更前住民票コード is not a record item')
  t.equal(d.retiredCode, undefined)
})

t.test('住民票コード変更: the record moves to the new code', async (t) => {
  const d = decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.JUMINHYO_CODE_HENKO, ...codeChange }), context({ current, kojinBangoHolder: CODE }))
  if (!d.ok) return t.fail(`rejected ${d.code}`)
  t.equal(d.next.juminhyoCode, NEW_CODE)
  t.equal(d.retiredCode, CODE)
  t.equal(d.next.kojinBango, BANGO)
})

t.test('転入 before 転出: the file follows the new municipality; the late 転出 is refused', async (t) => {
  // The person lives in OTHER_CS; CS's 転入 arrives before OTHER_CS's 転出.
  const tennyu = decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.TENNYU, address: NEW_ADDRESS }),
    context({ current: currentElsewhere, kojinBangoHolder: CODE }))
  if (!tennyu.ok) return t.fail(`転入 rejected ${tennyu.code}`)
  t.equal(tennyu.next.municipalityCode, CS)
  t.equal(tennyu.next.status, 'current')
  const lateTenshutsu = decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.TENSHUTSU }, { municipalityCode: OTHER_CS }),
    context({ current: tennyu.next, kojinBangoHolder: CODE, municipalityCode: OTHER_CS }))
  t.same(lateTenshutsu, { ok: false, code: 'KEN_REJECT_OTHER_MUNICIPALITY', field: 'identity.juminhyo_code' })
})

t.test('転出 before 転入: the removed record is re-created in the new municipality', async (t) => {
  const tenshutsu = decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.TENSHUTSU }, { municipalityCode: OTHER_CS }),
    context({ current: currentElsewhere, kojinBangoHolder: CODE, municipalityCode: OTHER_CS }))
  if (!tenshutsu.ok) return t.fail(`転出 rejected ${tenshutsu.code}`)
  t.equal(tenshutsu.next.status, 'removed')
  t.equal(tenshutsu.next.municipalityCode, OTHER_CS)
  const tennyu = decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.TENNYU, address: NEW_ADDRESS }),
    context({ current: tenshutsu.next, kojinBangoHolder: CODE }))
  if (!tennyu.ok) return t.fail(`転入 rejected ${tennyu.code}`)
  t.equal(tennyu.next.status, 'current')
  t.equal(tennyu.next.deleted, false)
  t.equal(tennyu.next.municipalityCode, CS)
})

t.test('an update the gateway should have refused is still refused', async (t) => {
  t.same(decideIdentityUpdate(envelope(), context()), { ok: false, code: 'KEN_REJECT_MISSING_FIELD', field: 'body' })
  t.same(decideIdentityUpdate(identityUpdate({ changeReason: ChangeReason.UNSPECIFIED }), context()),
    { ok: false, code: 'KEN_REJECT_BAD_CHANGE_REASON', field: 'identity.change_reason' })
})
