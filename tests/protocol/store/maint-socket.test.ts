// The store's maintenance socket (SPEC §1.1: ken-maint's capability is health, metrics, backups —
// never a resident's data or a key): every operation of maint.proto is tried, each answer is
// scanned for the seeded residents' names and numbers and for the appliance key; operations not in
// the store's table are refused KEN_ERR_STORE_MAINT_UNSUPPORTED; only technician act kinds are
// recorded, under the technician's name. The metrics text is judged by promtool.
import t from 'tap'
import path from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'
import pino from 'pino'
import { encodeComplete } from '../../../proto/src/codec.ts'
import { MaintOperation, type MaintResponse } from '../../../proto/src/types.ts'
import { startStoreDaemon } from '../../../server/src/store/daemon.ts'
import { callMaint, type MaintCall } from '../../../server/src/store/maint-client.ts'
import { AppendClient } from '../../../server/src/store/append-client.ts'
import { generateRecipientKey } from '../../../server/src/store/backup/recipient-key.ts'
import { Cs, FUKUOKA, item, person, tempDir } from '../../unit/store/helpers.ts'
import { parseMetrics, promtoolProblems, sampleValue } from '../../helpers/prometheus.ts'

const dir = tempDir(t, 'ken-maint-sock-')
const admin = generateRecipientKey()
writeFileSync(path.join(dir, 'recipient.pub'), admin.publicPem)
const daemon = await startStoreDaemon({
  dbPath: path.join(dir, 'db'),
  socketPath: path.join(dir, 'store.sock'),
  keyFile: path.join(dir, 'appliance.key'),
  maintSocketPath: path.join(dir, 'maint.sock'),
  backup: { dir: path.join(dir, 'backups'), recipientFile: path.join(dir, 'recipient.pub') }
}, { logger: pino({ level: 'silent' }) })
t.teardown(async () => { await daemon.close() })
const maintSocket = path.join(dir, 'maint.sock')

// Seed residents through the append socket, as the gateway would.
const cs = new Cs(FUKUOKA)
// Seeds far from 0: person(0…39)'s 個人番号 (1, nine zeros, two digits) can appear in a float sum of the
// metrics text, which the leak check would take for a resident's (ken-maint.test.ts, session 13).
const residents = Array.from({ length: 40 }, (_, i) => person(1_234_567 + i))
const client = await AppendClient.connect(daemon.socketPath)
await client.append(residents.map((p) => item(cs.identity(p))))
await client.close()

/** What must never come out: names, kana, addresses, 住民票コード, 個人番号, birth dates, the appliance key. */
const secrets = [
  ...residents.flatMap((p) => [p.nameKanji, p.nameKana, p.address, p.juminhyoCode, p.kojinBango, p.birthDate]),
  readFileSync(path.join(dir, 'appliance.key')).toString('hex'),
  readFileSync(path.join(dir, 'appliance.key')).toString('base64')
]
const leaks = (r: MaintResponse | string): string[] => {
  const text = typeof r === 'string' ? r : JSON.stringify(r) + Buffer.from(encodeComplete('MaintResponse', r)).toString('latin1')
  return secrets.filter((s) => s !== '' && text.includes(s))
}

const call = async (c: Partial<MaintCall>): Promise<MaintResponse | string> => {
  try {
    return await callMaint(maintSocket, { operation: MaintOperation.UNSPECIFIED, technician: 'TE001', ...c })
  } catch (err) {
    return (err as { code: string }).code
  }
}

t.test('every operation of maint.proto, tried: answers carry no resident data and no key', async (t) => {
  for (const [name, operation] of Object.entries(MaintOperation)) {
    const r = await call({
      operation,
      act: { kind: 'maint.login', refused: false, reasonCode: '', note: 'try', count: 0 },
      tls: { certPem: '', keyPem: '', caPem: '', crlPem: '' },
      disposal: { mediaId: 'KB-none', reason: 'test' }
    })
    t.same(leaks(r), [], `${name}: nothing personal, no key`)
    if (name === 'UNSPECIFIED' || name === 'ROTATE_TLS') {
      t.equal(r, 'KEN_ERR_STORE_MAINT_UNSUPPORTED', `${name} is not offered by the store`)
      const last = await daemon.store.entries(daemon.store.head().position).next()
      t.ok(last.done !== true && last.value.entry.act?.kind === 'maint.refused' && last.value.entry.act.actor === 'TE001', 'and the attempt is recorded naming the technician')
    }
  }
})

