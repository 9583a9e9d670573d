/**
 * What the demo's simulated CS units send: first the initial load of a seeded population (every
 * resident's creating update, ACCEPTED), then the generator's everyday stream (転居, 転入/転出, 出生,
 * 死亡 … and a share of invalid cases, each with the result it must get). Per municipality, in order,
 * and resumable: `skip` events already answered in an earlier run are not sent again.
 *
 * Each CS runs its own link, so without care a 転入 at B could overtake the 転出 at A that precedes it
 * (in life they are days apart). An event about a person therefore waits until the previous event
 * about that person on another CS's link has been answered; events of one CS keep their own order.
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

/** Results a CS has had so far, over every run (its stream's events are answered in order). */
export type Answered = (code: string) => number

interface Planned {
  readonly event: GeneratedEvent
  /** The previous event about the same person, when it went over another CS's link. */
  readonly after?: { readonly code: string, readonly index: number }
}

export interface DemoStreams {
  readonly population: Population
  /** Updates of the initial load plus everyday events, per municipality. */
  readonly totals: ReadonlyMap<string, number>
  /**
   * The events of one municipality from its `skip`-th on. `initialLoaded`, when given, runs once the
   * initial load sent in this run is answered, before the everyday events (the demo's reconciliation).
   */
  readonly eventsOf: (code: string, skip: number, answered: Answered, initialLoaded?: (code: string) => Promise<void>) => AsyncIterable<SimEvent>
}

const POLL_MS = 20

function personOf (e: GeneratedEvent): string | undefined {
  return e.update?.identity?.juminhyoCode ?? e.update?.fuhyo?.juminhyoCode
}

export function planDemo (plan: DemoPlan, municipalities: readonly MunicipalityInfo[]): DemoStreams {
  const population = generatePopulation({ seed: plan.seed, municipalities, count: plan.residents })
  const initial = new Map(population.blocks.map((b) => [b.municipality.code, b.end - b.start]))
  const everyday = new Map<string, Planned[]>(municipalities.map((m) => [m.code, []]))
  const lastAbout = new Map<string, { code: string, index: number }>()
  for (const event of generateEvents({ seed: plan.seed, population, count: plan.events, invalidRate: plan.invalidRate, firstSequence: sequencesAfterInitialLoad(population) })) {
    const list = everyday.get(event.municipalityCode)
    if (list === undefined) continue
    const here = { code: event.municipalityCode, index: (initial.get(event.municipalityCode) ?? 0) + list.length }
    const person = personOf(event)
    const previous = person === undefined ? undefined : lastAbout.get(person)
    list.push(previous !== undefined && previous.code !== here.code ? { event, after: previous } : { event })
    if (person !== undefined) lastAbout.set(person, here)
  }
  const totals = new Map([...initial].map(([code, n]) => [code, n + (everyday.get(code)?.length ?? 0)]))
  return {
    population,
    totals,
    eventsOf: (code, skip, answered, initialLoaded) => ({
      async * [Symbol.asyncIterator] () {
        let i = 0
        for (const update of initialLoadEvents(population, { municipalityCode: code })) {
          if (i++ >= skip) yield { payload: encode('Update', update), expect: { status: ResultStatus.ACCEPTED }, catchUp: true }
        }
        if (initialLoaded !== undefined && skip < i) {
          while (answered(code) < i) await new Promise((resolve) => setTimeout(resolve, POLL_MS))
          await initialLoaded(code)
        }
        for (const { event, after } of everyday.get(code) ?? []) {
          if (i++ < skip) continue
          while (after !== undefined && answered(after.code) <= after.index) await new Promise((resolve) => setTimeout(resolve, POLL_MS))
          yield { payload: payloadOf(event), expect: event.expect }
        }
      }
    })
  }
}
