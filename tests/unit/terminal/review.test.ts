// The operation-history review's pure parts (SPEC §6): anomaly flags and the reproducible sample; and
// the statistics' server-drawn SVG charts, judged well-formed by xmllint (libxml2, not ours).
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { flagAnomalies, type ReviewAct } from '../../../server/src/terminal/review/anomalies.ts'
import { newSampleSeed, samplePositions } from '../../../server/src/terminal/review/sample.ts'
import { barChartSvg } from '../../../server/src/terminal/stats/bar-chart-svg.ts'

/** An act at `jst` (Japan time, 'YYYY-MM-DDTHH:MM'). */
function act (position: number, jst: string, fields: Partial<ReviewAct> = {}): ReviewAct {
  return { position, at: new Date(`${jst}:00+09:00`).toISOString(), actor: 'op-0001', kind: 'terminal.search', refused: false, ...fields }
}

t.test('off-hours: before 8, from 19, weekends and listed holidays', async (t) => {
  const acts = [act(1, '2026-11-27T07:59'), act(2, '2026-11-27T08:00'), act(3, '2026-11-27T18:59'), act(4, '2026-11-27T19:00'), act(5, '2026-11-28T10:00'), act(6, '2026-11-23T10:00')]
  const rules = { businessHours: [8, 19] as const, closedWeekdays: [0, 6], holidays: ['2026-11-23'], volumeFactor: 3, volumeMin: 30, fuzzyHits: 20, refusals: 3 }
  const flags = flagAnomalies(acts, rules)
  t.same([...flags.keys()].sort(), [1, 4, 5, 6])
  t.same(flags.get(1), ['off-hours'])
  // An office open on Saturdays (2026-11-28) and closed on Fridays (2026-11-27) instead.
  t.same([...flagAnomalies(acts, { ...rules, closedWeekdays: [0, 5] }).keys()].sort(), [1, 2, 3, 4, 6])
})

t.test('volume far above the operator\'s own median', async (t) => {
  const acts: ReviewAct[] = []
  let p = 0
  for (const d of ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']) for (let i = 0; i < 10; i++) acts.push(act(++p, `${d}T10:00`))
  for (let i = 0; i < 60; i++) acts.push(act(++p, '2026-11-06T10:00'))
  for (let i = 0; i < 60; i++) acts.push(act(++p, '2026-11-06T11:00', { actor: 'op-busy' }))
  const flags = flagAnomalies(acts)
  t.equal([...flags.values()].filter((f) => f.includes('volume')).length, 60, 'only the unusual day of op-0001; op-busy is always busy')
})

t.test('fuzzy searches with many hits and no view; repeated refusals', async (t) => {
  const acts = [
    act(1, '2026-11-27T10:00', { fuzzy: true, hits: 50 }),
    act(2, '2026-11-27T10:01', { kind: 'terminal.view' }),
    act(3, '2026-11-27T10:02', { fuzzy: true, hits: 50 }),
    act(4, '2026-11-27T10:03', { fuzzy: true, hits: 3 }),
    act(5, '2026-11-27T10:04', { refused: true, actor: 'op-2' }),
    act(6, '2026-11-27T10:05', { refused: true, actor: 'op-2' }),
    act(7, '2026-11-27T10:06', { refused: true, actor: 'op-2' })
  ]
  const flags = flagAnomalies(acts)
  t.notOk(flags.has(1), 'viewed after it')
  t.same(flags.get(3), ['fuzzy-no-view'])
  t.notOk(flags.has(4), 'few hits')
  t.same([5, 6, 7].map((p) => flags.get(p)), [['repeated-refusals'], ['repeated-refusals'], ['repeated-refusals']])
})

t.test('the sample is reproducible from its seed and unsteerable without it', async (t) => {
  const positions = Array.from({ length: 1000 }, (_, i) => i + 1)
  const seed = newSampleSeed()
  const a = samplePositions(positions, 50, seed)
  t.equal(a.length, 50)
  t.same(samplePositions([...positions].reverse(), 50, seed), a, 'the same seed, the same sample')
  t.same(a, [...a].sort((x, y) => x - y))
  t.notSame(samplePositions(positions, 50, newSampleSeed()), a)
  t.same(samplePositions(positions, 5, '00'.repeat(16)), samplePositions(positions, 5, '00'.repeat(16)))
  t.throws(() => samplePositions(positions, 5, 'xyz'))
})

t.test('bar charts are well-formed SVG with escaped labels', async (t) => {
  const svg = barChartSvg([{ label: '福岡市 <中央区> & "博多"', value: 1200 }, { label: '北九州市', value: 300 }], { title: '月間更新件数' })
  t.ok(svg.includes('&lt;中央区&gt; &amp; &quot;博多&quot;'))
  t.notOk(svg.includes('<中央区>'))
  t.ok(svg.includes('1,200'))
  execFileSync('xmllint', ['--noout', '-'], { input: svg })
  execFileSync('xmllint', ['--noout', '-'], { input: barChartSvg([], { title: 'なし' }) })
  t.throws(() => barChartSvg([{ label: 'x', value: -1 }], { title: 't' }))
})
