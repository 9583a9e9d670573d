/**
 * The demo's reconciliations (SPEC §5.3): once a simulated CS's initial load is answered, it runs one
 * reconciliation over its own link with a few deliberately diverged records (residents left out, one
 * the file does not know, one item changed) and the demo checks that the server found exactly those.
 * Figures only in the live view — never a resident's data.
 */
import type { MqttClient } from 'mqtt'
import type { Population } from '../../../tests/sim/generator/population.ts'
import { buildSnapshot, chunksOf, type Divergence } from '../../../tests/sim/cs-sim/reconcile-run.ts'
import { ReconcilingCs } from '../../../tests/sim/cs-sim/reconciling-cs.ts'

const DIVERGENCE: Omit<Divergence, 'seed'> = { missing: 0.002, extra: 0.001, differing: 0.003 }
/** Records per chunk: one MQTT message under the gateway's maxPacketBytes. */
const PER_CHUNK = 450

interface RunStatus {
  state: 'running' | 'exact' | 'inexact' | 'failed'
  seeded: number
  found: number
}

export class DemoReconciliations {
  readonly #runs = new Map<string, RunStatus>()
  readonly #population: Population
  readonly #linkOf: (code: string) => MqttClient | undefined
  readonly #credential: (code: string) => { cert: Buffer, key: Buffer }
  readonly #url: string
  readonly #ca: Buffer

  constructor (o: { population: Population, url: string, ca: Buffer, linkOf: (code: string) => MqttClient | undefined, credential: (code: string) => { cert: Buffer, key: Buffer } }) {
    this.#population = o.population
    this.#linkOf = o.linkOf
    this.#credential = o.credential
    this.#url = o.url
    this.#ca = o.ca
  }

  /** One run for `code`, over the CS's own link; never throws (a failure is shown). */
  async run (code: string): Promise<void> {
    const snap = buildSnapshot(this.#population, code, { ...DIVERGENCE, seed: Number(code) })
    const status: RunStatus = { state: 'running', seeded: snap.expected.size, found: 0 }
    this.#runs.set(code, status)
    const link = this.#linkOf(code)
    const cred = this.#credential(code)
    const chunks = chunksOf(snap.records, { municipalityCode: code, sessionId: `demo-${code}-${Date.now()}`, snapshotDate: this.#population.asOf, perChunk: PER_CHUNK })
    const cs = new ReconcilingCs({ url: this.#url, ca: this.#ca.toString(), cert: cred.cert.toString(), key: cred.key.toString(), municipalityCode: code, chunks, ...(link === undefined ? {} : { link }) })
    try {
      await cs.run()
      let exact = true
      for (const r of cs.results.values()) {
        for (const d of r.differences) {
          status.found++
          const want = snap.expected.get(d.juminhyoCode)
          if (want === undefined || want.kind !== d.kind || want.fields.join() !== d.fields.join()) exact = false
        }
      }
      status.state = exact && status.found === status.seeded ? 'exact' : 'inexact'
    } catch {
      status.state = 'failed'
    }
  }

  /** The live view's line. */
  line (): string | undefined {
    if (this.#runs.size === 0) return undefined
    const all = [...this.#runs.values()]
    const count = (s: RunStatus['state']): number => all.filter((r) => r.state === s).length
    const seeded = all.reduce((n, r) => n + r.seeded, 0)
    const found = all.reduce((n, r) => n + r.found, 0)
    return `reconciliation (整合性確認): ${count('exact')} exact, ${count('running')} running, ${count('inexact')} inexact, ${count('failed')} failed — differences found ${found} of ${seeded} seeded (mismatch list: ken-store mismatches)`
  }
}
