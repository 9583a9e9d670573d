// End to end (SPEC §3, §2.4): the real store daemon and ken-gateway as their own processes, real
// mqtt.js CS clients over mutual TLS 1.3. An update is ACCEPTED and its result (log position, entry
// hash) reaches the CS; every logic rejection of §2.4 reaches the CS as REJECTED with its code over
// the same link, which stays up for the next valid update; and once the daemons are stopped the
// store holds exactly what the results said, and `ken-store verify` passes.
import t from 'tap'
import { createHash } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { encode } from '../../proto/src/codec.ts'
import { topicFor } from '../../proto/src/topics.ts'
import { ChangeReason, ResultStatus, type IdentityUpdate, type Update, type UpdateResult } from '../../proto/src/types.ts'
import { connectCs, ResultInbox } from '../protocol/gateway/helpers/mqtt.ts'
import { updateFor } from '../protocol/gateway/helpers/updates.ts'
import { FUKUOKA, KITAKYUSHU, kenStoreVerify, startAppliance, type Credential } from './helpers/appliance.ts'

const NEW_ADDRESS = '福岡県福岡市中央区試験町二丁目2番2号'

const app = await startAppliance(t, [FUKUOKA, KITAKYUSHU])
const credential = (code: string): Credential => {
  const c = app.cs.get(code)
  if (c === undefined) throw new Error(`no credential for ${code}`)
  return c
}

/** One CS link: publish an update, wait for its PUBACK and then its result on the same link. */
class CsLink {
  readonly client: MqttClient
  readonly inbox: ResultInbox
  readonly code: string
  constructor (code: string, client: MqttClient) {
    this.code = code
    this.client = client
    this.inbox = new ResultInbox(client)
  }

  async send (update: Update): Promise<{ result: UpdateResult | undefined, payload: Buffer }> {
    const payload = Buffer.from(encode('Update', update))
    const n = this.inbox.results.length
    await this.client.publishAsync(topicFor('update', this.code), payload, { qos: 1 })
    const results = await this.inbox.waitFor(n + 1, 30_000)
    return { result: results[n], payload }
  }
}

async function link (code: string): Promise<CsLink> {
  const client = await connectCs(app.port, app.ca, credential(code), `cs-${code}`, { connectTimeout: 20_000 })
  t.teardown(async () => { await client.endAsync(true) })
  await client.subscribeAsync(topicFor('result', code), { qos: 1 })
  return new CsLink(code, client)
}

/** The update `base` with its identity body changed. */
function changed (base: Update, over: Partial<IdentityUpdate>): Update {
  if (base.identity === undefined || base.identity === null) throw new Error('not an identity update')
  return { ...base, identity: { ...base.identity, ...over } }
}

const fukuoka = await link(FUKUOKA)
const kitakyushu = await link(KITAKYUSHU)

// Residents: A and B of 福岡市, K of 北九州市; U was never registered.
const A = updateFor(FUKUOKA, 1, 1)
const B = updateFor(FUKUOKA, 4, 2)
const K = updateFor(KITAKYUSHU, 1, 1)
const U = updateFor(FUKUOKA, 7, 999)
const codeOf = (u: Update): string => u.identity?.juminhyoCode ?? ''

const accepted: Array<{ label: string, result: UpdateResult | undefined }> = []
const rejected: Array<{ label: string, code: string, result: UpdateResult | undefined }> = []

t.test('an update from a CS certificate is ACCEPTED end to end and the CS gets its result', async (t) => {
  const { result, payload } = await fukuoka.send(A)
  accepted.push({ label: 'A 転入', result })
  t.equal(result?.status, ResultStatus.ACCEPTED, 'ACCEPTED')
  t.equal(result?.municipalityCode, FUKUOKA, 'for the CS of the certificate')
  t.equal(result?.sequence, 1, 'its 更新順番号')
  t.equal(result?.requestId, 'REQ-1', 'its 依頼管理番号')
  t.equal(result?.reasonCode, '', 'no reason code')
  t.ok((result?.logPosition ?? 0) >= 1, 'a log position')
  t.equal(result?.entryHash.length, 32, 'a 32-byte entry hash')
  t.same(Buffer.from(result?.payloadSha256 ?? []), createHash('sha256').update(payload).digest(), 'the hash of the payload sent')

  const k = await kitakyushu.send(K)
  accepted.push({ label: 'K 転入', result: k.result })
  t.equal(k.result?.status, ResultStatus.ACCEPTED, 'another CS registers its own resident')
})

const logicRejections: Array<[string, () => Update, string, string]> = [
  ['a 転入 of a person who is already resident', () => updateFor(FUKUOKA, 2, 1), 'KEN_REJECT_ALREADY_RESIDENT', 'identity.juminhyo_code'],
  ['a 転居 that changes an item other than the address', () => changed(updateFor(FUKUOKA, 3, 1), { changeReason: ChangeReason.TENKYO, address: NEW_ADDRESS, nameKana: 'シケン　ジロウ' }), 'KEN_REJECT_TENKYO_NON_ADDRESS', 'identity.name_kana'],
  ['a removal of a person already removed', () => changed(updateFor(FUKUOKA, 6, 2), { changeReason: ChangeReason.TENSHUTSU }), 'KEN_REJECT_ALREADY_REMOVED', 'identity.juminhyo_code'],
  ['a 転居 for a 住民票コード that does not exist', () => changed(U, { changeReason: ChangeReason.TENKYO, address: NEW_ADDRESS }), 'KEN_REJECT_UNKNOWN_RESIDENT', 'identity.juminhyo_code'],
  ['a 転居 of a resident of another municipality', () => changed({ ...updateFor(FUKUOKA, 8), identity: K.identity ?? null }, { changeReason: ChangeReason.TENKYO, address: NEW_ADDRESS }), 'KEN_REJECT_OTHER_MUNICIPALITY', 'identity.juminhyo_code']
]

