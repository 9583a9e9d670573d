// A 本人確認情報 forward's items passed from the opened record to the frame as bytes (forward-items.ts,
// issue 18): written once when the record is opened, they must be byte for byte what protobufjs writes
// for the strings the record decodes to (as the frame carried them when they were decoded and encoded
// again), for StoredResidents whose every field varies (random-fields.ts: lone surrogates, whose
// bytes are not UTF-8, among them); never a field of the record a forward does not carry.
// ProtoWriter.utf8, which copies a string's bytes only when they are well-formed UTF-8, against
// ProtoWriter.string of what they decode to, for every sequence of one and two bytes and many longer.
import t from 'tap'
import { isUtf8 } from 'node:buffer'
import { encodeComplete } from '../../../proto/src/codec.ts'
import { messageType } from '../../../proto/src/schema.ts'
import type { IdentityUpdate, NationalForward } from '../../../proto/src/types.ts'
import { decodeStoredMessage } from '../../../server/src/store/codec.ts'
import { EncodedIdentity, PassedForward, encodeForwardIdentity, writeForwardIdentity } from '../../../server/src/store/forward-items.ts'
import { ProtoWriter } from '../../../server/src/store/proto-writer.ts'
import { rng } from './seeded.ts'
import { identity, storedResident } from './random-fields.ts'

type Items = Omit<NationalForward, 'logPosition' | 'entryHash' | 'prefectureCode' | 'municipalityCode' | 'previousPosition'>

/** The 12 items a forward carries of a decoded IdentityUpdate, every one its own property (outbox-reader.ts forwardOf). */
function itemsOf (i: IdentityUpdate): Items {
  return {
    juminhyoCode: i.juminhyoCode, nameKanji: i.nameKanji, nameKana: i.nameKana, birthDate: i.birthDate, sex: i.sex, address: i.address,
    kojinBango: i.kojinBango, changeReason: i.changeReason, changeDate: i.changeDate, kyuujiKanji: i.kyuujiKanji, kyuujiKana: i.kyuujiKana,
    previousJuminhyoCode: i.previousJuminhyoCode
  }
}

/** What protobufjs writes of those items: NationalForward fields 5–16, nothing else set. */
function theirs (plain: Buffer): Buffer | null {
  const i = decodeStoredMessage('StoredResident', plain).identity
  if (i === null || i === undefined) return null
  return Buffer.from(encodeComplete('NationalForward', itemsOf(i) as NationalForward))
}

function ours (plain: Buffer): Buffer | null {
  const w = new ProtoWriter()
  return writeForwardIdentity(plain, w) ? w.finish() : null
}

const STRINGS: ReadonlyArray<keyof IdentityUpdate> = ['juminhyoCode', 'nameKanji', 'nameKana', 'birthDate', 'address', 'kojinBango', 'changeDate', 'kyuujiKanji', 'kyuujiKana', 'previousJuminhyoCode']

t.test('random StoredResidents: the items written as protobufjs writes the strings they decode to', async (t) => {
  let differ = 0
  let withIdentity = 0
  let notUtf8 = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const record = storedResident(rng(seed))
    const plain = Buffer.from(messageType('StoredResident').encode(record as never).finish())
    const expected = theirs(plain)
    const got = ours(plain)
    if (expected === null ? got !== null : got === null || !got.equals(expected)) differ++
    if (expected !== null) withIdentity++
    const i = record.identity as unknown as Record<string, unknown> | null
    if (i !== null && STRINGS.some((name) => typeof i[name] === 'string' && !isUtf8(Buffer.from(messageType('IdentityUpdate').encode({ [name]: i[name] } as never).finish()).subarray(2)))) notUtf8++
  }
  t.equal(differ, 0, 'no record of 2,000 written differently')
  t.ok(withIdentity > 1500, `${withIdentity} of them with their items`)
  t.ok(notUtf8 > 100, `${notUtf8} of them with an item whose stored bytes are not UTF-8 (written as the string they decode to)`)
  const twice = Buffer.concat([0, 1].map((seed) => Buffer.from(messageType('StoredResident').encode(storedResident(rng(seed + 10)) as never).finish())))
  t.same(ours(twice), theirs(twice), 'a record twice over: the last identity\'s items')
})

t.test('only the 12 items: none of the record\'s other fields, nor an unknown one, reaches the bytes', async (t) => {
  const secret = 'NOT-FORWARDED'
  const i = { ...identity(rng(3)), oazaCode: secret, nameGaijiCount: 7, gaijiFlag: true }
  const record = { ...storedResident(rng(4)), identity: i, operatorId: secret, terminalId: secret, seionKana: secret, timestamp: secret }
  const known = Buffer.from(messageType('StoredResident').encode(record as never).finish())
  // An unknown field inside the identity (number 30) and one beside it (number 31), each holding the marker.
  const marker = Buffer.from(secret)
  const body = Buffer.concat([Buffer.from(messageType('IdentityUpdate').encode(i as never).finish()), Buffer.from([0xf2, 0x01, marker.length]), marker])
  const plain = Buffer.concat([known, Buffer.from([0x0a, ...varint(body.length)]), body, Buffer.from([0xfa, 0x01, marker.length]), marker])
  const got = ours(plain)
  t.ok(got !== null && !got.includes(marker), 'the marker is nowhere in the items')
  t.same(got, theirs(plain), 'as protobufjs writes them')
  t.equal(ours(Buffer.from(messageType('StoredResident').encode({ ...record, identity: null } as never).finish())), null, 'a record without an identity: nothing')
  t.throws(() => ours(known.subarray(0, known.length - 3)), { code: 'KEN_ERR_STORE_CORRUPT' }, 'a record cut short: refused')
})

