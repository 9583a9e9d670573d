/**
 * The plaintext inside a backup (docs/backups.md): a sequence of records
 *   type (u8) ‖ u32 key length ‖ key ‖ u32 value length ‖ value
 * in this order: one MANIFEST (JSON), one APPLIANCE_KEY, every LOG pair, every KEYS pair (LevelDB key
 * order), one END (JSON with the counts). The views are not in it: restore rebuilds them.
 */
import { errors } from '../errors.ts'

export const RecordType = { MANIFEST: 1, APPLIANCE_KEY: 2, LOG: 3, KEYS: 4, END: 9 } as const
export type RecordType = typeof RecordType[keyof typeof RecordType]

export interface BackupRecord {
  readonly type: RecordType
  readonly key: Buffer
  readonly value: Buffer
}

/** What the manifest says; `checkpoint` is the signed checkpoint at the head once the log issues them. */
export interface BackupManifest {
  readonly mediaId: string
  readonly createdAt: string
  readonly logPosition: number
  readonly logHeadHash: string
  readonly checkpoint?: string
}

export interface BackupEnd {
  readonly log: number
  readonly keys: number
}

export function encodeRecord (type: RecordType, key: Buffer, value: Buffer): Buffer {
  const out = Buffer.allocUnsafe(9 + key.length + value.length)
  out[0] = type
  out.writeUInt32BE(key.length, 1)
  key.copy(out, 5)
  out.writeUInt32BE(value.length, 5 + key.length)
  value.copy(out, 9 + key.length)
  return out
}

const TYPES: ReadonlySet<number> = new Set(Object.values(RecordType))

/** Parse records out of plaintext chunks (records may span chunks). @throws KEN_ERR_STORE_BACKUP_FORMAT */
export async function * readRecords (plain: AsyncIterable<Buffer>): AsyncGenerator<BackupRecord> {
  let buf: Buffer = Buffer.alloc(0)
  for await (const chunk of plain) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
    let offset = 0
    while (buf.length - offset >= 9) {
      const type = buf[offset] as number
      if (!TYPES.has(type)) throw errors.KEN_ERR_STORE_BACKUP_FORMAT(`record type ${type}`)
      const keyLen = buf.readUInt32BE(offset + 1)
      if (buf.length - offset < 9 + keyLen) break
      const valueLen = buf.readUInt32BE(offset + 5 + keyLen)
      const end = offset + 9 + keyLen + valueLen
      if (buf.length < end) break
      yield { type: type as RecordType, key: buf.subarray(offset + 5, offset + 5 + keyLen), value: buf.subarray(offset + 9 + keyLen, end) }
      offset = end
    }
    buf = buf.subarray(offset)
  }
  if (buf.length > 0) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('a record is cut off')
}
