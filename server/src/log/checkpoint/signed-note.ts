/**
 * C2SP signed-note (https://c2sp.org/signed-note): a text, a blank line, then signature lines
 * `— name base64(key id (4, big-endian) ‖ signature)`. The signature covers the text including its
 * final newline. Verification accepts a note when a signature by the known key verifies; signatures
 * by unknown keys are ignored, as the spec says, and a bad one by the known key is refused.
 */
import { verifies, type NoteSigner, type NoteVerifier } from './ed25519-key.ts'

const SIG_PREFIX = '\u2014 '
const MAX_NOTE = 1 << 20

export type NoteFailure = 'malformed' | 'no-known-signature' | 'bad-signature'

export type NoteVerdict = { readonly ok: true, readonly text: string } | { readonly ok: false, readonly reason: NoteFailure }

/** Sign `text` (which must end with a newline and hold no blank-line separator of its own). */
export function signNote (text: string, signer: NoteSigner): string {
  if (!isNoteText(text)) throw new RangeError('a note text is non-empty lines of printable UTF-8, each ending with a newline')
  const signature = signer.sign(Buffer.from(text, 'utf8'))
  const id = Buffer.alloc(4)
  id.writeUInt32BE(signer.id)
  return `${text}\n${SIG_PREFIX}${signer.name} ${Buffer.concat([id, signature]).toString('base64')}\n`
}

/** Verify a signed note with one key; returns its text. */
export function openNote (note: string, verifier: NoteVerifier): NoteVerdict {
  if (note.length > MAX_NOTE || !note.endsWith('\n')) return { ok: false, reason: 'malformed' }
  const split = note.lastIndexOf('\n\n')
  if (split < 0) return { ok: false, reason: 'malformed' }
  const text = note.slice(0, split + 1)
  if (!isNoteText(text)) return { ok: false, reason: 'malformed' }
  const lines = note.slice(split + 2, -1).split('\n')
  let known = false
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) return { ok: false, reason: 'malformed' }
    const [name, sig, extra] = line.slice(SIG_PREFIX.length).split(' ')
    if (name === undefined || sig === undefined || extra !== undefined) return { ok: false, reason: 'malformed' }
    const bytes = Buffer.from(sig, 'base64')
    if (bytes.length < 5 || bytes.toString('base64') !== sig) return { ok: false, reason: 'malformed' }
    if (name !== verifier.name || bytes.readUInt32BE(0) !== verifier.id) continue
    known = true
    if (!verifies(verifier, Buffer.from(text, 'utf8'), bytes.subarray(4))) return { ok: false, reason: 'bad-signature' }
  }
  return known ? { ok: true, text } : { ok: false, reason: 'no-known-signature' }
}

/** signed-note text: lines of printable characters, each ending in a newline, no empty line. */
function isNoteText (text: string): boolean {
  if (!text.endsWith('\n') || text.length === 0) return false
  for (const line of text.slice(0, -1).split('\n')) {
    // eslint-disable-next-line no-control-regex
    if (line.length === 0 || /[\u0000-\u001f\u007f]/.test(line)) return false
  }
  return true
}
