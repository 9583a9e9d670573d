/**
 * AES-256-GCM over many values per call (issue 18): the sealing and opening of store/sealing.ts.
 * Node's cipher API makes a cipher object and about six buffers per value (createCipheriv, setAAD,
 * update, final, getAuthTag), more work for the store's main thread — and for V8's GC — than AES
 * itself over a record of a few hundred bytes. The native addon in server/native/aes-gcm-batch
 * (`bash server/native/aes-gcm-batch/build.sh`) seals or opens a batch of values laid out by spans
 * over a few buffers in one call; where it is not built, the same functions run on node:crypto
 * (`jsAesGcmBatch`). The bytes are the same either way: nonce (12) ‖ ciphertext ‖ tag (16).
 */
import { existsSync } from 'node:fs'
import { createCipheriv, createDecipheriv } from 'node:crypto'

/** Int32s per value in `spans`: key, aad, aad length, input, input length, output (offsets into their buffers). */
export const AES_GCM_SPAN_FIELDS = 6
const KEY = 32
const NONCE = 12
const TAG = 16

export interface AesGcmBatch {
  /**
   * For value i < count with spans[6i, +6) = key, aad, aadLength, plain, plainLength, out: its
   * nonce is out[out, +12) (written by the caller); writes the ciphertext of plain[plain,
   * +plainLength) under keys[key, +32) with the additional data aads[aad, +aadLength) at out[out + 12,
   * +plainLength) and the tag after it.
   * @throws RangeError (ERR_INVALID_ARG_VALUE) when a span lies outside its buffer
   */
  readonly seal: (keys: Uint8Array, aads: Uint8Array, plain: Uint8Array, out: Uint8Array, spans: Int32Array, count: number) => void
  /**
   * For value i < count with spans[6i, +6) = key, aad, aadLength, sealed, sealedLength, out: when
   * its tag holds, out[out, +sealedLength − 28) = its plaintext and status[i] = 1; else status[i] = 0
   * and that region is zeroed. Returns how many failed.
   * @throws RangeError (ERR_INVALID_ARG_VALUE) when a span lies outside its buffer
   */
  readonly open: (keys: Uint8Array, aads: Uint8Array, sealed: Uint8Array, out: Uint8Array, spans: Int32Array, count: number, status: Uint8Array) => number
}

/** The same functions on node:crypto's cipher API, with the addon's checks. */
export const jsAesGcmBatch: AesGcmBatch = Object.freeze({
  seal (keys: Uint8Array, aads: Uint8Array, plain: Uint8Array, out: Uint8Array, spans: Int32Array, count: number): void {
    check(keys, aads, plain, out, spans, count, false)
    for (let i = 0; i < count; i++) {
      const [key, aad, aadLength, at, length, to] = fields(spans, i)
      const cipher = createCipheriv('aes-256-gcm', keys.subarray(key, key + KEY), out.subarray(to, to + NONCE))
      cipher.setAAD(aads.subarray(aad, aad + aadLength))
      const body = cipher.update(plain.subarray(at, at + length))
      cipher.final()
      out.set(body, to + NONCE)
      out.set(cipher.getAuthTag(), to + NONCE + length)
    }
  },
  open (keys: Uint8Array, aads: Uint8Array, sealed: Uint8Array, out: Uint8Array, spans: Int32Array, count: number, status: Uint8Array): number {
    check(keys, aads, sealed, out, spans, count, true)
    if (count > status.length) throw invalid('count exceeds status')
    let failures = 0
    for (let i = 0; i < count; i++) {
      const [key, aad, aadLength, at, length, to] = fields(spans, i)
      const text = length - NONCE - TAG
      try {
        const decipher = createDecipheriv('aes-256-gcm', keys.subarray(key, key + KEY), sealed.subarray(at, at + NONCE))
        decipher.setAAD(aads.subarray(aad, aad + aadLength))
        decipher.setAuthTag(sealed.subarray(at + NONCE + text, at + length))
        const body = decipher.update(sealed.subarray(at + NONCE, at + NONCE + text))
        decipher.final()
        out.set(body, to)
        status[i] = 1
      } catch {
        out.fill(0, to, to + text)
        status[i] = 0
        failures++
      }
    }
    return failures
  }
})

function fields (spans: Int32Array, i: number): [number, number, number, number, number, number] {
  const s = i * AES_GCM_SPAN_FIELDS
  return [spans[s] as number, spans[s + 1] as number, spans[s + 2] as number, spans[s + 3] as number, spans[s + 4] as number, spans[s + 5] as number]
}

function invalid (message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_INVALID_ARG_VALUE' })
}

function inside (start: number, length: number, size: number): boolean {
  return start >= 0 && length >= 0 && start + length <= size
}

/** The addon's argument checks (aes_gcm_batch.c `check`), so both refuse the same calls. */
function check (keys: Uint8Array, aads: Uint8Array, input: Uint8Array, output: Uint8Array, spans: Int32Array, count: number, opening: boolean): void {
  if (!Number.isInteger(count) || count < 0 || count * AES_GCM_SPAN_FIELDS > spans.length) throw invalid('count exceeds spans')
  for (let i = 0; i < count; i++) {
    const [key, aad, aadLength, at, length, to] = fields(spans, i)
    const outLength = opening ? length - NONCE - TAG : NONCE + length + TAG
    if (!inside(key, KEY, keys.length)) throw invalid('a key lies outside its buffer')
    if (!inside(aad, aadLength, aads.length)) throw invalid('an aad lies outside its buffer')
    if (!inside(at, length, input.length)) throw invalid('an input lies outside its buffer')
    if (outLength < 0) throw invalid('a sealed value is shorter than its nonce and tag')
    if (!inside(to, outLength, output.length)) throw invalid('an output lies outside its buffer')
    if (shifted(input, at + (opening ? NONCE : 0), output, to + (opening ? 0 : NONCE), opening ? outLength : length)) throw invalid('an output overlaps its input shifted')
  }
}

/** Regions of one memory that overlap without being the same (the addon works in place, not on a shifted copy). */
function shifted (a: Uint8Array, at: number, b: Uint8Array, to: number, length: number): boolean {
  if (a.buffer !== b.buffer) return false
  const x = a.byteOffset + at
  const y = b.byteOffset + to
  return x !== y && x < y + length && y < x + length
}

/**
 * The addon built at `file` (`bash server/native/aes-gcm-batch/build.sh`), or undefined when it was
 * not built there. A file that is there but does not load is an error, not a fallback.
 */
export function loadAesGcmBatch (file: string | undefined): AesGcmBatch | undefined {
  if (file === undefined || !existsSync(file)) return undefined
  const module = { exports: {} as Partial<AesGcmBatch> }
  process.dlopen(module, file)
  const { seal, open } = module.exports
  if (typeof seal !== 'function' || typeof open !== 'function') throw new TypeError(`${file} is not the aes-gcm-batch addon`)
  return { seal, open }
}
