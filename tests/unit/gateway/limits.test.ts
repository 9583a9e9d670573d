// The link limits with an injected clock: the token bucket, the publish permits (in-flight slot and
// rate token, room in the update budget; waiters woken, never dropped), and new connections per source per second.
import t from 'tap'
import { ConnectionRateLimiter, CsRateBuckets, PublishPermits, SharedUpdateBudget, TokenBucket } from '../../../gateway/src/limits.ts'

t.test('a token bucket holds one second of burst and refills at its rate', async (t) => {
  let now = 0
  const b = new TokenBucket(10, 10, () => now)
  for (let i = 0; i < 10; i++) t.ok(b.take(), `burst ${i}`)
  t.notOk(b.take(), 'empty')
  t.equal(b.msUntilToken(), 100, 'one token per 100 ms')
  now += 250
  t.ok(b.take())
  t.ok(b.take())
  t.notOk(b.take(), 'only what 250 ms refilled')
  now += 10_000
  let n = 0
  while (b.take()) n++
  t.equal(n, 10, 'never more than the burst')
})

t.test('permits: an in-flight slot per PUBLISH, returned by release(); the waiter is woken by it', async (t) => {
  const deltas: number[] = []
  const p = new PublishPermits(2, new TokenBucket(1e6), (d) => deltas.push(d))
  let woken = 0
  t.ok(p.take(() => woken++))
  t.ok(p.take(() => woken++))
  t.notOk(p.take(() => woken++), 'third waits')
  t.equal(p.inflight, 2)
  p.release()
  t.equal(woken, 1, 'the waiter got the freed slot')
  t.equal(p.inflight, 2, 'taken on its behalf')
  p.release()
  p.release()
  t.equal(p.inflight, 0)
  p.release()
  t.equal(p.inflight, 0, 'never below zero')
  t.same(deltas, [1, 1, -1, 1, -1, -1], 'the gauge follows')
})

t.test('permits: without tokens the waiter is woken by a timer', async (t) => {
  const p = new PublishPermits(100, new TokenBucket(50, 1))
  t.ok(p.take(() => {}))
  const started = Date.now()
  await new Promise<void>((resolve) => { t.notOk(p.take(resolve), 'no token left') })
  t.ok(Date.now() - started >= 15, 'woken once a token refilled (20 ms at 50/s)')
  t.equal(p.inflight, 2)
})

t.test('permits: cancel() drops the waiter and gives every slot back', async (t) => {
  const deltas: number[] = []
  const p = new PublishPermits(1, new TokenBucket(1e6), (d) => deltas.push(d))
  let woken = false
  p.take(() => {})
  p.take(() => { woken = true })
  p.cancel()
  p.release()
  t.notOk(woken)
  t.equal(p.inflight, 0)
  t.same(deltas, [1, -1])
})

t.test('the shared update budget: granted in the order asked, never above it, a withdrawn waiter unblocks the rest', async (t) => {
  const b = new SharedUpdateBudget(10)
  const went: string[] = []
  t.ok(b.take(6, () => went.push('x')), 'fits: taken at once')
  t.notOk(b.take(6, () => went.push('a')), 'a waits (6 + 6 > 10)')
  t.notOk(b.take(1, () => went.push('b')), 'b would fit, but does not overtake a')
  t.equal(b.used, 6)
  b.give(6)
  t.same(went, ['a', 'b'], 'both granted in order')
  t.equal(b.used, 7)
  t.notOk(b.take(50, () => went.push('c')), 'more than the budget waits for the whole budget')
  const d = (): void => { went.push('d') }
  t.notOk(b.take(1, d))
  t.ok(b.withdraw(d), 'a waiter can be withdrawn')
  t.notOk(b.withdraw(d), 'once')
  b.give(7)
  t.same(went, ['a', 'b', 'c'], 'c counted as the whole budget, d gone')
  t.equal(b.used, 10)
  const e = (): void => { went.push('e') }
  t.notOk(b.take(2, e))
  const f = (): void => { went.push('f') }
  t.notOk(b.take(1, f))
  b.give(1)
  t.same(went.slice(3), [], 'e (2) does not fit in 1; f waits behind it')
  t.ok(b.withdraw(e), 'e withdrawn (its link closed)')
  t.same(went.slice(3), ['f'], 'and f, behind it, gets the room')
  t.equal(b.used, 10)
})

