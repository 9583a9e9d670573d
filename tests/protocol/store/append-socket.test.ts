// The append socket (SPEC §3 last bullet, store.proto) driven over a real Unix socket: durable,
// deduplicated, gap-reporting, ordered under pipelining; a bad frame closes only its connection.
import t, { type Test } from 'tap'
import net from 'node:net'
import path from 'node:path'
import { statSync, writeFileSync } from 'node:fs'
import pino from 'pino'
import { encodeFrame } from '../../../proto/src/framing.ts'
import { ChangeReason, ResultStatus } from '../../../proto/src/types.ts'
import { startStoreDaemon, type StoreDaemon } from '../../../server/src/store/daemon.ts'
import { AppendClient } from '../../../server/src/store/append-client.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { Cs, FUKUOKA, item, juminhyoCode, person, tempDir } from '../../unit/store/helpers.ts'

interface Env { dir: string, daemon: StoreDaemon, paths: { dbPath: string, socketPath: string, keyFile: string } }

async function start (t: Test, dir = tempDir(t, 'ken-sock-')): Promise<Env> {
  const paths = { dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'keys', 'appliance.key') }
  const daemon = await startStoreDaemon(paths, { logger: pino({ level: 'silent' }) })
  t.teardown(async () => await daemon.close())
  return { dir, daemon, paths }
}

async function connect (t: Test, env: Env): Promise<AppendClient> {
  const client = await AppendClient.connect(env.paths.socketPath)
  t.teardown(async () => await client.close())
  return client
}

t.test('an update appended through the socket is durable: visible after reopening the database', async (t) => {
  const env = await start(t)
  t.equal(statSync(env.paths.socketPath).mode & 0o777, 0o660)
  const client = await connect(t, env)
  const cs = new Cs(FUKUOKA)
  const [born] = await client.append([item(cs.identity(person(1)))])
  const [moved] = await client.append([item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: '福岡県福岡市中央区天神一丁目1番1号' })))])
  t.equal(born?.status, ResultStatus.ACCEPTED)
  t.equal(moved?.status, ResultStatus.ACCEPTED)
  t.equal(moved?.logPosition, 2)
  await client.close()
  await env.daemon.close()
  const store = new LevelStore({ location: env.paths.dbPath, applianceKey: await loadApplianceKey(env.paths.keyFile, { create: false }) })
  await store.open()
  t.teardown(async () => await store.close())
  t.equal((await store.getCurrent(juminhyoCode(1)))?.address, '福岡県福岡市中央区天神一丁目1番1号')
  t.equal((await store.getHistory(juminhyoCode(1)))[0]?.record.address, person(1).address)
  t.equal(store.head().position, 2)
  t.same(store.head().hash, Buffer.from(moved?.entryHash ?? []))
})

t.test('a redelivery gets the first result and changes nothing; a gap is reported', async (t) => {
  const env = await start(t)
  const client = await connect(t, env)
  const cs = new Cs(FUKUOKA)
  const update = cs.identity(person(1))
  const [first] = await client.append([item(update)])
  const [again] = await client.append([item(update)])
  t.equal(again?.status, ResultStatus.DUPLICATE)
  t.equal(again?.logPosition, first?.logPosition)
  t.same(again?.entryHash, first?.entryHash)
  t.equal(env.daemon.store.head().position, 1)
  cs.advance(3)
  const [gap] = await client.append([item(cs.identity(person(2)))])
  t.equal(gap?.sequence, 5)
  t.equal(gap?.expectedSequence, 2)
})

t.test('many pipelined requests from one connection (a 転居 chain) apply in order', async (t) => {
  const env = await start(t)
  const client = await connect(t, env)
  const cs = new Cs(FUKUOKA)
  await client.append([item(cs.identity(person(1)))])
  const addresses = Array.from({ length: 300 }, (_, i) => `福岡県福岡市中央区天神${i + 1}丁目`)
  const pending = addresses.map(async (address) => await client.append([item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address })))]))
  t.ok(client.pending > 100, 'requests really were in flight together')
  const results = (await Promise.all(pending)).flat()
  t.same(results.map((r) => r.status), results.map(() => ResultStatus.ACCEPTED))
  t.same(results.map((r) => r.logPosition), results.map((_, i) => i + 2))
  t.equal((await env.daemon.store.getCurrent(juminhyoCode(1)))?.address, addresses.at(-1))
  t.equal((await env.daemon.store.getHistory(juminhyoCode(1))).length, 300)
})

