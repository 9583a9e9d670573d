// The outbox socket (SPEC §1.1 ken-national's row, §5.1; outbox.proto) over a real Unix socket: the
// forwards of ACCEPTED updates only, in log order, chained by previous_position; 附票 forwards carry no
// 個人番号; the confirmed position is durable (a national.forward act and its view) and survives a
// restart; one consumer at a time; any other message — an AppendRequest included — closes the link.
import t, { type Test } from 'tap'
import net from 'node:net'
import path from 'node:path'
import pino from 'pino'
import { encode } from '../../../proto/src/codec.ts'
import { encodeFrame } from '../../../proto/src/framing.ts'
import { ChangeReason } from '../../../proto/src/types.ts'
import { startStoreDaemon, type StoreDaemon } from '../../../server/src/store/daemon.ts'
import { OutboxClient } from '../../../server/src/national/outbox-client.ts'
import { decodeOutboxForward } from '../../../server/src/national/outbox-batch.ts'
import { Cs, FUKUOKA, KITAKYUSHU, fuhyo, item, person, tempDir } from '../../unit/store/helpers.ts'

interface Env { daemon: StoreDaemon, paths: { dbPath: string, socketPath: string, keyFile: string, outboxSocketPath: string } }

async function start (t: Test, dir = tempDir(t, 'ken-outbox-')): Promise<Env> {
  const paths = { dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'keys', 'appliance.key'), outboxSocketPath: path.join(dir, 'run', 'outbox.sock') }
  const daemon = await startStoreDaemon(paths, { logger: pino({ level: 'silent' }) })
  t.teardown(async () => await daemon.close())
  return { daemon, paths }
}

