// Signed checkpoints (C2SP signed-note + tlog-checkpoint, Ed25519): our notes open with our
// verifier and with Go's golang.org/x/mod/sumdb/note (an independent implementation, compiled
// here); Go's signatures open with ours; our inclusion and consistency proofs pass Go's
// sumdb/tlog checks. Altered notes, wrong keys and malformed bodies are refused with a reason.
import t from 'tap'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { checkpointBody, keyId, openCheckpoint, openNote, parseSignerKey, parseVerifierKey, signCheckpoint, signerFromSeed, signerKeyText } from '../../../../server/src/log/checkpoint/index.ts'
import { CompactRange, consistencyProof, inclusionProof, leafHash, leafNodes } from '../../../../server/src/log/merkle/index.ts'
import { buildGoJudge, goMissing } from './go-judge.ts'
import { tempDir } from '../../../helpers/temp-dir.ts'

const NAME = 'ken-server.pref-40.example/log'
const seed = randomBytes(32)
const signer = signerFromSeed(NAME, seed)

function tree (n: number): { leaves: Buffer[], roots: Buffer[] } {
  const leaves = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
  const edge = new CompactRange()
  const roots = [edge.root()]
  for (const leaf of leaves) {
    edge.append(leaf)
    roots.push(edge.root())
  }
  return { leaves, roots }
}

t.test('a checkpoint signs and opens; its verifier key line round-trips', async (t) => {
  const { roots } = tree(5)
  const note = signCheckpoint({ origin: NAME, size: 5, root: roots[5] as Buffer }, signer)
  t.match(note, /^ken-server\.pref-40\.example\/log\n5\n[A-Za-z0-9+/]{43}=\n\n\u2014 ken-server\.pref-40\.example\/log [A-Za-z0-9+/]+=*\n$/)
  const verifier = parseVerifierKey(signer.verifier.line)
  t.equal(verifier.id, keyId(NAME, Buffer.from(signer.verifier.line.slice(NAME.length + 10), 'base64').subarray(1)))
  const opened = openCheckpoint(note, verifier)
  t.ok(opened.ok)
  if (opened.ok) t.same([opened.checkpoint.size, opened.checkpoint.root], [5, roots[5]])
  t.equal(parseSignerKey(signerKeyText(NAME, seed)).verifier.line, signer.verifier.line)
})

t.test('altered notes, other keys and bad bodies are refused, naming why', async (t) => {
  const root = tree(3).roots[3] as Buffer
  const note = signCheckpoint({ origin: NAME, size: 3, root }, signer)
  const v = signer.verifier
  t.same(openCheckpoint(note.replace('\n3\n', '\n4\n'), v), { ok: false, reason: 'bad-signature' })
  const sigLine = note.slice(note.lastIndexOf(' ') + 1, -1)
  const sig = Buffer.from(sigLine, 'base64')
  sig[10] = (sig[10] as number) ^ 0x01
  t.same(openCheckpoint(note.replace(sigLine, sig.toString('base64')), v), { ok: false, reason: 'bad-signature' })
  const other = signerFromSeed(NAME, randomBytes(32))
  t.same(openCheckpoint(note, other.verifier), { ok: false, reason: 'no-known-signature' })
  t.same(openCheckpoint(note.replace(/\n\n.*$/s, '\n'), v), { ok: false, reason: 'malformed' })
  const otherName = signerFromSeed('someone.else/log', seed)
  t.throws(() => signCheckpoint({ origin: NAME, size: 3, root }, otherName), RangeError)
  t.same(openCheckpoint(note, otherName.verifier), { ok: false, reason: 'no-known-signature' })
  const bodyLess = (await import('../../../../server/src/log/checkpoint/signed-note.ts')).signNote(`${NAME}\n03\n${root.toString('base64')}\n`, signer)
  t.same(openCheckpoint(bodyLess, v), { ok: false, reason: 'bad-body' })
  const keyRefused = (fn: () => unknown): boolean => {
    try { fn() } catch (err) { return isKenError(err, 'KEN_ERR_LOG_KEY') }
    return false
  }
  t.ok(keyRefused(() => parseVerifierKey(v.line.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))), 'a key hash that does not match')
  t.ok(keyRefused(() => parseVerifierKey('name+00000000+AAAA')), 'not an Ed25519 key')
  t.ok(keyRefused(() => parseVerifierKey('no-separators')), 'no parts')
  t.ok(keyRefused(() => parseSignerKey('PRIVATE+KEY+name')), 'a truncated signer key')
  t.throws(() => checkpointBody({ origin: NAME, size: -1, root }), RangeError)
  t.equal(openNote('no separator\n', v).ok, false)
})

const goAbsent = goMissing()
t.test('Go golang.org/x/mod/sumdb judges our notes and proofs', { skip: goAbsent === undefined ? false : `skipped: ${goAbsent}` }, async (t) => {
  const judge = buildGoJudge()
  const dir = tempDir(t, 'ken-note-')
  const { leaves, roots } = tree(37)
  const note = signCheckpoint({ origin: NAME, size: 37, root: roots[37] as Buffer }, signer)
  writeFileSync(path.join(dir, 'note'), note)
  const opened = judge(['open', signer.verifier.line, path.join(dir, 'note')])
  t.equal(opened.status, 0, opened.stderr)
  t.equal(opened.stdout, checkpointBody({ origin: NAME, size: 37, root: roots[37] as Buffer }))
  writeFileSync(path.join(dir, 'bad'), note.replace('\n37\n', '\n38\n'))
  t.equal(judge(['open', signer.verifier.line, path.join(dir, 'bad')]).status, 1, 'Go refuses an altered checkpoint')

  writeFileSync(path.join(dir, 'text'), checkpointBody({ origin: NAME, size: 2, root: roots[2] as Buffer }))
  const signed = judge(['sign', signerKeyText(NAME, seed), path.join(dir, 'text')])
  t.equal(signed.status, 0, signed.stderr)
  t.equal(signed.stdout, signCheckpoint({ origin: NAME, size: 2, root: roots[2] as Buffer }, signer), 'Ed25519 is deterministic: Go signs the same bytes')
  t.ok(openCheckpoint(signed.stdout, signer.verifier).ok)

  const nodes = leafNodes(leaves)
  const b64 = (b: Buffer): string => b.toString('base64')
  for (const [index, size] of [[0, 1], [5, 37], [36, 37], [16, 17], [31, 32]] as const) {
    const r = judge(['record', String(index), String(size), b64(roots[size] as Buffer), b64(leaves[index] as Buffer), ...inclusionProof(index, size, nodes).map(b64)])
    t.equal(r.status, 0, `Go checks inclusion ${index}/${size}: ${r.stderr}`)
  }
  t.equal(judge(['record', '5', '37', b64(roots[36] as Buffer), b64(leaves[5] as Buffer), ...inclusionProof(5, 37, nodes).map(b64)]).status, 1, 'Go refuses a wrong root')
  for (const [first, second] of [[1, 2], [7, 37], [16, 37], [32, 33], [20, 21]] as const) {
    const r = judge(['tree', String(first), String(second), b64(roots[first] as Buffer), b64(roots[second] as Buffer), ...consistencyProof(first, second, nodes).map(b64)])
    t.equal(r.status, 0, `Go checks consistency ${first}→${second}: ${r.stderr}`)
  }
})
