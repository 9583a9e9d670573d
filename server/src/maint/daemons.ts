/**
 * The daemons ken-maint reaches, each through its own maintenance socket (maint.proto), and the
 * technician acts it records through the store's.
 */
import { isKenError } from '../../../proto/src/ken-error.ts'
import { MaintOperation, type MaintResponse } from '../../../proto/src/types.ts'
import { callMaint, type MaintCall } from '../store/maint-client.ts'
import { errors } from './errors.ts'

export type TechnicianActKind = 'maint.login' | 'maint.refused' | 'maint.rotation' | 'maint.config-change'

export class Daemons {
  readonly #sockets: ReadonlyMap<string, string>

  constructor (sockets: Readonly<Record<string, string | undefined>>) {
    this.#sockets = new Map(Object.entries(sockets).filter((e): e is [string, string] => e[1] !== undefined))
  }

  get names (): string[] {
    return [...this.#sockets.keys()]
  }

  /** One call; a daemon's refusal comes back as its coded error. @throws KEN_ERR_MAINT_UNKNOWN_DAEMON, KEN_ERR_MAINT_DAEMON_UNREACHABLE */
  async call (daemon: string, call: MaintCall): Promise<MaintResponse> {
    const socket = this.#sockets.get(daemon)
    if (socket === undefined) throw errors.KEN_ERR_MAINT_UNKNOWN_DAEMON(undefined, { field: 'daemon' })
    try {
      return await callMaint(socket, call)
    } catch (err) {
      if (isKenError(err) && err.code !== 'KEN_ERR_STORE_CONNECTION_CLOSED') throw err
      throw errors.KEN_ERR_MAINT_DAEMON_UNREACHABLE(daemon, { cause: err })
    }
  }

  /** Record a technician's act in the store's log (sources D3, D8). */
  async recordAct (technician: string, kind: TechnicianActKind, fields: { refused?: boolean, reasonCode?: string, note?: string, count?: number } = {}): Promise<number> {
    const r = await this.call('store', {
      operation: MaintOperation.RECORD_ACT,
      technician,
      act: { kind, refused: fields.refused ?? false, reasonCode: fields.reasonCode ?? '', note: fields.note ?? '', count: fields.count ?? 0 }
    })
    return r.actPosition
  }
}
