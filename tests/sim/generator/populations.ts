/**
 * Approximate populations of 福岡県's municipalities (2020 census, rounded): the weights that share a
 * synthetic population out among the CS, so that 福岡市's CS carries about a third of the load as it
 * does in reality. Only weights — a code missing here gets the median weight.
 */
export const FUKUOKA_POPULATION_2020: Readonly<Record<string, number>> = {
  401005: 939_000, 401307: 1_612_000, 402028: 111_000, 402036: 303_000, 402044: 56_000, 402052: 126_000,
  402061: 46_000, 402079: 64_000, 402109: 61_000, 402117: 49_000, 402125: 33_000, 402133: 71_000,
  402141: 25_000, 402150: 40_000, 402168: 59_000, 402176: 105_000, 402184: 111_000, 402192: 102_000,
  402206: 97_000, 402214: 71_000, 402231: 59_000, 402249: 67_000, 402257: 28_000, 402265: 26_000,
  402273: 36_000, 402281: 51_000, 402290: 35_000, 402303: 98_000, 402311: 50_000,
  403415: 37_000, 403423: 31_000, 403431: 46_000, 403440: 28_000, 403458: 33_000, 403482: 8_400,
  403491: 48_000, 403814: 13_500, 403822: 28_000, 403831: 31_000, 403849: 18_600, 404012: 7_300,
  404021: 15_400, 404217: 12_900, 404471: 29_000, 404489: 1_900, 405035: 15_200, 405221: 13_900,
  405442: 19_700, 406015: 10_400, 406023: 9_400, 406040: 8_500, 406058: 15_600, 406082: 4_900,
  406091: 2_900, 406104: 21_900, 406210: 37_000, 406252: 18_700, 406422: 6_700, 406465: 7_200,
  406473: 17_500
}

const MEDIAN = 31_000

/** The weight of a municipality in the synthetic population. */
export function populationWeight (code: string): number {
  return FUKUOKA_POPULATION_2020[code] ?? MEDIAN
}