function varint (n: number): number[] {
  const out: number[] = []
  while (n > 127) {
    out.push((n & 127) | 128)
    n >>>= 7
  }
  out.push(n)
  return out
}

t.test('encodeForwardIdentity: the items in bytes of their own, and read back as the strings', async (t) => {
  const i = identity(rng(9))
  const plain = Buffer.from(messageType('StoredResident').encode({ identity: i } as never).finish())
  const encoded = encodeForwardIdentity(plain)
  t.ok(encoded instanceof EncodedIdentity)
  t.same(encoded?.bytes.subarray(encoded.start, encoded.end), theirs(plain), 'the items')
  const decoded = decodeStoredMessage('StoredResident', plain).identity as IdentityUpdate
  const forward = new PassedForward(5, Buffer.alloc(32, 1), '40', '401307', 4, encoded as EncodedIdentity)
  const expected = { logPosition: 5, entryHash: Buffer.alloc(32, 1), prefectureCode: '40', municipalityCode: '401307', ...itemsOf(decoded), previousPosition: 4 }
  // The strings as ken-national decodes them from the frame (a lone surrogate as U+FFFD).
  const national = messageType('NationalForward').toObject(messageType('NationalForward').decode(encodeComplete('NationalForward', expected as NationalForward)), { defaults: true, longs: Number, enums: Number, bytes: Buffer })
  t.same(forward.plain(), national, 'plain(): every field, as ken-national reads the frame')
  t.equal(forward.nameKanji, national.nameKanji, 'a getter reads an item')
  t.equal(encodeForwardIdentity(Buffer.from(messageType('StoredResident').encode({ identity: null } as never).finish())), null, 'no identity: null')
})

t.test('ProtoWriter.utf8: a string field from its bytes as string() writes the string they decode to', async (t) => {
  const check = (bytes: Buffer): boolean => {
    const a = new ProtoWriter()
    a.utf8(130, bytes, 0, bytes.length)
    const b = new ProtoWriter()
    b.string(130, bytes.toString('utf8'))
    return a.finish().equals(b.finish())
  }
  let differ = 0
  let valid = 0
  for (let x = 0; x < 256; x++) {
    if (!check(Buffer.from([x]))) differ++
    for (let y = 0; y < 256; y++) {
      const two = Buffer.from([x, y])
      if (!check(two)) differ++
      if (isUtf8(two)) valid++
    }
  }
  t.equal(differ, 0, 'every sequence of one and two bytes')
  t.ok(valid > 5000, `${valid} of them UTF-8`)
  // Longer ones: code points at the edges of Table 3-7 (the Unicode Standard) well-formed, and among
  // them bytes at those edges alone (cut sequences, overlong forms, surrogates, beyond U+10FFFF).
  const points = [0x0, 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0x1000, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x3ffff, 0x40000, 0xfffff, 0x100000, 0x10ffff, 0x798f, 0x30bf, 0x20bb7].map((c) => Buffer.from(String.fromCodePoint(c)))
  const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xe3, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff]
  const r = rng(21)
  let longer = 0
  for (let n = 0; n < 200_000; n++) {
    const units = 1 + Math.floor(r() * 5)
    const bytes = Buffer.concat(Array.from({ length: units }, () => r() < 0.85 ? points[Math.floor(r() * points.length)] as Buffer : Buffer.from([edges[Math.floor(r() * edges.length)] as number])))
    if (!check(bytes)) differ++
    if (isUtf8(bytes)) longer++
  }
  t.equal(differ, 0, '200,000 sequences of 1 to 5 code points or bytes')
  t.ok(longer > 50_000 && longer < 150_000, `${longer} of them UTF-8`)
  // Values whose length takes two bytes, well-formed or not (surrogates; a sequence cut short at the end).
  const long = [Buffer.from('福岡県福岡市中央区天神1丁目1番1号𠮷'.repeat(8)), Buffer.concat(Array.from({ length: 50 }, () => Buffer.from([0xed, 0xa0, 0x80]))), Buffer.alloc(127, 0x61), Buffer.alloc(128, 0x61), Buffer.concat([Buffer.alloc(200, 0x61), Buffer.from([0xe3, 0x81])])]
  for (const bytes of long) t.ok(check(bytes), `${bytes.length} bytes${isUtf8(bytes) ? '' : ', not UTF-8'}`)
})
