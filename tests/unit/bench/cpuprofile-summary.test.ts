// bench/cpuprofile-summary.ts: self time by category and function, and --from/--to keeping one stretch
// of a profile (the end of a load against its start, issue 18).
import t from 'tap'
import { sliceProfile, summarise, type Profile } from '../../../bench/cpuprofile-summary.ts'

// root → sealing (store) and → the garbage collector; 10 samples of 1 ms: sealing first, GC last.
const profile: Profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 3] },
    { id: 2, callFrame: { functionName: 'seal', url: 'file:///x/server/src/store/sealing.ts', lineNumber: 1 } },
    { id: 3, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: 0 } }
  ],
  samples: [2, 2, 2, 2, 2, 2, 3, 3, 3, 3],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]
}

t.test('the whole profile: categories as shares of busy time', async (t) => {
  const text = summarise(profile, 5)
  t.match(text, /busy 0\.01 s/)
  t.match(text, /60\.0%\s+AES-GCM \(store sealing\)/)
  t.match(text, /40\.0%\s+GC/)
})

t.test('a stretch keeps only the samples taken in it', async (t) => {
  const tail = sliceProfile(profile, 0.65, 1)
  t.same(tail.samples, [3, 3, 3, 3])
  t.match(summarise(tail, 5), /100\.0%\s+GC/)
  const head = sliceProfile(profile, 0, 0.5)
  t.same(head.samples, [2, 2, 2, 2, 2])
  t.equal(head.timeDeltas.reduce((a, b) => a + b, 0), 5000)
})

t.test('a stretch outside 0–1 or empty is refused', async (t) => {
  t.throws(() => sliceProfile(profile, 0.5, 0.5), RangeError)
  t.throws(() => sliceProfile(profile, -0.1, 1), RangeError)
  t.throws(() => sliceProfile(profile, 0, 1.5), RangeError)
})