t.test('permits with a shared budget: links wait for it in turn, each keeps its own order and stops reading', async (t) => {
  const shared = new SharedUpdateBudget(10)
  const a = new PublishPermits(100, new TokenBucket(1e6), () => {}, 8, shared)
  const b = new PublishPermits(100, new TokenBucket(1e6), () => {}, 8, shared)
  const went: string[] = []
  a.admitUpdates(8, (ok) => went.push(`a1 ${String(ok)}`))
  b.admitUpdates(4, (ok) => went.push(`b1 ${String(ok)}`))
  t.same(went, ['a1 true'], 'b1 (4) does not fit beside a1 (8) in 10')
  let bRead = false
  t.notOk(b.take(() => { bRead = true }), 'b reads no further while its batch waits for the shared budget')
  b.admitUpdates(1, (ok) => went.push(`b2 ${String(ok)}`))
  a.admitUpdates(1, (ok) => went.push(`a2 ${String(ok)}`))
  t.same(went, ['a1 true'], 'a2 would fit a\'s own budget but queues behind b1 for the shared one')
  a.release(8)
  t.same(went, ['a1 true', 'b1 true', 'b2 true', 'a2 true'], 'b first (it asked first), in each link\'s order')
  t.equal(shared.used, 6)
  t.ok(bRead, 'b reads again once its queue is empty')
  t.equal(a.updates + b.updates, shared.used, 'the shared count is the sum of the links\'')
  b.admitUpdates(8, (ok) => went.push(`b3 ${String(ok)}`))
  t.equal(went.at(-1), 'a2 true', 'b3 waits: b\'s own budget (5 + 8 > 8)')
  b.release(4)
  t.equal(went.at(-1), 'a2 true', 'still waits: b\'s own budget (1 + 8 > 8)')
  b.release(1)
  t.equal(went.at(-1), 'b3 true')
  a.admitUpdates(4, (ok) => went.push(`a3 ${String(ok)}`))
  t.equal(went.at(-1), 'b3 true', 'a3 waits for the shared budget (9 + 4 > 10)')
  a.cancel()
  t.equal(went.at(-1), 'a3 false', 'refused when a\'s connection goes, and withdrawn from the shared budget')
  a.release(1)
  b.release(8)
  t.equal(shared.used, 0, 'everything given back')
  b.admitUpdates(10, (ok) => went.push(`b4 ${String(ok)}`))
  t.equal(went.at(-1), 'b4 true', 'nothing left waiting in the shared budget')
})

t.test('permits: the update budget holds a batch that does not fit, in order, and the guard stops taking PUBLISHes', async (t) => {
  const p = new PublishPermits(100, new TokenBucket(1e6), () => {}, 10)
  const went: string[] = []
  t.ok(p.take(() => {}))
  p.admitUpdates(6, (ok) => went.push(`a ${String(ok)}`))
  t.ok(p.take(() => {}))
  p.admitUpdates(6, (ok) => went.push(`b ${String(ok)}`))
  t.same(went, ['a true'], 'the second batch (6 + 6 > 10) waits')
  t.equal(p.updates, 6)
  let granted = false
  t.notOk(p.take(() => { granted = true }), 'no PUBLISH is read while a batch waits for the budget')
  p.admitUpdates(1, (ok) => went.push(`c ${String(ok)}`))
  t.same(went, ['a true'], 'a small one does not overtake the waiting batch (SPEC §3 order)')
  p.release(6)
  t.same(went, ['a true', 'b true', 'c true'], 'both admitted once the first was answered, in order')
  t.equal(p.updates, 7)
  t.ok(granted, 'the guard\'s waiter got its PUBLISH slot back once the budget had room')
  for (let i = 0; i < 3; i++) p.admitUpdates(1, () => {})
  t.equal(p.updates, 10, 'never more than the budget')
  let woken = false
  t.notOk(p.take(() => { woken = true }), 'a full budget holds the next PUBLISH back')
  p.release(1)
  t.ok(woken)
  p.admitUpdates(50, (ok) => went.push(`d ${String(ok)}`))
  p.cancel()
  t.same(went.at(-1), 'd false', 'a waiting batch is refused when the connection goes')
})

t.test('permits: more updates than the budget counts as the whole budget, so it does not wait forever', async (t) => {
  const p = new PublishPermits(100, new TokenBucket(1e6), () => {}, 8)
  let ok = false
  p.admitUpdates(20, (a) => { ok = a })
  t.ok(ok)
  t.equal(p.updates, 8)
  p.release(20)
  t.equal(p.updates, 0)
})

t.test('one rate bucket per municipality, shared by its connections', async (t) => {
  const buckets = new CsRateBuckets(5, () => 0)
  t.equal(buckets.of('401307'), buckets.of('401307'))
  t.not(buckets.of('401307'), buckets.of('401005'))
})

t.test('new connections per source address in one-second windows', async (t) => {
  let now = 1_000
  const r = new ConnectionRateLimiter(2, () => now)
  t.ok(r.admit('10.0.0.1'))
  t.ok(r.admit('10.0.0.1'))
  t.notOk(r.admit('10.0.0.1'), 'third in the same second')
  t.ok(r.admit('10.0.0.2'), 'another source has its own count')
  now += 1000
  t.ok(r.admit('10.0.0.1'), 'a new second')
})
