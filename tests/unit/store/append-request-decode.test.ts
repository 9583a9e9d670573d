// The append socket's one-pass AppendRequest decode (server/src/store/append-request-decode.ts) against
// the codec's strict decode (proto/src/codec.ts decode, the path it replaces): over many random requests
// of every item kind (本人確認情報, 附票, gateway refusals), with fields left out, written as their
// defaults, out of order, sent as the gateway sends them (update bytes) or re-encoded, and then
// damaged, both give the same object — key for key and in the same key order, so that what the store
// seals from it (protobufjs writes every own field, defaults included: note-s9) is the same bytes — or
// the same refusal.
import t from 'tap'
import type { Test } from 'tap'
import { isDeepStrictEqual } from 'node:util'
import { decode, encode, encodeComplete } from '../../../proto/src/codec.ts'
import { ChangeReason, FuhyoNotice, FuhyoState, Sex, Stream, type AppendItem, type AppendRequest, type FuhyoUpdate, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import { decodeAppendRequest, decodePlainAppendRequest } from '../../../server/src/store/append-request-decode.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from '../../../server/src/store/append-request.ts'
import { FUKUOKA, fuhyo, person } from './helpers.ts'

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), a | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const STRINGS = ['', '0', '福岡市', 'ヤマダ タロウ', '𠮷野家', 'a'.repeat(200), '髙橋\u0000x', 'Ω≈ç√']

function randomize<T extends object> (r: () => number, base: T): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [key, value] of Object.entries(out)) {
    const p = r()
    if (p < 0.25) {
      // The proto3 default: left off the wire by protobufjs.
      out[key] = typeof value === 'string' ? '' : typeof value === 'boolean' ? false : typeof value === 'number' ? 0 : value
    } else if (p < 0.45) {
      if (typeof value === 'string') out[key] = STRINGS[Math.floor(r() * STRINGS.length)]
      else if (typeof value === 'boolean') out[key] = r() < 0.5
      else if (typeof value === 'number' && key !== 'sex' && key !== 'changeReason' && key !== 'state' && key !== 'notice') out[key] = Math.floor(r() * 2 ** 31)
    }
  }
  return out as T
}

function randomUpdate (r: () => number, i: number): Update {
  const envelope = {
    municipalityCode: r() < 0.9 ? FUKUOKA : '',
    stream: r() < 0.8 ? Stream.NORMAL : r() < 0.5 ? Stream.UNSPECIFIED : Stream.ABNORMAL,
    sequence: [0, 1, i + 1, 2 ** 32 + i, Number.MAX_SAFE_INTEGER][Math.floor(r() * 5)] as number,
    requestId: r() < 0.8 ? `REQ-${i}` : '',
    operatorId: r() < 0.8 ? 'OP0001' : '',
    terminalId: r() < 0.8 ? 'TERM01' : '',
    timestamp: r() < 0.8 ? '2024-04-01T10:00:00+09:00' : ''
  }
  if (r() < 0.5) {
    const reasons = Object.values(ChangeReason)
    const body: IdentityUpdate = randomize(r, person(i, { changeReason: reasons[Math.floor(r() * reasons.length)] as ChangeReason, sex: r() < 0.5 ? Sex.MALE : Sex.FEMALE }))
    return { ...envelope, identity: body, fuhyo: null }
  }
  const body: FuhyoUpdate = randomize(r, fuhyo(i, FUKUOKA, { state: r() < 0.5 ? FuhyoState.CURRENT : FuhyoState.UNSPECIFIED, notice: r() < 0.5 ? FuhyoNotice.NEW : FuhyoNotice.UNSPECIFIED }))
  return { ...envelope, identity: null, fuhyo: body }
}

/** The update's bytes, as a CS may send them: canonical, or with some fields written last. */
function updateBytes (r: () => number, update: Update): Buffer {
  if (r() < 0.5) return Buffer.from(encode('Update', update))
  const { municipalityCode, timestamp, ...rest } = update
  return Buffer.concat([encode('Update', rest), encode('Update', { timestamp }), encode('Update', { municipalityCode })])
}

function randomRequest (r: () => number, n: number): Buffer {
  const items: OutgoingAppendItem[] = []
  const count = Math.floor(r() * 8)
  for (let k = 0; k < count; k++) {
    const sha = r() < 0.9 ? Buffer.alloc(32, k) : Buffer.alloc(0)
    const code = r() < 0.9 ? FUKUOKA : ''
    const p = r()
    if (p < 0.15) {
      const rejection = { reasonCode: r() < 0.8 ? 'KEN_REJECT_MALFORMED' : '', field: r() < 0.5 ? 'identity.sex' : '', stream: r() < 0.5 ? Stream.NORMAL : Stream.UNSPECIFIED, sequence: r() < 0.5 ? n : 0, requestId: '', payloadLength: Math.floor(r() * 4096) }
      items.push({ municipalityCode: code, update: null, rejection, payloadSha256: sha })
    } else {
      const update = randomUpdate(r, n * 8 + k)
      if (p < 0.6) items.push({ municipalityCode: code, update, rejection: null, updateBytes: updateBytes(r, update), payloadSha256: sha })
      else items.push({ municipalityCode: code, update, rejection: null, payloadSha256: sha })
    }
  }
  const batchId = [0, n, 2 ** 40 + n][Math.floor(r() * 3)] as number
  return Buffer.from(encodeAppendRequest(batchId, items))
}

