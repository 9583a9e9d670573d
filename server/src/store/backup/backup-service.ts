/**
 * The store daemon's backups (SPEC §7, sources D4–D6): one at a time, on demand (the maintenance
 * socket) or by the daily schedule, each recorded as an act naming who asked (a technician, or
 * `ken-store` for the schedule); and the weekly check of the media register. Times are Japan time
 * (UTC+9, no daylight saving), like every date of the register.
 */
import { mkdir } from 'node:fs/promises'
import type { KeyObject } from 'node:crypto'
import type { MediaCheck, MediaRecord } from '../../../../proto/src/types.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { errors } from '../errors.ts'
import type { Store, StoreLogger } from '../store.ts'
import { MediaRegister } from './media-register.ts'
import { takeBackup, type TakeBackupOptions } from './take-backup.ts'

export interface BackupServiceOptions {
  readonly dir: string
  readonly recipient: KeyObject
  /** Reads the appliance key when a backup starts (the daemon does not keep it in memory). */
  readonly applianceKey: () => Promise<Buffer>
  readonly generations: number
  readonly location: string
  /** "HH:MM" Japan time for the daily backup; undefined: on demand only. */
  readonly dailyAt?: string
  /** Day of the week of the media check, 0 = Sunday … 6 (Japan time); undefined: on demand only. */
  readonly weeklyCheckDay?: number
  readonly clock?: () => Date
  readonly checkpointAt?: TakeBackupOptions['checkpointAt']
  readonly onBackup?: (ok: boolean, at: Date) => void
}

const JST_MS = 9 * 3_600_000
const DAY_MS = 86_400_000

export class BackupService {
  readonly register: MediaRegister
  readonly #store: Store
  readonly #opts: BackupServiceOptions
  readonly #logger: StoreLogger
  readonly #clock: () => Date
  #running: Promise<MediaRecord> | undefined
  #timer: NodeJS.Timeout | undefined
  #lastCheckDay = -1

  constructor (store: Store, opts: BackupServiceOptions, logger: StoreLogger) {
    this.#store = store
    this.#opts = opts
    this.#logger = logger
    this.#clock = opts.clock ?? (() => new Date())
    this.register = new MediaRegister(opts.dir)
  }

  async start (): Promise<void> {
    await mkdir(this.#opts.dir, { recursive: true, mode: 0o750 })
    this.#arm()
  }

  stop (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Take a backup now, as `actor`. @throws KEN_ERR_STORE_BACKUP_BUSY while one runs */
  async backup (actor: string): Promise<MediaRecord> {
    if (this.#running !== undefined) throw errors.KEN_ERR_STORE_BACKUP_BUSY()
    this.#running = this.#take(actor)
    try {
      return await this.#running
    } finally {
      this.#running = undefined
    }
  }

  /** The weekly check, as `actor`; recorded as an act with the counts. */
  async check (actor: string): Promise<MediaCheck> {
    const result = await this.register.check(this.#clock())
    await this.#store.recordAct({ kind: 'maint.media-check', actor, count: result.missing.length + result.unknown.length, note: `missing ${result.missing.length}, unknown ${result.unknown.length}` })
    this.#logger.info({ event: 'store.media.checked', missing: result.missing.length, unknown: result.unknown.length }, 'media register checked')
    return result
  }

  async dispose (actor: string, mediaId: string, reason: string): Promise<MediaRecord[]> {
    await this.register.disposed(mediaId, reason, this.#clock())
    await this.#store.recordAct({ kind: 'maint.media-disposal', actor, note: `${mediaId}: ${reason}` })
    return await this.register.list()
  }

  async #take (actor: string): Promise<MediaRecord> {
    const started = this.#clock()
    this.#logger.info({ event: 'store.backup.started', actor }, 'backup started')
    const key = await this.#opts.applianceKey()
    try {
      const record = await takeBackup(this.#store, {
        register: this.register,
        recipient: this.#opts.recipient,
        applianceKey: key,
        generations: this.#opts.generations,
        location: this.#opts.location,
        clock: this.#clock,
        ...(this.#opts.checkpointAt === undefined ? {} : { checkpointAt: this.#opts.checkpointAt }),
        onProgress: (p) => { this.#logger.info({ event: 'store.backup.progress', mediaId: p.mediaId, position: p.position, of: p.of, bytes: p.bytes }, 'backup progress') }
      })
      await this.#store.recordAct({ kind: 'maint.backup', actor, count: record.logPosition, toPosition: record.logPosition, note: `${record.mediaId} sha256 ${record.sha256}` })
      this.#logger.info({ event: 'store.backup.written', mediaId: record.mediaId, position: record.logPosition, bytes: record.bytes, ms: this.#clock().getTime() - started.getTime() }, 'backup written')
      this.#opts.onBackup?.(true, this.#clock())
      return record
    } catch (err) {
      this.#logger.error({ event: 'store.backup.failed', code: isKenError(err) ? err.code : 'unknown' }, 'backup failed')
      this.#opts.onBackup?.(false, this.#clock())
      throw err
    } finally {
      key.fill(0)
    }
  }

  /** Sleep until the next daily time (re-armed after each run; a clock change is caught next day). */
  #arm (): void {
    const at = this.#opts.dailyAt
    if (at === undefined) return
    const now = this.#clock().getTime()
    const delay = msUntil(at, now)
    this.#timer = setTimeout(() => { void this.#daily() }, delay)
    this.#timer.unref()
  }

  async #daily (): Promise<void> {
    try {
      await this.backup('ken-store')
      const day = new Date(this.#clock().getTime() + JST_MS)
      if (this.#opts.weeklyCheckDay === day.getUTCDay() && this.#lastCheckDay !== Math.floor(day.getTime() / DAY_MS)) {
        this.#lastCheckDay = Math.floor(day.getTime() / DAY_MS)
        await this.check('ken-store')
      }
    } catch {
      // Logged by #take / check; the next day tries again.
    }
    this.#arm()
  }
}

/** Milliseconds from `now` to the next "HH:MM" Japan time (at least one second ahead). */
export function msUntil (hhmm: string, now: number): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  const local = now + JST_MS
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS
  let next = dayStart + (h * 60 + m) * 60_000
  if (next <= local + 1000) next += DAY_MS
  return next - local
}
