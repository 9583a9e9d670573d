// Correction requests (住基法30条の35): the steps of a case, in order, and the open cases by age.
import t from 'tap'
import { applyStep, openCasesByAge, type CorrectionCase } from '../../../server/src/terminal/corrections/case.ts'

t.test('a case from receipt to the municipality\'s update and closure', async (t) => {
  let c = applyStep(undefined, { kind: 'receive', at: '2026-11-01T10:00:00+09:00', by: 'op-1' })
  c = applyStep(c, { kind: 'investigate', at: '2026-11-02T10:00:00+09:00', by: 'op-1' })
  c = applyStep(c, { kind: 'refer', at: '2026-11-03T10:00:00+09:00', by: 'op-1', municipalityCode: '401307' })
  t.throws(() => applyStep(c, { kind: 'close', at: '2026-11-04', by: 'op-1', outcome: 'corrected', reason: '' }), { code: 'KEN_ERR_FORM_INPUT' }, 'not corrected before the update')
  c = applyStep(c, { kind: 'updated', at: '2026-11-10T10:00:00+09:00', by: 'op-1', position: 4711 })
  c = applyStep(c, { kind: 'close', at: '2026-11-11T10:00:00+09:00', by: 'op-1', outcome: 'corrected', reason: '' })
  t.same([c.state, c.municipalityCode, c.fixedAt, c.outcome, c.steps.length], ['closed', '401307', 4711, 'corrected', 5])
  t.throws(() => applyStep(c, { kind: 'investigate', at: '2026-11-12', by: 'op-1' }), { code: 'KEN_ERR_FORM_INPUT' }, 'a closed case stays closed')
})

t.test('steps out of order are refused', async (t) => {
  t.throws(() => applyStep(undefined, { kind: 'investigate', at: '2026-11-01', by: 'op-1' }), { code: 'KEN_ERR_FORM_INPUT' })
  const c = applyStep(undefined, { kind: 'receive', at: '2026-11-01', by: 'op-1' })
  t.throws(() => applyStep(c, { kind: 'updated', at: '2026-11-01', by: 'op-1', position: 1 }), { code: 'KEN_ERR_FORM_INPUT' })
  const i = applyStep(c, { kind: 'investigate', at: '2026-11-01', by: 'op-1' })
  t.throws(() => applyStep(i, { kind: 'refer', at: '2026-11-01', by: 'op-1', municipalityCode: '4013' }), { code: 'KEN_ERR_FORM_INPUT' })
  t.throws(() => applyStep(i, { kind: 'close', at: '2026-11-01', by: 'op-1', outcome: 'not-corrected', reason: ' ' }), { code: 'KEN_ERR_FORM_INPUT' })
  t.equal(applyStep(i, { kind: 'close', at: '2026-11-01', by: 'op-1', outcome: 'not-corrected', reason: '記載に誤りなし' }).outcome, 'not-corrected')
})

t.test('open cases, oldest first', async (t) => {
  const open = (at: string): CorrectionCase => applyStep(undefined, { kind: 'receive', at, by: 'op-1' })
  const closed = applyStep(applyStep(open('2026-01-01'), { kind: 'investigate', at: '2026-01-02', by: 'op-1' }), { kind: 'close', at: '2026-01-03', by: 'op-1', outcome: 'not-corrected', reason: '誤りなし' })
  const cases = new Map([['C-1', open('2026-11-20T09:00:00+09:00')], ['C-2', open('2026-10-01')], ['C-3', closed]])
  t.same(openCasesByAge(cases, '2026-11-29'), [{ id: 'C-2', state: 'received', days: 59 }, { id: 'C-1', state: 'received', days: 9 }])
})
