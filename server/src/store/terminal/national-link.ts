/**
 * The terminal's seam to the national server (national-query.ts in this folder) implemented by the
 * national link (SPEC §5.1, §6; issue 12): a search for a person not in the prefecture's file is sent
 * through ken-national as a 照会 (../national-query.ts), which records its own `national.query` act;
 * the terminal records the operator's search act as for any search.
 */
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { FourItems } from '../../../../proto/src/types.ts'
import { queryNational, type NationalQueryInput } from '../national-query.ts'
import type { OutboxServer } from '../outbox-server.ts'
import type { Store } from '../store.ts'
import type { NationalAnswer, NationalQuery, NationalSearch } from './national-query.ts'

const KANJI = /[\u3400-\u9fff]/

/** The national link as the terminal's NationalQuery. */
export function nationalLinkQuery (store: Store, outbox: OutboxServer, timeoutMs: number): NationalQuery {
  return {
    search: async (q: NationalSearch): Promise<NationalAnswer> => {
      const input: NationalQueryInput = { actor: 'ken-terminal', role: 'terminal', purpose: q.purpose, ...keyOf(q) }
      try {
        const r = await queryNational(store, outbox, input, timeoutMs)
        if (r.records.length === 0 && r.reasonCode !== '') return { status: 'refused', reasonCode: r.reasonCode }
        return {
          status: 'answered',
          persons: r.records.map((p) => ({ juminhyoCode: p.juminhyoCode, nameKanji: p.nameKanji, nameKana: p.nameKana, birthDate: p.birthDate, sex: p.sex, address: p.address, kojinBango: p.kojinBango }))
        }
      } catch (err) {
        return { status: 'unavailable', reasonCode: isKenError(err) ? err.code : 'KEN_ERR_STORE_NATIONAL_NO_LINK' }
      }
    }
  }
}

function keyOf (q: NationalSearch): Pick<NationalQueryInput, 'juminhyoCode' | 'kojinBango' | 'fourItems'> {
  if (q.juminhyoCode !== '') return { juminhyoCode: q.juminhyoCode }
  if (q.kojinBango !== '') return { kojinBango: q.kojinBango }
  const four: Partial<FourItems> = {
    ...(q.name === '' ? {} : KANJI.test(q.name) ? { nameKanji: q.name } : { nameKana: q.name }),
    ...(q.address === '' ? {} : { address: q.address }),
    ...(q.birthDate === '' ? {} : { birthDate: q.birthDate }),
    ...(q.sex === 0 ? {} : { sex: q.sex })
  }
  return { fourItems: four }
}