/** Six entries: accepted 出生, rejected duplicate 出生, accepted 附票, a test act, accepted 転居, accepted 出生 (北九州). */
async function fill (env: Env): Promise<void> {
  const fk = new Cs(FUKUOKA)
  const kk = new Cs(KITAKYUSHU)
  const store = env.daemon.store
  await store.append([item(fk.identity(person(1))), item(fk.identity(person(1)))])
  await store.append([item(fk.fuhyo(fuhyo(1, FUKUOKA)))])
  await store.recordAct({ kind: 'store.act-test', actor: 'tester' })
  await store.append([item(fk.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2021-01-01', address: '福岡県福岡市中央区天神9丁目' }))), item(kk.identity(person(2)))])
}

async function closedWithoutAnswer (socket: net.Socket, bytes: Buffer): Promise<number> {
  let received = 0
  socket.on('data', (c: Buffer) => { received += c.length })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(bytes)
  await new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return received
}

t.test('forwards: accepted updates only, in order, chained; 附票 without 個人番号; confirm is durable', async (t) => {
  const dir = tempDir(t, 'ken-outbox-')
  let env = await start(t, dir)
  await fill(env)
  let client = await OutboxClient.connect(env.paths.outboxSocketPath)
  const batch = await client.read(0, 100, 0)
  t.equal(batch.errorCode, '')
  t.equal(batch.confirmed, 0)
  const positions = batch.items.map((i) => i.position)
  t.same(positions, [1, 3, 5, 6], 'the rejection (2) and the act (4) are not forwarded')
  t.same(batch.items.map((i) => { const f = decodeOutboxForward(i); return (f.identity ?? f.fuhyo)?.previousPosition }), [0, 1, 3, 5], 'each names its predecessor')
  t.equal(batch.items[1]?.kind, 'fuhyo', 'position 3 is a 附票 forward')
  const fuhyoItem = batch.items[1] === undefined ? undefined : decodeOutboxForward(batch.items[1]).fuhyo
  t.ok(fuhyoItem !== undefined && fuhyoItem !== null)
  t.notOk('kojinBango' in (fuhyoItem ?? {}), 'a 附票 forward has no 個人番号 field at all')
  const first = batch.items[0] === undefined ? undefined : decodeOutboxForward(batch.items[0]).identity
  t.equal(first?.kojinBango, person(1).kojinBango, 'a 本人確認情報 forward carries the 個人番号')
  t.equal(first?.prefectureCode, '40')
  t.equal(batch.scannedTo, 6)

  client.close()
})

t.test('a confirm is recorded as a national.forward act, and the confirmed position survives a restart', async (t) => {
  const dir = tempDir(t, 'ken-outbox-')
  let env = await start(t, dir)
  await fill(env)
  let client = await OutboxClient.connect(env.paths.outboxSocketPath)
  await client.read(0, 100, 0)
  t.equal((await client.confirm(4, 'CN=sim')).errorCode, 'KEN_ERR_STORE_OUTBOX_CONFIRM', 'position 4 is no forward')
  const ok = await client.confirm(3, 'CN=national-server serial=01')
  t.same([ok.errorCode, ok.confirmed, ok.actPosition], ['', 3, 7])
  t.equal((await client.confirm(3, 'CN=sim')).errorCode, '', 'confirming the confirmed position again is an answer')
  t.equal((await client.confirm(1, 'CN=sim')).errorCode, 'KEN_ERR_STORE_OUTBOX_CONFIRM', 'no going back')
  const acts = []
  for await (const r of env.daemon.store.entries(7, 7)) acts.push(r.entry.act)
  t.match(acts[0], { kind: 'national.forward', actor: 'ken-national', terminal: 'CN=national-server serial=01', fromPosition: 1, toPosition: 3, count: 2, refused: false })
  client.close()
  await env.daemon.close()

  env = await start(t, dir)
  t.equal(await env.daemon.store.outboxConfirmed(), 3)
  client = await OutboxClient.connect(env.paths.outboxSocketPath)
  const again = await client.read(0, 100, 0)
  t.equal(again.confirmed, 3)
  t.same(again.items.map((i) => { const f = decodeOutboxForward(i); return [i.position, (f.identity ?? f.fuhyo)?.previousPosition] }), [[5, 3], [6, 5]], 'resumes after the confirmed forward, chained to it')
  client.close()
})

t.test('reads continue only right after the previous batch; a read with nothing to give waits for the next commit', async (t) => {
  const env = await start(t)
  await fill(env)
  const client = await OutboxClient.connect(env.paths.outboxSocketPath)
  t.teardown(() => client.close())
  const first = await client.read(0, 2, 0)
  t.same(first.items.map((i) => i.position), [1, 3])
  t.equal(first.scannedTo, 3)
  t.equal((await client.read(7, 10, 0)).errorCode, 'KEN_ERR_STORE_OUTBOX_POSITION')
  const rest = await client.read(4, 10, 0)
  t.same(rest.items.map((i) => i.position), [5, 6])
  const waiting = client.read(rest.scannedTo + 1, 10, 5000)
  const cs = new Cs(FUKUOKA)
  cs.advance(10)
  await env.daemon.store.append([item(cs.identity(person(30)))])
  const woke = await waiting
  t.same(woke.items.map((i) => i.position), [7], 'the new forward arrives on the waiting read')
  t.equal(woke.items[0] === undefined ? undefined : decodeOutboxForward(woke.items[0]).identity?.previousPosition, 6)
})

t.test('one consumer at a time; anything but an OutboxRequest closes the connection unanswered', async (t) => {
  const env = await start(t)
  await fill(env)
  const first = await OutboxClient.connect(env.paths.outboxSocketPath)
  t.teardown(() => first.close())
  await first.read(0, 1, 0)
  const second = net.connect(env.paths.outboxSocketPath)
  t.equal(await closedWithoutAnswer(second, encodeFrame(encode('OutboxRequest', { read: { fromPosition: 0, maxItems: 10, waitMs: 0 } }))), 0, 'a second consumer gets nothing')
  t.equal((await first.read(2, 10, 0)).errorCode, '', 'the first goes on')
  first.close()
  await new Promise((resolve) => setTimeout(resolve, 50))

  const append = net.connect(env.paths.outboxSocketPath)
  const appendRequest = encode('AppendRequest', { batchId: 1, items: [item(new Cs(FUKUOKA).identity(person(9)))] })
  t.equal(await closedWithoutAnswer(append, encodeFrame(appendRequest)), 0, 'an AppendRequest is refused: the outbox cannot append')
  const garbage = net.connect(env.paths.outboxSocketPath)
  t.equal(await closedWithoutAnswer(garbage, encodeFrame(Buffer.from([0x0a, 0x0b, 0x31, 0x32, 0x33]))), 0, 'an undecodable frame is refused')
  const empty = net.connect(env.paths.outboxSocketPath)
  t.equal(await closedWithoutAnswer(empty, encodeFrame(new Uint8Array(0))), 0, 'a request with no member is refused')
  t.equal((await env.daemon.store.counts(FUKUOKA)).accepted, 3, 'nothing was appended through the outbox')
})

t.test('a crypto-shredded update is passed, whether its key was in memory or is read with the rest of a batch', async (t) => {
  const dir = tempDir(t, 'ken-outbox-')
  let env = await start(t, dir)
  const cs = new Cs(FUKUOKA)
  const store = env.daemon.store
  await store.append([item(cs.identity(person(1)))])
  await store.append([item(cs.identity(person(1, { changeReason: ChangeReason.SHIBOU, changeDate: '2023-01-01' })))])
  await store.append([item(cs.identity(person(2)))])
  const keyId = await store.keyIdOf(person(1).juminhyoCode)
  if (keyId === undefined) throw new Error('no key id')
  // Answered once the erasure's log entry is durable; the keys space may still hold the wrapped key.
  await store.eraseResidentKey(keyId, { actor: 'admin01', approver: 'secoff01', note: 'outbox test' })
  const forwarded = async (): Promise<Array<[number | undefined, number | undefined]>> => {
    const client = await OutboxClient.connect(env.paths.outboxSocketPath)
    const batch = await client.read(0, 100, 0)
    client.close()
    return batch.items.map((i) => { const f = decodeOutboxForward(i); return [i.position, (f.identity ?? f.fuhyo)?.previousPosition] })
  }
  t.same(await forwarded(), [[1, 0], [3, 1]], 'the 死亡 (2) is passed; 3 names 1 as its predecessor')
  await env.daemon.close()
  env = await start(t, dir)
  t.same(await forwarded(), [[1, 0], [3, 1]], 'after a restart, with no key in memory, the same')
})
