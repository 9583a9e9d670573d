// The backup cipher's STREAM construction (docs/maintenance.md): chunks cannot be reordered, dropped,
// truncated at a chunk boundary or extended; the header is authenticated by every chunk; only the
// recipient's key opens it. And the daily schedule's arithmetic (Japan time).
import t from 'tap'
import { BackupSealer, CHUNK_BYTES, MAGIC, openBackup } from '../../../../server/src/store/backup/backup-cipher.ts'
import { msUntil } from '../../../../server/src/store/backup/backup-service.ts'
import { generateRecipientKey, readIdentityKey, readRecipientPublicKey } from '../../../../server/src/store/backup/recipient-key.ts'

const pair = generateRecipientKey()
const recipient = readRecipientPublicKey(pair.publicPem)
const identity = readIdentityKey(pair.privatePem)
const facts = { mediaId: 'KB-1', createdAt: '2026-01-01T00:00:00.000Z', logPosition: 5, logHeadHash: 'ab' }
const plain = Buffer.alloc(CHUNK_BYTES * 2 + 1000)
for (let i = 0; i < plain.length; i++) plain[i] = (i * 7) & 0xff

/** The sealed file split into header and chunks (u32 length ‖ body each). */
function seal (): { header: Buffer, chunks: Buffer[] } {
  const s = new BackupSealer(recipient, facts)
  const chunks = [...s.push(plain.subarray(0, 5000)), ...s.push(plain.subarray(5000)), s.finish()]
  return { header: s.header, chunks }
}

async function open (file: Buffer, key = identity): Promise<Buffer | string> {
  const out: Buffer[] = []
  try {
    for await (const c of openBackup((async function * () { yield file })(), key, () => undefined)) out.push(c)
    return Buffer.concat(out)
  } catch (err) {
    return (err as { code: string }).code
  }
}

t.test('round trip over three chunks', async (t) => {
  const { header, chunks } = seal()
  t.equal(chunks.length, 3)
  t.ok(header.subarray(0, MAGIC.length).equals(MAGIC))
  const back = await open(Buffer.concat([header, ...chunks]))
  t.ok(Buffer.isBuffer(back) && back.equals(plain))
})

t.test('reordered, dropped, truncated, extended, or a header changed: refused', async (t) => {
  const { header, chunks } = seal()
  const [a, b, c] = chunks as [Buffer, Buffer, Buffer]
  t.equal(await open(Buffer.concat([header, b, a, c])), 'KEN_ERR_STORE_BACKUP_TAMPERED', 'reordered')
  t.equal(await open(Buffer.concat([header, a, c])), 'KEN_ERR_STORE_BACKUP_TAMPERED', 'a chunk dropped')
  t.equal(await open(Buffer.concat([header, a, b])), 'KEN_ERR_STORE_BACKUP_TAMPERED', 'cut at a chunk boundary')
  t.equal(await open(Buffer.concat([header, a, b, c, c])), 'KEN_ERR_STORE_BACKUP_TAMPERED', 'extended by a chunk')
  const forged = Buffer.from(header.toString('latin1').replace('"logPosition":5', '"logPosition":6'), 'latin1')
  t.equal(await open(Buffer.concat([forged, a, b, c])), 'KEN_ERR_STORE_BACKUP_TAMPERED', 'the header is authenticated')
  t.equal(await open(Buffer.concat([header, a, b, c]), readIdentityKey(generateRecipientKey().privatePem)), 'KEN_ERR_STORE_BACKUP_KEY_MISMATCH', 'another key')
  t.equal(await open(Buffer.from('not a backup')), 'KEN_ERR_STORE_BACKUP_FORMAT')
})

t.test('the daily time is Japan time, always ahead', async (t) => {
  const at = (iso: string): number => Date.parse(iso)
  // 02:00 JST = 17:00 UTC the day before.
  t.equal(msUntil('02:00', at('2026-01-01T16:00:00Z')), 3_600_000)
  t.equal(msUntil('02:00', at('2026-01-01T17:00:00Z')), 86_400_000, 'at the time itself: the next day')
  t.equal(msUntil('02:00', at('2026-01-01T18:00:00Z')), 23 * 3_600_000)
})
