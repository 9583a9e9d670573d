/**
 * The synthetic population generator (tests, the CS simulator, the benchmark): residents derived
 * in O(1) from (seed, index), the initial load as a stream, and the event stream with the result
 * each event must get. Deterministic from the seed; no Math.random.
 */
export { generatePopulation, Population, type PopulationOptions, type Resident, type PersonBody, type Block, type PersonSeed } from './population.ts'
export { initialLoadEvents, initialLoadUpdate, sequencesAfterInitialLoad, type InitialLoadOptions } from './initial-load.ts'
export { generateEvents, payloadOf, type EventOptions, type GeneratedEvent, type Expectation } from './events.ts'
export { INVALID_BUILDERS, NOT_GENERATED } from './invalid-events.ts'
export { Rng, WeightedTable, hash32, seedWord, type Seed } from './prng.ts'
export { CodeSpace, REISSUE_BASE, NEVER_ISSUED_BASE } from './codes.ts'
export { NAME_TABLE_SIZES } from './names.ts'
export type { MunicipalityInfo } from './places.ts'
