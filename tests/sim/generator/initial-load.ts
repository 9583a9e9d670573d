/**
 * The initial load (SPEC §8: 5.1 M residents through the gateway in under 5 minutes): one creating
 * update per resident — 出生, 転入, 国外からの転入 or 職権記載, as the resident came onto the register —
 * on each municipality's normal stream, 更新順番号 1, 2, 3 … Streamed: nothing is held, and the update
 * of any one resident is derivable on its own.
 */
import { Stream, type Update } from '../../../proto/src/types.ts'
import { envelope, identityOf } from './bodies.ts'
import type { Population } from './population.ts'

export interface InitialLoadOptions {
  /** Only this municipality's residents: the stream one CS sends. */
  readonly municipalityCode?: string
  /** タイムスタンプ of every update; default 09:00 JST on the population's asOf date. */
  readonly timestamp?: string
}

/** The creating update of resident `index`: sequence = its place in its municipality's block + 1. */
export function initialLoadUpdate (population: Population, index: number, timestamp = `${population.asOf}T09:00:00+09:00`): Update {
  const r = population.at(index)
  const sequence = index - population.blockOf(index).start + 1
  return envelope(r.municipalityCode, Stream.NORMAL, sequence, timestamp, index, { identity: identityOf(r, r.registeredBy, r.registeredOn) })
}

/** Every creating update of the population (or of one municipality), in index order, lazily. */
export function * initialLoadEvents (population: Population, options: InitialLoadOptions = {}): Generator<Update, void, undefined> {
  const blocks = options.municipalityCode === undefined ? population.blocks : [population.block(options.municipalityCode)]
  for (const block of blocks) {
    for (let i = block.start; i < block.end; i++) yield initialLoadUpdate(population, i, options.timestamp)
  }
}

/** The next normal-stream 更新順番号 of each municipality once the initial load is in (for generateEvents). */
export function sequencesAfterInitialLoad (population: Population): Record<string, number> {
  return Object.fromEntries(population.blocks.map((b) => [b.municipality.code, b.end - b.start + 1]))
}