/** Every key of `x`, nested, in the order the object holds them. */
function keyOrder (x: unknown): unknown {
  if (Array.isArray(x)) return x.map(keyOrder)
  if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x instanceof Uint8Array ? `${x.constructor.name}:${x.length}` : typeof x
  return Object.entries(x).map(([k, v]) => [k, keyOrder(v)])
}

type Outcome = { ok: true, value: AppendRequest } | { ok: false, code: string }
function outcome (fn: () => AppendRequest): Outcome {
  try {
    return { ok: true, value: fn() }
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code ?? String(err) }
  }
}

function sameAsCodec (t: Test, frame: Buffer, what: string): boolean {
  const old = outcome(() => decode('AppendRequest', frame))
  const fast = outcome(() => decodeAppendRequest(frame))
  if (!old.ok || !fast.ok) {
    if (old.ok !== fast.ok || (!old.ok && !fast.ok && old.code !== fast.code)) {
      t.fail(`${what}: ${JSON.stringify(old.ok ? 'decoded' : old.code)} vs ${JSON.stringify(fast.ok ? 'decoded' : fast.code)}`)
      return false
    }
    return true
  }
  if (!isDeepStrictEqual(fast.value, old.value) || !isDeepStrictEqual(keyOrder(fast.value), keyOrder(old.value))) {
    t.fail(`${what}: different objects`)
    return false
  }
  const a = Buffer.from(encodeComplete('AppendRequest', fast.value))
  const b = Buffer.from(encodeComplete('AppendRequest', old.value))
  if (!a.equals(b)) {
    t.fail(`${what}: different bytes when encoded again`)
    return false
  }
  for (const [k, item] of old.value.items.entries()) {
    const fastItem = fast.value.items[k] as AppendItem
    const body = (i: AppendItem): Uint8Array => i.update?.fuhyo != null ? encodeComplete('FuhyoUpdate', i.update.fuhyo) : i.update?.identity != null ? encodeComplete('IdentityUpdate', i.update.identity) : new Uint8Array(0)
    if (!Buffer.from(body(fastItem)).equals(body(item))) {
      t.fail(`${what}: item ${k}'s body encodes differently`)
      return false
    }
  }
  return true
}

t.test('random requests decode to the codec\'s objects, key for key and byte for byte', async (t) => {
  const r = rng(18)
  let decoded = 0
  let fuhyoItems = 0
  let failures = 0
  for (let n = 0; n < 3000 && failures < 5; n++) {
    const frame = randomRequest(r, n)
    if (!sameAsCodec(t, frame, `request ${n}`)) failures++
    const request = decode('AppendRequest', frame)
    // The one-pass walk itself decodes what a gateway sends (not the codec behind it).
    if (decodePlainAppendRequest(frame) !== undefined) decoded++
    fuhyoItems += request.items.filter((i) => i.update?.fuhyo != null).length
  }
  t.equal(failures, 0, 'every request alike')
  t.equal(decoded, 3000, 'all of them decoded by the one-pass walk')
  t.ok(fuhyoItems > 1000, `${fuhyoItems} 附票 items among them`)
})

t.test('damaged requests are refused alike (or decoded alike)', async (t) => {
  const r = rng(1818)
  let refused = 0
  let failures = 0
  for (let n = 0; n < 3000 && failures < 5; n++) {
    const frame = randomRequest(r, n)
    if (frame.length === 0) continue
    const damaged = Buffer.from(frame)
    const how = r()
    let changed: Buffer
    if (how < 0.4) {
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) damaged[Math.floor(r() * damaged.length)] = Math.floor(r() * 256)
      changed = damaged
    } else if (how < 0.6) {
      changed = damaged.subarray(0, Math.floor(r() * damaged.length))
    } else if (how < 0.8) {
      // A field appended: unknown, a second batch id, a wrong wire type, or an overlong varint.
      const tails = [[0x18, 1], [0x08, 1], [0x0a, 0], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x12, 0x02, 0x20, 0x01]]
      changed = Buffer.concat([damaged, Buffer.from(tails[Math.floor(r() * tails.length)] as number[])])
    } else {
      // A batch id above 2^53, a non-minimal varint, or an item with an enum no one defined.
      const heads = [[0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], [0x12, 0x00], [0x12, 0x04, 0x1a, 0x02, 0x18, 0x63]]
      changed = Buffer.concat([Buffer.from(heads[Math.floor(r() * heads.length)] as number[]), damaged])
    }
    if (!sameAsCodec(t, changed, `damaged request ${n}`)) failures++
    if (outcome(() => decode('AppendRequest', changed)).ok === false) {
      refused++
      // Refused by the codec behind the walk: the walk itself never takes such a frame.
      if (decodePlainAppendRequest(changed) !== undefined) t.fail(`damaged request ${n}: the walk decoded what the codec refuses`)
    }
  }
  t.equal(failures, 0, 'the same outcome for every damaged request')
  t.ok(refused > 1000, `${refused} of them refused`)
})

t.test('a frame that is not a Buffer, and the empty frame, are the codec\'s', async (t) => {
  const frame = randomRequest(rng(7), 7)
  const asArray = new Uint8Array(frame)
  t.same(decodeAppendRequest(asArray), decode('AppendRequest', asArray))
  t.same(decodeAppendRequest(Buffer.alloc(0)), { items: [], batchId: 0 })
  t.throws(() => decodeAppendRequest(Buffer.from([0x12, 0x05, 0x0a])), { code: 'KEN_REJECT_MALFORMED' })
})
