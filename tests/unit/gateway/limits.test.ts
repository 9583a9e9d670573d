// The link limits with an injected clock: the token bucket, the publish permits (in-flight slot and
// rate token; waiters woken, never dropped), and new connections per source per second.
import t from 'tap'
import { ConnectionRateLimiter, CsRateBuckets, PublishPermits, TokenBucket } from '../../../gateway/src/limits.ts'

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