t.test('health names the head; metrics parse (promtool) and count the updates', async (t) => {
  const h = await callMaint(maintSocket, { operation: MaintOperation.HEALTH, technician: 'TE001' })
  t.equal(h.health?.daemon, 'store')
  t.ok(h.health?.ok)
  t.equal(h.health?.logHeadHash, daemon.store.head().hash.toString('hex'))
  const m = await callMaint(maintSocket, { operation: MaintOperation.METRICS, technician: 'TE001' })
  t.same(await promtoolProblems(m.metricsText), [], 'promtool check metrics')
  const families = parseMetrics(m.metricsText)
  t.equal(sampleValue(families, 'ken_store_updates_total', { status: 'accepted' }), 40)
  t.ok((sampleValue(families, 'ken_store_append_duration_seconds') ?? 0) >= 1, 'the latency histogram counted the request')
  t.ok((sampleValue(families, 'ken_store_disk_free_bytes') ?? 0) > 0)
  t.ok((sampleValue(families, 'ken_store_commit_group_items') ?? 0) >= 1, 'commit groups counted')
  t.ok((sampleValue(families, 'ken_store_log_entries') ?? 0) >= 40)
  const age = sampleValue(families, 'ken_store_checkpoint_age_seconds')
  t.ok(age !== undefined && age >= 0 && age < 3600, `checkpoint age ${String(age)} s (SPEC §7 monitoring)`)
  t.ok((sampleValue(families, 'process_resident_memory_bytes') ?? 0) > 0)
  t.same(leaks(m.metricsText), [])
})

t.test('a backup on demand is entered in the register and recorded as the technician\'s act', async (t) => {
  const before = daemon.store.head().position
  const b = await callMaint(maintSocket, { operation: MaintOperation.BACKUP, technician: 'TE001' })
  t.equal(b.media.length, 1)
  t.equal(b.media[0]?.logPosition, before)
  const list = await callMaint(maintSocket, { operation: MaintOperation.MEDIA, technician: 'TE001' })
  t.equal(list.media[0]?.mediaId, b.media[0]?.mediaId, 'the newest line of the register')
  t.equal(list.media[0]?.generation, 1)
  const last = await daemon.store.entries(daemon.store.head().position).next()
  if (last.done === true) return t.fail('no entry')
  t.equal(last.value.entry.act?.kind, 'maint.backup')
  t.equal(last.value.entry.act?.actor, 'TE001')
})

t.test('only technician act kinds are recorded, each naming the technician', async (t) => {
  const ok = await callMaint(maintSocket, { operation: MaintOperation.RECORD_ACT, technician: 'TE002', act: { kind: 'maint.rotation', refused: false, reasonCode: '', note: 'gateway certificate', count: 1 } })
  const entry = await daemon.store.entries(ok.actPosition).next()
  if (entry.done === true) return t.fail('no entry')
  t.equal(entry.value.entry.act?.actor, 'TE002')
  t.equal(entry.value.entry.act?.role, 'technician')
  for (const kind of ['maint.restore', 'maint.backup', 'store.act-test', 'terminal.search']) {
    t.equal(await call({ operation: MaintOperation.RECORD_ACT, act: { kind, refused: false, reasonCode: '', note: '', count: 0 } }), 'KEN_ERR_STORE_MAINT_ACT_KIND', `${kind} refused`)
  }
  t.equal(await call({ operation: MaintOperation.RECORD_ACT, technician: '', act: { kind: 'maint.login', refused: false, reasonCode: '', note: '', count: 0 } }), 'KEN_ERR_STORE_INVALID_ARGUMENT', 'an act names its technician')
})

t.test('an append request sent straight to the maintenance socket appends nothing: the connection is closed', async (t) => {
  const before = daemon.store.head().position
  const net = await import('node:net')
  const { encodeFrame } = await import('../../../proto/src/framing.ts')
  const frame = encodeFrame(encodeComplete('AppendRequest', { batchId: 1, items: [item(cs.identity(person(99)))] }))
  const closed = await new Promise<boolean>((resolve) => {
    const s = net.connect(maintSocket, () => { s.write(frame) })
    s.on('data', () => undefined)
    s.on('error', () => undefined)
    const timer = setTimeout(() => { s.destroy(); resolve(false) }, 5000)
    s.once('close', () => { clearTimeout(timer); resolve(true) })
  })
  t.ok(closed, 'closed by the daemon')
  t.equal(daemon.store.head().position, before, 'nothing was appended')
  t.equal(await daemon.store.getCurrent(person(99).juminhyoCode), undefined)
})
