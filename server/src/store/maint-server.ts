/**
 * The store's maintenance socket (maint.proto; SPEC §1.1: ken-maint's capability on the store is
 * "health, metrics, backups, rotation, configuration" and never a resident's data or a key). The
 * table below is the whole capability: health (head position and hash — public), the metrics
 * text, a backup (encrypted to the administrator; the file never passes the socket), the media
 * register and its check, a medium's disposal, and recording a technician's act of a kind in
 * `TECHNICIAN_ACT_KINDS`. Nothing here reads a view, the log's contents, or the keyring.
 */
import { MaintOperation, type MaintRequest } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'
import type { BackupService } from './backup/backup-service.ts'
import { startMaintSocket, type MaintHandlers, type MaintSocket } from './maint-socket.ts'
import type { StoreMetrics } from './store-metrics.ts'
import type { Store, StoreLogger } from './store.ts'

/** The acts ken-maint may record here (the backup and media acts the store records itself). */
export const TECHNICIAN_ACT_KINDS: ReadonlySet<string> = new Set(['maint.login', 'maint.refused', 'maint.rotation', 'maint.config-change'])

export interface StoreMaintDeps {
  readonly store: Store
  readonly metrics: StoreMetrics
  readonly backups: BackupService | undefined
  readonly startedAt: number
}

export function storeMaintHandlers (deps: StoreMaintDeps): MaintHandlers {
  const { store, metrics } = deps
  const backups = (): BackupService => {
    if (deps.backups === undefined) throw errors.KEN_ERR_STORE_BACKUP_NOT_CONFIGURED()
    return deps.backups
  }
  const technician = (r: MaintRequest): string => {
    if (r.technician === '') throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('the technician is not named', { field: 'technician' })
    return r.technician
  }
  return {
    [MaintOperation.HEALTH]: async () => {
      const head = store.head()
      return { health: { daemon: 'store', ok: store.isOpen, uptimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000), logPosition: head.position, logHeadHash: head.hash.toString('hex'), detail: store.isOpen ? 'accepting writes' : 'closed' } }
    },
    [MaintOperation.METRICS]: async () => ({ metricsText: await metrics.text() }),
    [MaintOperation.BACKUP]: async (r) => ({ media: [await backups().backup(technician(r))] }),
    [MaintOperation.MEDIA]: async () => ({ media: await backups().register.list() }),
    [MaintOperation.MEDIA_CHECK]: async (r) => ({ mediaCheck: await backups().check(technician(r)) }),
    [MaintOperation.DISPOSE_MEDIUM]: async (r) => {
      const d = r.disposal
      if (d === undefined || d === null || d.mediaId === '' || d.reason === '') throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('a disposal names the medium and the reason', { field: 'disposal' })
      return { media: await backups().dispose(technician(r), d.mediaId, d.reason) }
    },
    [MaintOperation.RECORD_ACT]: async (r) => {
      const act = r.act
      if (act === undefined || act === null || !TECHNICIAN_ACT_KINDS.has(act.kind)) throw errors.KEN_ERR_STORE_MAINT_ACT_KIND(undefined, { field: 'act.kind' })
      const head = await store.recordAct({ kind: act.kind, actor: technician(r), role: 'technician', refused: act.refused, reasonCode: act.reasonCode, note: act.note, count: act.count })
      metrics.act(act.kind)
      return { actPosition: head.position }
    }
  }
}

export async function startStoreMaintServer (deps: StoreMaintDeps, socketPath: string, logger: StoreLogger): Promise<MaintSocket> {
  return await startMaintSocket(storeMaintHandlers(deps), {
    socketPath,
    eventPrefix: 'store.maint',
    // An attempt at an operation the store does not offer here is a refused act of whoever asked (H21).
    onUnsupported: async (r) => {
      await deps.store.recordAct({ kind: 'maint.refused', actor: r.technician === '' ? 'unnamed' : r.technician, role: 'technician', refused: true, reasonCode: errors.KEN_ERR_STORE_MAINT_UNSUPPORTED.code, note: `operation ${r.operation} on the store's maintenance socket` })
    }
  }, logger)
}
