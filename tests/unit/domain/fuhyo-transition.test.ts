import t from 'tap'
import { decideFuhyoUpdate } from '../../../server/src/domain/fuhyo-transition.ts'
import type { FuhyoRecord } from '../../../server/src/domain/records.ts'
import { FuhyoNotice, FuhyoState, Stream, type FuhyoUpdate } from '../../../proto/src/types.ts'
import { CS, OTHER_CS, TODAY, envelope, fuhyoRecord, fuhyoUpdate } from './fixtures.ts'

const CTX = { municipalityCode: CS, today: TODAY }
const NEW: Partial<FuhyoUpdate> = { notice: FuhyoNotice.NEW, state: FuhyoState.CURRENT }
const CHANGE: Partial<FuhyoUpdate> = { notice: FuhyoNotice.CHANGE, state: FuhyoState.CURRENT, address: '福岡県福岡市東区試験三丁目' }
const REMOVE: Partial<FuhyoUpdate> = { notice: FuhyoNotice.REMOVE, state: FuhyoState.REMOVED }

const current = fuhyoRecord()
const removed = fuhyoRecord({ state: FuhyoState.REMOVED, notice: FuhyoNotice.REMOVE })
const otherManager = fuhyoRecord({ fuhyoMunicipalityCode: OTHER_CS, municipalityCode: OTHER_CS })
const otherManagerRemoved = fuhyoRecord({ fuhyoMunicipalityCode: OTHER_CS, municipalityCode: OTHER_CS, state: FuhyoState.REMOVED, notice: FuhyoNotice.REMOVE })

type Case = [why: string, body: Partial<FuhyoUpdate>, current: FuhyoRecord | undefined, expect: { state: FuhyoState } | { code: string, field: string }]

const CASES: Case[] = [
  ['新規 with no record', NEW, undefined, { state: FuhyoState.CURRENT }],
  ['新規 for a 現存 附票', NEW, current, { code: 'KEN_REJECT_FUHYO_STATE', field: 'fuhyo.notice' }],
  ['新規 for a 現存 附票 of another municipality', NEW, otherManager, { code: 'KEN_REJECT_FUHYO_STATE', field: 'fuhyo.notice' }],
  ['新規 for a 消除 附票 re-creates it', NEW, removed, { state: FuhyoState.CURRENT }],
  ['新規 after another municipality removed its 附票 (転籍)', NEW, otherManagerRemoved, { state: FuhyoState.CURRENT }],
  ['変更 of a 現存 附票', CHANGE, current, { state: FuhyoState.CURRENT }],
  ['変更 with no record', CHANGE, undefined, { code: 'KEN_REJECT_FUHYO_STATE', field: 'fuhyo.notice' }],
  ['変更 of a 消除 附票', CHANGE, removed, { code: 'KEN_REJECT_FUHYO_STATE', field: 'fuhyo.notice' }],
  ['変更 of another municipality’s 附票', CHANGE, otherManager, { code: 'KEN_REJECT_OTHER_MUNICIPALITY', field: 'fuhyo.juminhyo_code' }],
  ['消除 of a 現存 附票', REMOVE, current, { state: FuhyoState.REMOVED }],
  ['消除 with no record', REMOVE, undefined, { code: 'KEN_REJECT_FUHYO_STATE', field: 'fuhyo.notice' }],
  ['消除 of a 消除 附票', REMOVE, removed, { code: 'KEN_REJECT_ALREADY_REMOVED', field: 'fuhyo.juminhyo_code' }],
  ['消除 of another municipality’s 附票', REMOVE, otherManager, { code: 'KEN_REJECT_OTHER_MUNICIPALITY', field: 'fuhyo.juminhyo_code' }],
  ['附票管理市町村コード of another municipality', { ...NEW, fuhyoMunicipalityCode: OTHER_CS }, undefined, { code: 'KEN_REJECT_OTHER_MUNICIPALITY', field: 'fuhyo.fuhyo_municipality_code' }],
  ['通知区分 unspecified', { notice: FuhyoNotice.UNSPECIFIED }, undefined, { code: 'KEN_REJECT_BAD_FUHYO_STATE', field: 'fuhyo.notice' }]
]

t.test('附票 notices against the 附票 file', async (t) => {
  for (const [why, body, rec, expect] of CASES) {
    const d = decideFuhyoUpdate(fuhyoUpdate(body), rec, CTX)
    if ('code' in expect) {
      t.same(d, { ok: false, ...expect }, why)
    } else if (d.ok) {
      t.equal(d.next.state, expect.state, why)
      t.equal(d.next.fuhyoMunicipalityCode, CS, `${why}: 附票管理市町村`)
    } else {
      t.fail(`${why}: rejected ${d.code}`)
    }
  }
})

t.test('the next 附票 record: the 18 items, the sender, the server date, 更新順番号 and stream', async (t) => {
  const update = fuhyoUpdate(CHANGE, { sequence: 12, stream: Stream.ABNORMAL })
  const d = decideFuhyoUpdate(update, current, CTX)
  if (!d.ok) return t.fail(`rejected ${d.code}`)
  t.same(d.next, { ...update.fuhyo, municipalityCode: CS, notifiedDate: TODAY, sequence: 12, stream: Stream.ABNORMAL })
  t.notOk('kojinBango' in d.next, 'never a 個人番号')
})

t.test('an update without a 附票 body is refused', async (t) => {
  t.same(decideFuhyoUpdate(envelope(), undefined, CTX), { ok: false, code: 'KEN_REJECT_MISSING_FIELD', field: 'body' })
})
