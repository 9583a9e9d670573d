/**
 * ken-terminal's metrics (SPEC §7: terminal logins and refusals), in its own prom-client registry,
 * served on its maintenance socket (ken-maint scrapes it). Labels are a result and KEN_ERR_TERM_*
 * codes — never an account id, a search key or anything of a resident. The counts are plain
 * numbers copied into the registry when it is read, as in the gateway's and the store's metrics.
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { TerminalRequest, TerminalResponse } from '../../../../proto/src/types.ts'
import type { StoreLink } from '../store-client.ts'

type Ask = Omit<TerminalRequest, 'requestId' | 'terminalId'>

export class TerminalMetrics {
  /** The daemon's one registry: its series plus the process's (RSS, CPU, event loop). */
  readonly registry = new Registry()
  readonly #logins = new Map<string, number>()
  readonly #refusals = new Map<string, number>()

  constructor () {
    const registers = [this.registry]
    const logins = this.#logins
    const refusals = this.#refusals
    new Counter({
      name: 'ken_terminal_logins_total',
      help: 'Logins and unlocks (both factors) answered by the store, by result',
      labelNames: ['result'],
      registers,
      collect () {
        this.reset()
        for (const [result, n] of logins) this.inc({ result }, n)
      }
    })
    new Counter({
      name: 'ken_terminal_refusals_total',
      help: 'Requests the store refused, by KEN_ERR_TERM_* code',
      labelNames: ['code'],
      registers,
      collect () {
        this.reset()
        for (const [code, n] of refusals) this.inc({ code }, n)
      }
    })
    collectDefaultMetrics({ register: this.registry })
  }

  /** Count what the store answered to `request`. */
  answered (request: Ask, response: Pick<TerminalResponse, 'errorCode'>): void {
    const refused = response.errorCode !== ''
    if (request.loginFinish !== undefined && request.loginFinish !== null) bump(this.#logins, refused ? 'failed' : 'succeeded')
    if (refused) bump(this.#refusals, response.errorCode)
  }

  /** A store link whose answers are counted here. */
  counting (link: StoreLink): StoreLink {
    return {
      ask: async (request) => {
        try {
          const response = await link.ask(request)
          this.answered(request, response)
          return response
        } catch (err) {
          // The store did not answer (link down): still a refusal the operator saw.
          bump(this.#refusals, isKenError(err) ? err.code : 'KEN_ERR_TERM_UNAVAILABLE')
          throw err
        }
      },
      close: async () => { await link.close() }
    }
  }

  async text (): Promise<string> {
    return await this.registry.metrics()
  }
}

function bump (counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}