t.test('every logic rejection of SPEC §2.4 reaches the CS as REJECTED with its code, the link stays up', async (t) => {
  // B is registered and moves out first, so that a second removal has a removed person to refuse.
  for (const [label, u] of [['B 転入', B], ['B 転出', changed(updateFor(FUKUOKA, 5, 2), { changeReason: ChangeReason.TENSHUTSU })]] as const) {
    const { result } = await fukuoka.send(u)
    accepted.push({ label, result })
    t.equal(result?.status, ResultStatus.ACCEPTED, label)
  }
  for (const [label, make, code, field] of logicRejections) {
    const update = make()
    const before = fukuoka.inbox.results.at(-1)?.logPosition ?? 0
    const { result } = await fukuoka.send(update)
    rejected.push({ label, code, result })
    t.equal(result?.status, ResultStatus.REJECTED, `${label}: REJECTED`)
    t.equal(result?.reasonCode, code, `${label}: ${code}`)
    t.equal(result?.field, field, `${label}: the field to blame`)
    t.equal(result?.sequence, update.sequence, `${label}: its 更新順番号 echoed`)
    t.ok((result?.logPosition ?? 0) > before, `${label}: recorded in the log`)
    t.equal(result?.entryHash.length, 32, `${label}: the rejection record's entry hash`)
    t.equal(fukuoka.client.connected, true, `${label}: the link is still up`)
  }
  // The same connection carries the next valid update: A moves (address only).
  const { result } = await fukuoka.send(changed(updateFor(FUKUOKA, 9, 1), { changeReason: ChangeReason.TENKYO, address: NEW_ADDRESS }))
  accepted.push({ label: 'A 転居', result })
  t.equal(result?.status, ResultStatus.ACCEPTED, 'a following valid update on the same link is ACCEPTED')
  t.equal(result?.sequence, 9, 'its 更新順番号')
})

t.test('after the daemons stop, the store holds exactly what the CS was told', async (t) => {
  await fukuoka.client.endAsync()
  await kitakyushu.client.endAsync()
  t.same(await app.stop(), { gateway: 0, store: 0 }, 'both daemons stop cleanly on SIGTERM')
  const store = await app.openStore()
  t.teardown(async () => { await store.close() })

  const a = await store.getCurrent(codeOf(A))
  t.equal(a?.juminhyoCode, codeOf(A), 'A is in the file')
  t.equal(a?.status, 'current', 'current')
  t.equal(a?.municipalityCode, FUKUOKA, 'registered in 福岡市')
  t.equal(a?.address, NEW_ADDRESS, 'with the address of the accepted 転居')
  t.equal(a?.nameKana, A.identity?.nameKana, 'and not the name of the rejected 転居')
  t.equal(a?.sequence, 9, 'produced by 更新順番号 9')
  t.equal(await store.findByKojinBango(A.identity?.kojinBango ?? ''), codeOf(A), 'indexed by 個人番号')
  t.equal((await store.getCurrent(codeOf(B)))?.status, 'removed', 'B removed once')
  const k = await store.getCurrent(codeOf(K))
  t.same([k?.municipalityCode, k?.address, k?.sequence], [KITAKYUSHU, K.identity?.address, 1], 'K untouched by the other municipality')
  t.equal(await store.getCurrent(codeOf(U)), undefined, 'no record was created for the unknown 住民票コード')

  // Every result names the log entry that records it, by position and hash.
  const byPosition = new Map<number, { hash: Buffer, status: number, reason: string, sequence: number, municipality: string }>()
  for await (const e of store.entries()) {
    const u = e.entry.update
    if (u !== undefined && u !== null) byPosition.set(e.position, { hash: e.hash, status: u.status, reason: u.reasonCode, sequence: u.sequence, municipality: u.municipalityCode })
  }
  t.equal(byPosition.size, accepted.length + rejected.length, 'one log entry per update sent, nothing else')
  for (const { label, result } of accepted) {
    const e = byPosition.get(result?.logPosition ?? -1)
    t.same([e?.status, e?.sequence, e?.municipality], [ResultStatus.ACCEPTED, result?.sequence, result?.municipalityCode], `${label}: logged ACCEPTED where the result said`)
    t.same(e?.hash, Buffer.from(result?.entryHash ?? []), `${label}: the entry hash the CS received`)
  }
  for (const { label, code, result } of rejected) {
    const e = byPosition.get(result?.logPosition ?? -1)
    t.same([e?.status, e?.reason, e?.sequence], [ResultStatus.REJECTED, code, result?.sequence], `${label}: its rejection record`)
    t.same(e?.hash, Buffer.from(result?.entryHash ?? []), `${label}: the entry hash the CS received`)
  }
  t.same(await store.counts(FUKUOKA), { current: 1, accepted: 4, rejected: logicRejections.length }, '福岡市: A current, 4 accepted, 5 rejected')
  t.same(await store.counts(KITAKYUSHU), { current: 1, accepted: 1, rejected: 0 }, '北九州市: K')
  await store.close()

  const verify = await kenStoreVerify(app.paths.dbDir)
  t.equal(verify.code, 0, 'ken-store verify exits 0')
  t.same([verify.report.ok, verify.report.entries], [true, accepted.length + rejected.length], 'and verified every entry')
})
