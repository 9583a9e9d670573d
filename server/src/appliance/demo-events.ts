/**
 * What the demo's simulated CS units send: first the initial load of a seeded population (every
 * resident's creating update, ACCEPTED), then the generator's everyday stream (転居, 転入/転出, 出生,
 * 死亡 … and a share of invalid cases, each with the result it must get). Per municipality, in order,
 * and resumable: `skip` events already answered in an earlier run are not sent again.
 */
import { encode } from '../../../proto/src/codec.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import type { SimEvent } from '../../../tests/sim/cs-sim/simulator.ts'
import {
  generateEvents, generatePopulation, initialLoadEvents, payloadOf, sequencesAfterInitialLoad,
  type GeneratedEvent, type Population
} from '../../../tests/sim/generator/index.ts'
import type { MunicipalityInfo } from '../../../tests/sim/generator/places.ts'

export interface DemoPlan {
  readonly seed: number
  readonly residents: number
  readonly events: number
  readonly invalidRate: number
}

export interface DemoStreams {
  readonly population: Population
  /** Updates of the initial load plus everyday events, per municipality. */
  readonly totals: ReadonlyMap<string, number>
  /** The events of one municipality from its `skip`-th on. */
  readonly eventsOf: (code: string, skip: number) => Iterable<SimEvent>
}

export function planDemo (plan: DemoPlan, municipalities: readonly MunicipalityInfo[]): DemoStreams {
  const population = generatePopulation({ seed: plan.seed, municipalities, count: plan.residents })
  const everyday = new Map<string, GeneratedEvent[]>(municipalities.map((m) => [m.code, []]))
  for (const e of generateEvents({ seed: plan.seed, population, count: plan.events, invalidRate: plan.invalidRate, firstSequence: sequencesAfterInitialLoad(population) })) {
    everyday.get(e.municipalityCode)?.push(e)
  }
  const totals = new Map(population.blocks.map((b) => [b.municipality.code, (b.end - b.start) + (everyday.get(b.municipality.code)?.length ?? 0)]))
  return {
    population,
    totals,
    eventsOf: (code, skip) => ({
      * [Symbol.iterator] () {
        let i = 0
        for (const update of initialLoadEvents(population, { municipalityCode: code })) {
          if (i++ >= skip) yield { payload: encode('Update', update), expect: { status: ResultStatus.ACCEPTED } }
        }
        for (const e of everyday.get(code) ?? []) {
          if (i++ >= skip) yield { payload: payloadOf(e), expect: e.expect }
        }
      }
    })
  }
}
