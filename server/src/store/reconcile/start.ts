/**
 * Reconciliation in the store daemon (daemon.ts): the reconcile/ work database beside the store's
 * databases, the run engine, the mismatch list, and their two sockets.
 */
import path from 'node:path'
import type { LevelStore } from '../level-store.ts'
import type { StoreLogger } from '../store.ts'
import type { StoreDaemonOptions } from '../options.ts'
import { Reconciler, type ReconcileRunObserver } from './reconciler.ts'
import { MismatchList } from './mismatch-list.ts'
import { openLevelWorkDb } from './work-db.ts'
import { startReconcileServer } from './reconcile-server.ts'
import { startReconcileAdminServer } from './admin-server.ts'

export interface Reconciliation {
  readonly socketPath: string
  readonly adminSocketPath: string
  /** The mismatch list, also read by the terminal's monthly statistics (H16). */
  readonly mismatches: MismatchList
  close: () => Promise<void>
}

export async function startReconciliation (store: LevelStore, options: StoreDaemonOptions, logger: StoreLogger, clock?: () => Date, onRun?: ReconcileRunObserver): Promise<Reconciliation> {
  const dir = path.dirname(options.socketPath)
  const socketPath = options.reconcileSocketPath ?? path.join(dir, 'reconcile.sock')
  const adminSocketPath = options.reconcileAdminSocketPath ?? path.join(dir, 'reconcile-admin.sock')
  const work = await openLevelWorkDb(store.location)
  const reconciler = new Reconciler(store, work, { logger, ...(clock === undefined ? {} : { clock }), ...(onRun === undefined ? {} : { onRun }) })
  const lineServer = await startReconcileServer(reconciler, socketPath, options.socketMode, logger)
  // The admin socket is the operator's tool's, not the gateway's group: owner only.
  const mismatches = new MismatchList(store, work)
  const adminServer = await startReconcileAdminServer(reconciler, mismatches, adminSocketPath, 0o600, logger)
  return {
    socketPath,
    adminSocketPath,
    mismatches,
    close: async () => {
      await lineServer.close()
      await adminServer.close()
      await work.close()
    }
  }
}
