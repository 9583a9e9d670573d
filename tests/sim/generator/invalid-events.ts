/**
 * Invalid cases, one builder per rejection the CS can cause, each producing exactly its reason code
 * (proto/src/reason-codes.ts) under the gateway's steps and the domain rules as they stand:
 * - decode: raw payload bytes the strict decoder refuses (or that exceed gateway.maxUpdateBytes);
 * - field: an update that validateUpdate refuses — one item spoiled in an otherwise valid 転居;
 * - logic: a well-formed update that decideIdentityUpdate / decideFuhyoUpdate refuses against the file.
 * Builders never change the register: a rejected update changes nothing.
 *
 * KEN_REJECT_WRONG_MESSAGE_TYPE has no builder: it concerns the topic, not the payload, and the
 * gateway refuses a publish on a topic it does not serve by closing the link (gateway/src/authorize.ts).
 */
import { encode } from '../../../proto/src/codec.ts'
import type { ReasonCode } from '../../../proto/src/reason-codes.ts'
import { ChangeReason, FuhyoNotice, FuhyoState, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import { municipalityCheckDigit } from '../../../server/src/domain/identifiers.ts'
import { fromDays, toDays } from './age.ts'
import { identityOf } from './bodies.ts'
import { pickGivenName } from './names.ts'
import type { PersonState } from './register.ts'
import { changeDate, fuhyoOf, newAddress, type Scene } from './valid-events.ts'

/** An invalid case before the envelope's sequence is assigned. */
export interface InvalidBuilt {
  readonly code: ReasonCode
  /** The body; none for a missing body. */
  readonly body: Pick<Update, 'identity' | 'fuhyo'>
  /** Envelope items to spoil. */
  readonly envelope?: Partial<Pick<Update, 'municipalityCode' | 'stream' | 'sequence' | 'timestamp'>>
  /** Whether it takes the next 更新順番号 of its stream: only when the store can attribute it to one. */
  readonly consumesSequence: boolean
  /** Decode stage: the bytes to send instead of the encoded update. */
  readonly raw?: (update: Update, maxUpdateBytes: number) => Uint8Array
}

type Builder = (scene: Scene) => InvalidBuilt | undefined

/** A current resident of the sender and a valid 転居 for them, not applied. */
function template (scene: Scene): { s: PersonState, identity: IdentityUpdate } | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  return { s, identity: identityOf(newAddress(scene, s.body, scene.sender), ChangeReason.TENKYO, changeDate(scene, s.body.birthDate)) }
}

/** A field-stage case: the template 転居 with `spoil` applied. */
function field (code: ReasonCode, spoil: (u: IdentityUpdate, scene: Scene) => Partial<IdentityUpdate>): Builder {
  return (scene) => {
    const t = template(scene)
    return t === undefined ? undefined : { code, body: { identity: { ...t.identity, ...spoil(t.identity, scene) } }, consumesSequence: true }
  }
}

/** An envelope-stage case on the template. */
function envelopeCase (code: ReasonCode, consumesSequence: boolean, spoil: (scene: Scene) => NonNullable<InvalidBuilt['envelope']>): Builder {
  return (scene) => {
    const t = template(scene)
    return t === undefined ? undefined : { code, body: { identity: t.identity }, envelope: spoil(scene), consumesSequence }
  }
}

/** A decode-stage case: the template encoded, then the bytes spoiled. Such payloads cannot be attributed to a stream. */
function decodeCase (code: ReasonCode, raw: NonNullable<InvalidBuilt['raw']>): Builder {
  return (scene) => {
    const t = template(scene)
    return t === undefined ? undefined : { code, body: { identity: t.identity }, consumesSequence: false, raw }
  }
}

function concat (...parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)))
}

function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return Uint8Array.from(out)
}

/** Field 10 (identity) of Update, length-delimited, around hand-made inner bytes. */
function withIdentityBytes (update: Update, inner: Uint8Array): Uint8Array {
  const { identity: _i, ...outer } = update
  return concat(encode('Update', outer), Uint8Array.of((10 << 3) | 2), varint(inner.length), inner)
}

