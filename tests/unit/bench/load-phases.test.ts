import t from 'tap'
import { loadPhases } from '../../../bench/load-phases.ts'

t.test('the run splits where only the last two links are left, then the last one', async (t) => {
  // 4 links: two small ones end at 2 s and 3 s, a middle one at 6 s, the largest at 10 s.
  const perSecond = [100, 100, 80, 60, 60, 60, 30, 30, 30, 30]
  const links = [
    { code: '401307', updates: 200, seconds: 10 },
    { code: '401005', updates: 50, seconds: 2 },
    { code: '401099', updates: 130, seconds: 6 },
    { code: '402028', updates: 110, seconds: 3 }
  ]
  const phases = loadPhases(perSecond, links)
  t.same(phases.map((p) => [p.busyLinks, p.fromSeconds, p.toSeconds, p.updates, p.endedBy]), [
    ['3+', 0, 3, 280, []],
    ['2', 3, 6, 180, ['401099']],
    ['1', 6, 10, 120, ['401307']]
  ])
  t.same(phases.map((p) => p.ratePerSec), [93, 60, 30])
  t.equal(phases.reduce((n, p) => n + p.updates, 0), perSecond.reduce((a, b) => a + b, 0), 'every PUBACK falls in one phase')
})

t.test('a phase boundary inside a second takes that second pro rata', async (t) => {
  const phases = loadPhases([100, 100], [{ code: 'a', updates: 50, seconds: 0.5 }, { code: 'b', updates: 150, seconds: 2 }], 1)
  t.same(phases.map((p) => [p.busyLinks, p.updates]), [['2', 50], ['1', 150]])
})

t.test('links that sent nothing do not count; no links, no phases', async (t) => {
  t.same(loadPhases([], []), [])
  const phases = loadPhases([10], [{ code: 'a', updates: 10, seconds: 1 }, { code: 'b', updates: 0, seconds: 0 }])
  t.same(phases.map((p) => [p.busyLinks, p.updates]), [['1', 10]])
})
