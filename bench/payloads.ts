/**
 * What the load generator sends: real creating updates (the initial load's 転入/出生-style records)
 * from the seeded population, one fresh resident per message, so every message ken-server receives is
 * decoded, validated, decided and durably committed as ACCEPTED. Mosquitto and the bare broker get the
 * very same bytes. The population is sized so that even the smallest municipality's block outlasts a run.
 */
import { encode } from '../proto/src/codec.ts'
import { loadMunicipalities, FUKUOKA_MUNICIPALITIES_FILE } from '../firmware-config/src/index.ts'
import { generatePopulation, initialLoadUpdate, type Population } from '../tests/sim/generator/index.ts'

export type PayloadKind = 'initial-load'

/** Residents in the benchmark population: ~12× Fukuoka, so the smallest village has ~25 000. */
export const BENCH_POPULATION = 60_000_000

let cached: { seed: number, population: Population } | undefined

/** The benchmark population for a seed (lazy: nothing is materialised). */
export function benchPopulation (seed: number, count = BENCH_POPULATION): Population {
  if (cached?.seed === seed && cached.population.count === count) return cached.population
  const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities
  const population = generatePopulation({ seed, municipalities, count })
  cached = { seed, population }
  return population
}

/**
 * A source of payloads for one CS: the next resident of its municipality, as an encoded Update;
 * undefined once the municipality's block of the population is sent.
 */
export function createPayloadSource (kind: PayloadKind, municipalityCode: string, seed: number, populationCount = BENCH_POPULATION): () => Uint8Array | undefined {
  if (kind !== 'initial-load') throw new Error(`unknown payload kind ${String(kind)}`)
  const population = benchPopulation(seed, populationCount)
  const block = population.block(municipalityCode)
  let next = block.start
  return () => (next < block.end ? encode('Update', initialLoadUpdate(population, next++)) : undefined)
}