function hiragana (kana: string): string {
  return kana.replace(/[\u30a1-\u30f6]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
}

/** A logic-stage case built from a person the rule needs. */
function logic (code: ReasonCode, build: (scene: Scene) => Pick<Update, 'identity' | 'fuhyo'> | undefined): Builder {
  return (scene) => {
    const body = build(scene)
    return body === undefined ? undefined : { code, body, consumesSequence: true }
  }
}

function current (scene: Scene): PersonState | undefined {
  return scene.register.pickCurrent(scene.rng, scene.sender.code)
}

function today (scene: Scene, s: PersonState): string {
  return changeDate(scene, s.body.birthDate)
}

/** Every code this generator can produce, with its builder. */
export const INVALID_BUILDERS: Readonly<Partial<Record<ReasonCode, Builder>>> = {
  // -- decode
  KEN_REJECT_MALFORMED: decodeCase('KEN_REJECT_MALFORMED', (u) => encode('Update', u).subarray(0, -3)),
  KEN_REJECT_UNKNOWN_FIELD: decodeCase('KEN_REJECT_UNKNOWN_FIELD', (u) => concat(encode('Update', u), varint((99 << 3) | 0), varint(1))),
  KEN_REJECT_DUPLICATE_FIELD: decodeCase('KEN_REJECT_DUPLICATE_FIELD', (u) => concat(encode('Update', u), varint((3 << 3) | 0), varint(u.sequence))),
  KEN_REJECT_UNKNOWN_ENUM: decodeCase('KEN_REJECT_UNKNOWN_ENUM', (u) => {
    const { changeReason: _, ...rest } = u.identity ?? {}
    // change_reason (field 2) = 99, which ChangeReason does not define.
    return withIdentityBytes(u, concat(encode('IdentityUpdate', rest), varint((2 << 3) | 0), varint(99)))
  }),
  KEN_REJECT_OVERSIZED: decodeCase('KEN_REJECT_OVERSIZED', (u, max) => encode('Update', { ...u, requestId: 'X'.repeat(max + 1) })),
  // -- field: the envelope
  KEN_REJECT_MISSING_FIELD: () => ({ code: 'KEN_REJECT_MISSING_FIELD', body: {}, consumesSequence: true }),
  KEN_REJECT_MUNICIPALITY_MISMATCH: envelopeCase('KEN_REJECT_MUNICIPALITY_MISMATCH', true, (scene) => ({ municipalityCode: scene.pickDestination(scene.sender.code)?.code ?? '131016' })),
  KEN_REJECT_BAD_MUNICIPALITY_CODE: envelopeCase('KEN_REJECT_BAD_MUNICIPALITY_CODE', true, (scene) => {
    const m = scene.sender.code
    return { municipalityCode: m.slice(0, 5) + String((municipalityCheckDigit(m.slice(0, 5)) + 1) % 10) }
  }),
  KEN_REJECT_BAD_STREAM: envelopeCase('KEN_REJECT_BAD_STREAM', false, () => ({ stream: 0 })),
  KEN_REJECT_BAD_SEQUENCE: envelopeCase('KEN_REJECT_BAD_SEQUENCE', false, () => ({ sequence: 0 })),
  KEN_REJECT_BAD_TIMESTAMP: envelopeCase('KEN_REJECT_BAD_TIMESTAMP', true, (scene) => ({ timestamp: `${scene.today} 09:00:00` })),
  // -- field: the body
  KEN_REJECT_UNEXPECTED_FIELD: field('KEN_REJECT_UNEXPECTED_FIELD', (_u, scene) => ({ previousJuminhyoCode: scene.register.neverIssuedJuminhyoCode() })),
  KEN_REJECT_BAD_KOJIN_BANGO: field('KEN_REJECT_BAD_KOJIN_BANGO', (u) => ({ kojinBango: u.kojinBango.slice(0, 11) + String((Number(u.kojinBango[11]) + 1) % 10) })),
  KEN_REJECT_BAD_JUMINHYO_CODE: field('KEN_REJECT_BAD_JUMINHYO_CODE', (u) => ({ juminhyoCode: u.juminhyoCode.slice(0, 10) })),
  KEN_REJECT_BAD_DATE: field('KEN_REJECT_BAD_DATE', (_u, scene) => ({ changeDate: `${scene.today.slice(0, 4)}-02-30` })),
  KEN_REJECT_DATE_ORDER: field('KEN_REJECT_DATE_ORDER', (u) => ({ changeDate: fromDays(toDays(u.birthDate) - 1) })),
  KEN_REJECT_BAD_TEXT: field('KEN_REJECT_BAD_TEXT', (u) => ({ nameKanji: `\u202e${u.nameKanji}` })),
  KEN_REJECT_BAD_KANA: field('KEN_REJECT_BAD_KANA', (u) => ({ nameKana: hiragana(u.nameKana) })),
  KEN_REJECT_GAIJI_INCONSISTENT: field('KEN_REJECT_GAIJI_INCONSISTENT', (u) => ({ nameGaijiCount: u.nameGaijiCount + 1 })),
  KEN_REJECT_BAD_SEX: field('KEN_REJECT_BAD_SEX', () => ({ sex: 0 })),
  KEN_REJECT_BAD_CHANGE_REASON: field('KEN_REJECT_BAD_CHANGE_REASON', () => ({ changeReason: ChangeReason.UNSPECIFIED })),
  KEN_REJECT_BAD_FUHYO_STATE: (scene) => {
    const s = current(scene)
    return s === undefined ? undefined : { code: 'KEN_REJECT_BAD_FUHYO_STATE', body: { fuhyo: { ...fuhyoOf(s, scene.sender.code, FuhyoNotice.NEW, today(scene, s)), state: FuhyoState.UNSPECIFIED } }, consumesSequence: true }
  },
  // -- logic
  KEN_REJECT_ALREADY_RESIDENT: logic('KEN_REJECT_ALREADY_RESIDENT', (scene) => {
    const s = current(scene)
    return s && { identity: identityOf(s.body, ChangeReason.SHUSSEI, s.body.birthDate) }
  }),
  KEN_REJECT_TENKYO_NON_ADDRESS: logic('KEN_REJECT_TENKYO_NON_ADDRESS', (scene) => {
    const t = template(scene)
    if (t === undefined) return undefined
    const [surname = ''] = t.identity.nameKanji.split('\u3000')
    const given = pickGivenName(scene.rng, t.identity.sex === 2, Number(t.identity.birthDate.slice(0, 4)))
    const nameKanji = `${surname}\u3000${given.kanji}`
    return nameKanji === t.identity.nameKanji ? undefined : { identity: { ...t.identity, nameKanji } }
  }),
  KEN_REJECT_ALREADY_REMOVED: logic('KEN_REJECT_ALREADY_REMOVED', (scene) => {
    const s = scene.register.pickRemoved(scene.rng, scene.sender.code)
    return s && { identity: identityOf(s.body, ChangeReason.SHIBOU, today(scene, s)) }
  }),
  KEN_REJECT_UNKNOWN_RESIDENT: logic('KEN_REJECT_UNKNOWN_RESIDENT', (scene) => {
    const t = template(scene)
    return t && { identity: { ...t.identity, juminhyoCode: scene.register.neverIssuedJuminhyoCode() } }
  }),
  KEN_REJECT_OTHER_MUNICIPALITY: logic('KEN_REJECT_OTHER_MUNICIPALITY', (scene) => {
    const s = scene.register.pickAnyCurrent(scene.rng, (p) => p.municipalityCode !== scene.sender.code)
    return s && { identity: identityOf(s.body, ChangeReason.TENKYO, today(scene, s)) }
  }),
  KEN_REJECT_NOT_REMOVED: logic('KEN_REJECT_NOT_REMOVED', (scene) => {
    const s = current(scene)
    return s && { identity: identityOf(s.body, ChangeReason.SHOJO_KAIFUKU, today(scene, s)) }
  }),
  KEN_REJECT_REMOVED_RESIDENT: logic('KEN_REJECT_REMOVED_RESIDENT', (scene) => {
    const s = scene.register.pickRemoved(scene.rng, scene.sender.code)
    return s && { identity: identityOf(newAddress(scene, s.body, scene.sender), ChangeReason.TENKYO, today(scene, s)) }
  }),
  KEN_REJECT_KOJIN_BANGO_IN_USE: logic('KEN_REJECT_KOJIN_BANGO_IN_USE', (scene) => {
    const s = current(scene)
    const other = s && scene.register.pickAnyCurrent(scene.rng, (p) => p.index !== s.index)
    return s && other && { identity: identityOf({ ...s.body, kojinBango: other.body.kojinBango }, ChangeReason.KOJIN_BANGO_HENKO, today(scene, s)) }
  }),
  KEN_REJECT_KOJIN_BANGO_MISMATCH: logic('KEN_REJECT_KOJIN_BANGO_MISMATCH', (scene) => {
    const s = current(scene)
    return s && { identity: identityOf({ ...s.body, kojinBango: scene.register.neverIssuedKojinBango() }, ChangeReason.SHOKKEN_SHUSEI, today(scene, s)) }
  }),
  KEN_REJECT_JUMINHYO_CODE_IN_USE: logic('KEN_REJECT_JUMINHYO_CODE_IN_USE', (scene) => {
    const s = current(scene)
    const other = s && scene.register.pickAnyCurrent(scene.rng, (p) => p.index !== s.index)
    return s && other && { identity: identityOf({ ...s.body, juminhyoCode: other.body.juminhyoCode }, ChangeReason.JUMINHYO_CODE_HENKO, today(scene, s), s.body.juminhyoCode) }
  }),
  KEN_REJECT_NO_CHANGE: logic('KEN_REJECT_NO_CHANGE', (scene) => {
    const s = current(scene)
    return s && { identity: identityOf(s.body, ChangeReason.SHIMEI_TO_HENKO, today(scene, s)) }
  }),
  KEN_REJECT_FUHYO_STATE: logic('KEN_REJECT_FUHYO_STATE', (scene) => {
    const s = scene.register.pickAnyCurrent(scene.rng, (p) => !scene.register.fuhyo.has(p.body.juminhyoCode))
    return s && { fuhyo: fuhyoOf(s, scene.sender.code, FuhyoNotice.CHANGE, today(scene, s)) }
  })
}

/** Codes of the catalogue the generator does not produce, and why (see the file comment). */
export const NOT_GENERATED: Readonly<Partial<Record<ReasonCode, string>>> = {
  KEN_REJECT_WRONG_MESSAGE_TYPE: 'a topic refusal, not a payload: the gateway closes the link',
  KEN_REJECT_RECONCILE_CHUNK_ORDER: 'a reconciliation chunk refusal, not an update (tests/unit/store/reconcile/reconciler.test.ts)',
  KEN_REJECT_RECONCILE_SESSION: 'a reconciliation chunk refusal, not an update (server/src/store/reconcile/check-chunk.ts)'
}
