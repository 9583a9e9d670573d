/**
 * The media register (媒体管理簿; sources D4, D5, D13): one line per event in an append-only JSON
 * lines file — a medium written, a medium disposed (when and why), a weekly check. The register as
 * a table is the fold of those lines; generations are counted among the media still kept, newest
 * first. The weekly check compares it with the store room (the backup directory): media missing
 * from it, or altered, and files no line accounts for.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { appendFile, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { MediaCheck, MediaRecord } from '../../../../proto/src/types.ts'
import { errors } from '../errors.ts'

export const BACKUP_SUFFIX = '.kbk'

type Line =
  | { readonly event: 'written', readonly medium: Omit<MediaRecord, 'generation' | 'disposedAt' | 'disposalReason'> }
  | { readonly event: 'disposed', readonly mediaId: string, readonly at: string, readonly reason: string }
  | { readonly event: 'checked', readonly at: string, readonly missing: string[], readonly unknown: string[] }

export class MediaRegister {
  readonly #file: string
  readonly #dir: string

  /** @param dir the backup directory (the store room); the register is `register.jsonl` in it */
  constructor (dir: string) {
    this.#dir = dir
    this.#file = path.join(dir, 'register.jsonl')
  }

  get dir (): string {
    return this.#dir
  }

  fileOf (mediaId: string): string {
    return path.join(this.#dir, `${mediaId}${BACKUP_SUFFIX}`)
  }

  async written (medium: Omit<MediaRecord, 'generation' | 'disposedAt' | 'disposalReason'>): Promise<void> {
    await this.#append({ event: 'written', medium })
  }

  /** Enter a disposal. @throws KEN_ERR_STORE_MEDIA_UNKNOWN */
  async disposed (mediaId: string, reason: string, at: Date): Promise<void> {
    if (!(await this.list()).some((m) => m.mediaId === mediaId)) throw errors.KEN_ERR_STORE_MEDIA_UNKNOWN(undefined, { field: 'mediaId' })
    await this.#append({ event: 'disposed', mediaId, at: at.toISOString(), reason })
  }

  /** Every medium ever written, newest first; kept ones numbered by generation (1 = newest). */
  async list (): Promise<MediaRecord[]> {
    const media = new Map<string, MediaRecord>()
    for (const line of await this.#lines()) {
      if (line.event === 'written') media.set(line.medium.mediaId, { ...line.medium, generation: 0, disposedAt: '', disposalReason: '' })
      else if (line.event === 'disposed') {
        const m = media.get(line.mediaId)
        if (m !== undefined) media.set(line.mediaId, { ...m, disposedAt: line.at, disposalReason: line.reason })
      }
    }
    const all = [...media.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    let generation = 0
    return all.map((m) => m.disposedAt === '' ? { ...m, generation: ++generation } : m)
  }

  /** The weekly check (D4): recorded in the register too. */
  async check (at: Date): Promise<MediaCheck> {
    const media = await this.list()
    const files = new Set((await readdir(this.#dir)).filter((f) => f.endsWith(BACKUP_SUFFIX)))
    const missing: string[] = []
    for (const m of media) {
      const name = `${m.mediaId}${BACKUP_SUFFIX}`
      const present = files.delete(name)
      if (m.disposedAt !== '') continue
      if (!present || await sha256File(path.join(this.#dir, name)) !== m.sha256) missing.push(m.mediaId)
    }
    const result: MediaCheck = { missing, unknown: [...files].sort(), checkedAt: at.toISOString() }
    await this.#append({ event: 'checked', at: result.checkedAt, missing: result.missing, unknown: result.unknown })
    return result
  }

  async #lines (): Promise<Line[]> {
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line)
  }

  async #append (line: Line): Promise<void> {
    await appendFile(this.#file, `${JSON.stringify(line)}\n`, { mode: 0o640 })
  }
}

export async function sha256File (file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export async function sizeOf (file: string): Promise<number> {
  return (await stat(file)).size
}
