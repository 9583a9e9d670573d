/**
 * Residents of other prefectures for the national simulator's file (SPEC §5.1: queries are answered
 * "from what it holds plus a seeded population of other prefectures' residents"), drawn with the
 * population generator (tests/sim/generator) over a few real municipalities of 佐賀県 and 熊本県.
 */
import { Population } from '../generator/population.ts'
import type { NationalForward } from '../../../proto/src/types.ts'

/** Real 地方公共団体コード (check digits valid) of the neighbouring prefectures. */
export const OTHER_MUNICIPALITIES = [
  { code: '412015', name: '佐賀市' },
  { code: '412023', name: '唐津市' },
  { code: '431001', name: '熊本市' },
  { code: '432024', name: '八代市' }
] as const

/** The seeded residents, as the national file holds them (position 0: not from any forward). */
export function otherPrefectureResidents (count: number, seed = 4701): NationalForward[] {
  const saga = new Population({ seed, municipalities: OTHER_MUNICIPALITIES.slice(0, 2), count: Math.ceil(count / 2), prefectureName: '佐賀県' })
  const kumamoto = new Population({ seed: seed + 1, municipalities: OTHER_MUNICIPALITIES.slice(2), count: Math.floor(count / 2), prefectureName: '熊本県' })
  const out: NationalForward[] = []
  for (const population of [saga, kumamoto]) {
    for (const r of population) {
      out.push({
        logPosition: 0,
        entryHash: new Uint8Array(0),
        prefectureCode: r.municipalityCode.slice(0, 2),
        municipalityCode: r.municipalityCode,
        juminhyoCode: r.juminhyoCode,
        nameKanji: r.nameKanji,
        nameKana: r.nameKana,
        birthDate: r.birthDate,
        sex: r.sex,
        address: r.address,
        kojinBango: r.kojinBango,
        changeReason: r.registeredBy,
        changeDate: r.registeredOn,
        kyuujiKanji: r.kyuujiKanji,
        kyuujiKana: r.kyuujiKana,
        previousJuminhyoCode: '',
        previousPosition: 0
      })
    }
  }
  return out
}
