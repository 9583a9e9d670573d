/**
 * The backup file's encryption (docs/backups.md): X25519 ECDH between a fresh ephemeral key and the
 * recipient's key, HKDF-SHA-256 to one AES-256-GCM key, and the plaintext in chunks of at most
 * 1 MiB, each sealed with a nonce of (chunk counter, last-chunk flag) — the STREAM construction
 * (Hoang, Reyhanitabar, Rogaway, Vizár 2015) that age also uses — so chunks cannot be dropped,
 * reordered, truncated or extended. Every chunk authenticates the header as associated data.
 *
 *   file   = MAGIC ‖ u32 len ‖ header (JSON, UTF-8) ‖ chunk*
 *   chunk  = u32 len ‖ AES-256-GCM(key, nonce(i, last), aad = SHA-256(MAGIC ‖ u32 len ‖ header), plaintext) ‖ tag(16)
 *   nonce  = 0x00 ‖ u64 BE i ‖ 0x00 0x00 ‖ last (0x01 on the final chunk)
 *   key    = HKDF-SHA-256(ikm = X25519(eph, recipient), salt = eph_pub ‖ recipient_pub, info = INFO, 32)
 */
import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto'
import { errors } from '../errors.ts'
import { rawPublicKey, recipientFingerprint } from './recipient-key.ts'

export const MAGIC = Buffer.from('KENBACKUP1\n', 'latin1')
const INFO = Buffer.from('ken-server backup v1', 'latin1')
export const CHUNK_BYTES = 1 << 20
const TAG = 16
const MAX_HEADER = 64 * 1024

/** What the header says in clear: no personal data, no key but the ephemeral public one. */
export interface BackupHeader {
  readonly format: 1
  readonly mediaId: string
  readonly createdAt: string
  readonly logPosition: number
  readonly logHeadHash: string
  /** SHA-256 of the recipient's raw public key, hex. */
  readonly recipient: string
  /** The ephemeral X25519 public key, base64. */
  readonly ephemeral: string
}

function nonce (i: number, last: boolean): Buffer {
  const n = Buffer.alloc(12)
  n.writeBigUInt64BE(BigInt(i), 1)
  n[11] = last ? 1 : 0
  return n
}

function deriveKey (shared: Buffer, eph: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([eph, recipient]), INFO, 32))
}

function headerBytes (header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(json.length)
  return Buffer.concat([MAGIC, len, json])
}

/** Seals plaintext chunk by chunk; `push` returns the bytes to write, `finish` the last ones. */
export class BackupSealer {
  readonly header: Buffer
  readonly #key: Buffer
  readonly #aad: Buffer
  #pending: Buffer[] = []
  #pendingBytes = 0
  #index = 0

