/**
 * The seam to the national server (SPEC §5.1, §6; A2.3): a person not in the prefecture's file is
 * searched at the national server when that link exists. ken-national (issue 12) provides the
 * implementation; without one the search answers `national: "unavailable"` and says so on screen.
 */
import type { Sex } from '../../../../proto/src/types.ts'

/** A search the national server is asked (the conditions the operator entered, already checked). */
export interface NationalSearch {
  readonly purpose: string
  readonly juminhyoCode: string
  readonly kojinBango: string
  readonly name: string
  readonly address: string
  readonly birthDate: string
  readonly sex: Sex
}

/** One person the national server answered with (the 8 items of 30条の7). */
export interface NationalPerson {
  readonly juminhyoCode: string
  readonly nameKanji: string
  readonly nameKana: string
  readonly birthDate: string
  readonly sex: Sex
  readonly address: string
  readonly kojinBango: string
}

export type NationalAnswer =
  | { readonly status: 'answered', readonly persons: readonly NationalPerson[] }
  | { readonly status: 'unavailable' | 'refused', readonly reasonCode: string }

/** Implemented by the national link; the store calls it after its own file found nobody. */
export interface NationalQuery {
  search: (query: NationalSearch) => Promise<NationalAnswer>
}

/** What the terminal gets when no national link is configured. */
export const NO_NATIONAL_LINK: NationalQuery = {
  search: async () => ({ status: 'unavailable', reasonCode: 'KEN_ERR_TERM_NATIONAL_UNAVAILABLE' })
}
