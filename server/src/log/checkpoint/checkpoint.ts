/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the body of a signed note
 *
 *     <origin>\n<tree size, decimal>\n<base64 root hash>\n
 *
 * signed with the log's key (signed-note.ts). The origin names the appliance and prefecture and is
 * also the key's name. Parsing is strict: a size is a decimal without leading zeros, the root 32
 * bytes in canonical base64.
 */
import { HASH_SIZE } from '../merkle/hash.ts'
import { openNote, signNote, type NoteFailure } from './signed-note.ts'
import type { NoteSigner, NoteVerifier } from './ed25519-key.ts'

export interface Checkpoint {
  readonly origin: string
  readonly size: number
  readonly root: Buffer
}

export type CheckpointFailure = NoteFailure | 'bad-body' | 'wrong-origin'

export type CheckpointVerdict = { readonly ok: true, readonly checkpoint: Checkpoint } | { readonly ok: false, readonly reason: CheckpointFailure }

/** The checkpoint's body text. */
export function checkpointBody (c: Checkpoint): string {
  if (!Number.isSafeInteger(c.size) || c.size < 0 || c.root.length !== HASH_SIZE) throw new RangeError('a checkpoint has a size and a 32-byte root')
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`
}

/** Sign a checkpoint: the signed-note text that is kept and handed out. */
export function signCheckpoint (c: Checkpoint, signer: NoteSigner): string {
  if (c.origin !== signer.name) throw new RangeError('the checkpoint origin is the log key name')
  return signNote(checkpointBody(c), signer)
}

/** Parse a checkpoint body (without checking a signature). */
export function parseCheckpointBody (text: string): Checkpoint | undefined {
  const lines = text.split('\n')
  if (lines.length < 4 || lines.at(-1) !== '') return undefined
  const [origin, size, root] = lines as [string, string, string]
  if (origin.length === 0 || !/^(0|[1-9][0-9]{0,15})$/.test(size)) return undefined
  const n = Number(size)
  const hash = Buffer.from(root, 'base64')
  if (!Number.isSafeInteger(n) || hash.length !== HASH_SIZE || hash.toString('base64') !== root) return undefined
  return { origin, size: n, root: hash }
}

/** Verify a signed checkpoint with the log's verifier key; its origin must be the key's name. */
export function openCheckpoint (note: string, verifier: NoteVerifier): CheckpointVerdict {
  const opened = openNote(note, verifier)
  if (!opened.ok) return opened
  const checkpoint = parseCheckpointBody(opened.text)
  if (checkpoint === undefined) return { ok: false, reason: 'bad-body' }
  if (checkpoint.origin !== verifier.name) return { ok: false, reason: 'wrong-origin' }
  return { ok: true, checkpoint }
}