  constructor (recipient: KeyObject, facts: Omit<BackupHeader, 'format' | 'recipient' | 'ephemeral'>) {
    const eph = generateKeyPairSync('x25519')
    const ephRaw = rawPublicKey(eph.publicKey)
    const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient })
    this.#key = deriveKey(shared, ephRaw, rawPublicKey(recipient))
    this.header = headerBytes({ format: 1, ...facts, recipient: recipientFingerprint(recipient), ephemeral: ephRaw.toString('base64') })
    this.#aad = createHash('sha256').update(this.header).digest()
  }

  /** Add plaintext; returns sealed chunks that are complete (possibly none). */
  push (plain: Buffer): Buffer[] {
    this.#pending.push(plain)
    this.#pendingBytes += plain.length
    const out: Buffer[] = []
    while (this.#pendingBytes > CHUNK_BYTES) {
      const all = Buffer.concat(this.#pending)
      out.push(this.#seal(all.subarray(0, CHUNK_BYTES), false))
      this.#pending = [all.subarray(CHUNK_BYTES)]
      this.#pendingBytes = all.length - CHUNK_BYTES
    }
    return out
  }

  /** The final chunk (flagged last; possibly empty). */
  finish (): Buffer {
    const out = this.#seal(Buffer.concat(this.#pending), true)
    this.#pending = []
    this.#pendingBytes = 0
    this.#key.fill(0)
    return out
  }

  #seal (plain: Buffer, last: boolean): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce(this.#index++, last))
    cipher.setAAD(this.#aad)
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    const len = Buffer.alloc(4)
    len.writeUInt32BE(body.length)
    return Buffer.concat([len, body])
  }
}

/**
 * Opens a backup read as a stream of byte chunks: first the header (checked against `identity`
 * before anything is decrypted), then the plaintext chunks in order.
 * @throws KEN_ERR_STORE_BACKUP_FORMAT, KEN_ERR_STORE_BACKUP_KEY_MISMATCH, KEN_ERR_STORE_BACKUP_TAMPERED
 */
export async function * openBackup (source: AsyncIterable<Buffer>, identity: KeyObject, onHeader: (h: BackupHeader) => void): AsyncGenerator<Buffer> {
  let buf: Buffer = Buffer.alloc(0)
  const it = source[Symbol.asyncIterator]()
  let ended = false
  const need = async (n: number): Promise<boolean> => {
    while (buf.length < n && !ended) {
      const next = await it.next()
      if (next.done === true) ended = true
      else buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value])
    }
    return buf.length >= n
  }
  if (!await need(MAGIC.length + 4) || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('no backup header')
  const headerLen = buf.readUInt32BE(MAGIC.length)
  if (headerLen > MAX_HEADER || !await need(MAGIC.length + 4 + headerLen)) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('header truncated')
  const raw = buf.subarray(0, MAGIC.length + 4 + headerLen)
  buf = buf.subarray(raw.length)
  let header: BackupHeader
  try {
    header = JSON.parse(raw.subarray(MAGIC.length + 4).toString('utf8')) as BackupHeader
  } catch {
    throw errors.KEN_ERR_STORE_BACKUP_FORMAT('header is not JSON')
  }
  if (header.format !== 1 || typeof header.ephemeral !== 'string' || typeof header.recipient !== 'string') throw errors.KEN_ERR_STORE_BACKUP_FORMAT('unknown header')
  if (header.recipient !== recipientFingerprint(identity)) throw errors.KEN_ERR_STORE_BACKUP_KEY_MISMATCH()
  const ephRaw = Buffer.from(header.ephemeral, 'base64')
  let key: Buffer
  try {
    const eph = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephRaw.toString('base64url') }, format: 'jwk' })
    key = deriveKey(diffieHellman({ privateKey: identity, publicKey: eph }), ephRaw, rawPublicKey(identity))
  } catch {
    throw errors.KEN_ERR_STORE_BACKUP_TAMPERED('ephemeral key')
  }
  onHeader(header)
  const aad = createHash('sha256').update(raw).digest()
  for (let i = 0; ; i++) {
    if (!await need(4)) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('truncated: no final chunk')
    const len = buf.readUInt32BE(0)
    if (len < TAG || len > CHUNK_BYTES + TAG) throw errors.KEN_ERR_STORE_BACKUP_TAMPERED(`chunk ${i} length`)
    if (!await need(4 + len)) throw errors.KEN_ERR_STORE_BACKUP_FORMAT(`truncated in chunk ${i}`)
    const body = buf.subarray(4, 4 + len)
    buf = buf.subarray(4 + len)
    await need(1)
    const last = buf.length === 0 && ended
    // Opened as final only when nothing follows: a final chunk with bytes after it (extended) or a
    // file that ends on a non-final chunk (truncated at a chunk boundary) fails authentication.
    const plain = openChunk(key, i, last, aad, body)
    if (plain === undefined) throw errors.KEN_ERR_STORE_BACKUP_TAMPERED(`chunk ${i}`)
    yield plain
    if (last) return
  }
}

function openChunk (key: Buffer, i: number, last: boolean, aad: Buffer, body: Buffer): Buffer | undefined {
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce(i, last))
    d.setAAD(aad)
    d.setAuthTag(body.subarray(body.length - TAG))
    return Buffer.concat([d.update(body.subarray(0, body.length - TAG)), d.final()])
  } catch {
    return undefined
  }
}
