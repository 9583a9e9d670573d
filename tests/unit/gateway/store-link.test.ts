// The link to the append socket: connects on demand, reconnects after a failure no sooner than
// retryMs, and turns every failure into a coded error (the caller then withholds the PUBACK).
import t from 'tap'
import { StoreLink, type AppendPort } from '../../../gateway/src/store-link.ts'
import { silentLogger } from '../../../gateway/src/logger.ts'
import type { AppendItem } from '../../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../../server/src/store/append-client.ts'

const item = { municipalityCode: '401307', payloadSha256: new Uint8Array(32) } as AppendItem
const result = {} as EncodedUpdateResult

function port (behaviour: (items: AppendItem[]) => Promise<EncodedUpdateResult[]>): AppendPort & { closed: boolean } {
  const p = { closed: false, append: behaviour, close: () => { p.closed = true } }
  return p
}

t.test('connects once, on demand, and reuses the connection', async (t) => {
  let connects = 0
  const link = new StoreLink(async () => { connects++; return port(async (items) => items.map(() => result)) }, { retryMs: 10, log: silentLogger })
  t.equal(connects, 0)
  t.same(await link.append([item, item]), [result, result])
  await link.append([item])
  t.equal(connects, 1)
  await link.close()
})

t.test('a failed append drops the connection; the next one reconnects after retryMs', async (t) => {
  let now = 1000
  const ports: Array<AppendPort & { closed: boolean }> = []
  let fail = true
  const link = new StoreLink(async () => {
    const p = port(async (items) => { if (fail) throw Object.assign(new Error('x'), { code: 'KEN_ERR_STORE_CONNECTION_CLOSED' }); return items.map(() => result) })
    ports.push(p)
    return p
  }, { retryMs: 30, log: silentLogger, now: () => now })
  await t.rejects(link.append([item]), { code: 'KEN_ERR_GW_STORE_UNAVAILABLE' })
  await new Promise((resolve) => setImmediate(resolve))
  t.ok(ports[0]?.closed, 'the broken connection is closed')
  fail = false
  const started = Date.now()
  now += 5 // within retryMs: waits the rest
  t.same(await link.append([item]), [result])
  t.ok(Date.now() - started >= 20, 'waited out retryMs')
  t.equal(ports.length, 2)
})

t.test('an unreachable store and a short answer are coded errors', async (t) => {
  const down = new StoreLink(async () => { throw new Error('ENOENT') }, { retryMs: 10, log: silentLogger })
  await t.rejects(down.append([item]), { code: 'KEN_ERR_GW_STORE_UNAVAILABLE' })
  const short = new StoreLink(async () => port(async () => [result]), { retryMs: 10, log: silentLogger })
  await t.rejects(short.append([item, item]), { code: 'KEN_ERR_GW_STORE_PROTOCOL' })
  const closed = new StoreLink(async () => port(async () => []), { retryMs: 10, log: silentLogger })
  await closed.close()
  await t.rejects(closed.append([item]), { code: 'KEN_ERR_GW_STORE_UNAVAILABLE' })
})