t.test('a refused request is answered with its code; the connection stays usable', async (t) => {
  const env = await start(t)
  const client = await connect(t, env)
  const cs = new Cs(FUKUOKA)
  const bad = { ...item(cs.identity(person(1))), municipalityCode: '999999' }
  await t.rejects(client.append([bad]), { code: 'KEN_ERR_STORE_INVALID_ITEM' })
  const [ok] = await client.append([item(cs.identity(person(2)))])
  t.equal(ok?.status, ResultStatus.ACCEPTED)
  t.same(await client.append([]), [])
})

async function rawConnection (socketPath: string): Promise<{ socket: net.Socket, closed: Promise<void> }> {
  const socket = net.connect(socketPath)
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  socket.on('error', () => undefined)
  return { socket, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) }
}

t.test('an oversized or undecodable frame closes that connection only', async (t) => {
  const env = await start(t)
  const client = await connect(t, env)
  const cs = new Cs(FUKUOKA)
  const oversized = await rawConnection(env.paths.socketPath)
  const header = Buffer.alloc(4)
  header.writeUInt32BE(512 * 1024 * 1024)
  oversized.socket.write(header)
  await oversized.closed
  const garbage = await rawConnection(env.paths.socketPath)
  garbage.socket.write(encodeFrame(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])))
  await garbage.closed
  const unknownField = await rawConnection(env.paths.socketPath)
  unknownField.socket.write(encodeFrame(Buffer.from([0xf8, 0x06, 0x01])))
  await unknownField.closed
  const [ok] = await client.append([item(cs.identity(person(1)))])
  t.equal(ok?.status, ResultStatus.ACCEPTED, 'the other connection and the daemon go on')
  const late = await AppendClient.connect(env.paths.socketPath)
  t.equal((await late.append([item(cs.identity(person(2)))]))[0]?.status, ResultStatus.ACCEPTED, 'new connections are accepted')
  await late.close()
})

t.test('a client whose connection drops rejects what is unanswered', async (t) => {
  const env = await start(t)
  const client = await AppendClient.connect(env.paths.socketPath)
  const cs = new Cs(FUKUOKA)
  const pending = client.append([item(cs.identity(person(1)))])
  await client.close()
  await t.rejects(pending, { code: 'KEN_ERR_STORE_CONNECTION_CLOSED' })
  await t.rejects(client.append([item(cs.identity(person(2)))]), { code: 'KEN_ERR_STORE_CONNECTION_CLOSED' })
  t.ok(env.daemon.store.head().position <= 1)
})

t.test('close answers everything received before closing the database', async (t) => {
  const env = await start(t)
  const client = await AppendClient.connect(env.paths.socketPath)
  const cs = new Cs(FUKUOKA)
  const pending = Array.from({ length: 50 }, async (_, i) => await client.append([item(cs.identity(person(i)))]))
  // Close once the daemon has committed something while the rest are still in flight (a fixed
  // sleep raced a loaded machine); bounded at 10 s.
  for (let i = 0; i < 2000 && env.daemon.store.head().position === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  const closing = env.daemon.close()
  const settled = await Promise.allSettled(pending)
  await closing
  const answered = settled.filter((s) => s.status === 'fulfilled')
  const store = new LevelStore({ location: env.paths.dbPath, applianceKey: await loadApplianceKey(env.paths.keyFile, { create: false }) })
  await store.open()
  t.teardown(async () => await store.close())
  t.ok(answered.length > 0)
  t.ok(store.head().position >= answered.length, 'every answered append is in the log')
  t.ok(settled.every((s) => s.status === 'fulfilled' || (s.reason as { code?: string }).code === 'KEN_ERR_STORE_CONNECTION_CLOSED' || (s.reason as { code?: string }).code === 'KEN_ERR_STORE_NOT_OPEN'))
})

t.test('the socket path: a live daemon\'s is refused, a non-socket is refused', async (t) => {
  const env = await start(t)
  const second = { dbPath: path.join(env.dir, 'db2'), socketPath: env.paths.socketPath, keyFile: env.paths.keyFile }
  await t.rejects(startStoreDaemon(second, { logger: pino({ level: 'silent' }) }), { code: 'KEN_ERR_STORE_SOCKET_IN_USE' })
  const file = path.join(env.dir, 'not-a-socket')
  writeFileSync(file, 'x')
  await t.rejects(startStoreDaemon({ ...second, socketPath: file }, { logger: pino({ level: 'silent' }) }), { code: 'KEN_ERR_STORE_SOCKET_PATH' })
})
