// Field values for comparing the store's hand-written encoders with protobufjs's (stored-encode.test.ts,
// outbox-encode.test.ts), each one sometimes absent (undefined) and drawn from the edges: empty, long
// (nested lengths over 127 and 16383), unicode (kanji, surrogate pairs, lone surrogates, strings either
// side of protobufjs's 40-unit switch), varints at their boundaries, negative enums.

import type { IdentityUpdate, LogEffect, LogUpdate, StoredResident } from '../../../proto/src/types.ts'

const PIECES = ['', 'a', '1', '福岡', '𠮷', '\uD800', '\uDC00x', 'ﾌｸｵｶ', 'é', '\u0000', '髙橋', '\uD83D\uDE00']

export function text (r: () => number): string | undefined {
  const pick = r()
  if (pick < 0.08) return undefined
  if (pick < 0.16) return ''
  const length = [1, 5, 13, 20, 39, 40, 41, 70, 200, 3000][Math.floor(r() * 10)] as number
  let s = ''
  while (s.length < length) s += PIECES[Math.floor(r() * PIECES.length)] as string
  return s.slice(0, length)
}

export function bytes (r: () => number): Uint8Array | undefined {
  const pick = r()
  if (pick < 0.08) return undefined
  const n = [0, 1, 16, 32, 127, 128, 300, 20_000][Math.floor(r() * 8)] as number
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)))
}

const NUMBERS = [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 5_115_812]

export function uint (r: () => number): number | undefined {
  return r() < 0.08 ? undefined : NUMBERS[Math.floor(r() * NUMBERS.length)]
}

export function enumValue (r: () => number): number | undefined {
  const pick = r()
  if (pick < 0.08) return undefined
  if (pick < 0.15) return -1
  return Math.floor(r() * 40)
}

export function flag (r: () => number): boolean | undefined {
  const pick = r()
  return pick < 0.08 ? undefined : pick < 0.54
}

export function list (r: () => number): Uint8Array[] | undefined {
  if (r() < 0.1) return undefined
  return Array.from({ length: Math.floor(r() * 6) }, () => bytes(r) ?? new Uint8Array(0))
}

export function effect (r: () => number): LogEffect {
  return {
    subject: bytes(r), retiredSubject: bytes(r), kojinToken: bytes(r), recordMunicipalityCode: text(r), removed: flag(r), sealedRecord: bytes(r),
    person: bytes(r), contentTag: bytes(r), searchKeys: list(r)
  } as unknown as LogEffect
}

export function logUpdate (r: () => number): LogUpdate {
  return {
    municipalityCode: text(r), stream: enumValue(r), sequence: uint(r), requestId: text(r), payloadSha256: bytes(r), payloadLength: uint(r),
    kind: enumValue(r), changeReason: enumValue(r), status: enumValue(r), reasonCode: text(r), field: text(r), expectedSequence: uint(r),
    keyId: bytes(r), sealedUpdate: bytes(r), effect: r() < 0.2 ? null : effect(r)
  } as unknown as LogUpdate
}

export function identity (r: () => number): IdentityUpdate {
  return {
    juminhyoCode: text(r), changeReason: enumValue(r), changeDate: text(r), nameKanji: text(r), nameGaijiCount: uint(r), nameKana: text(r),
    birthDate: text(r), sex: enumValue(r), address: text(r), addressGaijiCount: uint(r), kojinBango: text(r), oazaCode: text(r), gaijiFlag: flag(r),
    nameGaijiSerial: uint(r), addressGaijiSerial: uint(r), kyuujiKanji: text(r), kyuujiGaijiCount: uint(r), kyuujiKana: text(r),
    kyuujiGaijiSerial: uint(r), previousJuminhyoCode: text(r)
  } as unknown as IdentityUpdate
}

export function storedResident (r: () => number): StoredResident {
  return {
    identity: r() < 0.1 ? null : identity(r), municipalityCode: text(r), removed: flag(r), seionKana: text(r), notifiedDate: text(r), deleted: flag(r),
    retentionOnly: flag(r), sequence: uint(r), stream: enumValue(r), operatorId: text(r), terminalId: text(r), timestamp: text(r)
  } as unknown as StoredResident
}
