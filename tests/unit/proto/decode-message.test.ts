// The gateway decodes an Update with codec.ts decodeMessage (protobufjs' message, no toObject copy):
// it must refuse exactly what decode refuses (same code, same field) and validate exactly alike.
import t, { type Test } from 'tap'
import { decode, decodeMessage, encode } from '../../../proto/src/codec.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { Stream, type Update } from '../../../proto/src/types.ts'
import { validateUpdate } from '../../../server/src/domain/validate-update.ts'
import { fuhyoUpdate, identityUpdate } from '../domain/fixtures.ts'

const decodeUpdate = (bytes: Uint8Array): Update => decodeMessage('Update', bytes)

type Outcome = { code: string, field: string | undefined } | { ok: Update }

function outcome (fn: () => Update): Outcome {
  try {
    return { ok: fn() }
  } catch (err) {
    if (!isKenError(err)) throw err
    return { code: err.code, field: err.field }
  }
}

function validation (u: Update): string {
  try {
    validateUpdate(u, { certMunicipality: '401307', juminhyoCheckDigit: true, today: '2024-06-01' })
    return 'valid'
  } catch (err) {
    return isKenError(err) ? `${err.code} ${err.field ?? ''}` : `uncoded ${String(err)}`
  }
}

/** Every key of codec.ts' object reads the same from the message (an absent oneof member: null). */
function sameFields (t: Test, message: unknown, object: unknown, path: string): void {
  if (object === null || typeof object !== 'object' || object instanceof Uint8Array) {
    t.same(message, object, path)
    return
  }
  for (const [k, v] of Object.entries(object)) sameFields(t, (message as Record<string, unknown>)[k], v, `${path}.${k}`)
}

/** A deterministic stream of bytes, so a failure can be reproduced. */
function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

const bodies: Array<[string, Update]> = [
  ['identity', identityUpdate()],
  ['fuhyo', fuhyoUpdate()],
  ['abnormal stream', identityUpdate({}, { stream: Stream.ABNORMAL })],
  ['bad date', identityUpdate({ birthDate: '1900-02-29' })],
  ['other municipality', identityUpdate({}, { municipalityCode: '401005' })],
  ['sequence 2^53 - 1', identityUpdate({}, { sequence: Number.MAX_SAFE_INTEGER })],
  ['no body', { ...identityUpdate(), identity: undefined }]
]

t.test('valid and invalid updates: the same outcome and the same fields as codec.ts', async (t) => {
  for (const [name, u] of bodies) {
    const bytes = encode('Update', u)
    const mine = outcome(() => decodeUpdate(bytes))
    const theirs = outcome(() => decode('Update', bytes))
    if ('ok' in mine && 'ok' in theirs) {
      sameFields(t, mine.ok, theirs.ok, name)
      t.equal(validation(mine.ok), validation(theirs.ok), `${name}: validates alike`)
    } else {
      t.same(mine, theirs, `${name}: refused alike`)
    }
  }
})

t.test('a sequence above 2^53 is refused, naming the field', async (t) => {
  // field 3 (varint) = 2^53 + 2, after an update that carries no sequence of its own
  const { sequence: _, ...rest } = identityUpdate()
  const big = Buffer.concat([Buffer.from(encode('Update', rest)), Buffer.from([0x18, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])])
  t.same(outcome(() => decodeUpdate(big)), outcome(() => decode('Update', big)))
  t.match(outcome(() => decodeUpdate(big)), { code: 'KEN_REJECT_MALFORMED', field: 'sequence' })
})

t.test('mutated payloads: refused alike, or decoded to the same fields and validated alike', async (t) => {
  const next = prng(20_261_122)
  let decoded = 0
  for (let i = 0; i < 4000; i++) {
    const [, u] = bodies[i % bodies.length] as [string, Update]
    const bytes = Buffer.from(encode('Update', u))
    const flips = 1 + (next() % 3)
    for (let f = 0; f < flips; f++) bytes[next() % bytes.length] = next() & 0xff
    const cut = next() % 4 === 0 ? bytes.subarray(0, next() % bytes.length) : bytes
    const mine = outcome(() => decodeUpdate(cut))
    const theirs = outcome(() => decode('Update', cut))
    if ('ok' in mine && 'ok' in theirs) {
      decoded++
      const a = validation(mine.ok)
      const b = validation(theirs.ok)
      if (a !== b) t.fail(`mutation ${i}: ${a} vs ${b}`)
    } else if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      t.fail(`mutation ${i}: ${JSON.stringify(mine)} vs ${JSON.stringify('ok' in theirs ? 'decoded' : theirs)}`)
    }
  }
  t.ok(decoded > 100, `some mutations still decode (${decoded})`)
})
