/**
 * 照会 to the national server (SPEC §5.1, §6 "A person not in the prefecture's file is searched at the
 * national server"; requirements B2.1–B2.3): the store asks, on an operator's behalf, through the
 * outbox socket's relay — ken-national only carries the request and the answer over its mTLS link, it
 * never reads the store. The query is recorded like any search (a `national.query` act): actor, role,
 * terminal, purpose and count in clear; the conditions and the 住民票コード answered sealed in the detail.
 *
 * This is the call the terminal (issue 13) makes; until it exists, tests call it through the daemon
 * (`StoreDaemon.queryNational`).
 */
import { randomUUID } from 'node:crypto'
import type { FourItems, NationalForward, NationalSearchRequest } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { Store } from './store.ts'
import type { OutboxServer } from './outbox-server.ts'
import { errors } from './errors.ts'

/** One query: who asks, for which 事務, by exactly one key. */
export interface NationalQueryInput {
  /** The operator's account (never a resident). */
  readonly actor: string
  readonly role?: string
  /** 操作端末ID. */
  readonly terminal?: string
  /** 事務 code (別表) the search is made for — required (SPEC §6 "Every search names its purpose"). */
  readonly purpose: string
  readonly juminhyoCode?: string
  readonly kojinBango?: string
  readonly fourItems?: Partial<FourItems>
}

/** What the national server answered, and the log entry that records the query. */
export interface NationalQueryResult {
  readonly queryId: string
  readonly records: readonly NationalForward[]
  /** The national server's reason when it found nothing or refused ('' otherwise). */
  readonly reasonCode: string
  readonly actPosition: number
}

/** Default wait for the national answer. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000

const JUMINHYO = /^[0-9]{11}$/
const KOJIN = /^[0-9]{12}$/
const TEXT = 256

/**
 * Ask the national server and record the query. The act is durable before this resolves; a query
 * that could not be made (no link, no answer) is recorded as refused, then thrown.
 * @throws KEN_ERR_STORE_NATIONAL_QUERY (bad conditions: nothing asked, nothing recorded),
 *   KEN_ERR_STORE_NATIONAL_NO_LINK, KEN_ERR_STORE_NATIONAL_TIMEOUT
 */
export async function queryNational (store: Store, outbox: OutboxServer, input: NationalQueryInput, timeoutMs = DEFAULT_QUERY_TIMEOUT_MS): Promise<NationalQueryResult> {
  const request = requestOf(input)
  const conditions = { juminhyoCode: request.juminhyoCode, kojinBango: request.kojinBango, fourItems: request.fourItems }
  const base = { kind: 'national.query', actor: input.actor, role: input.role, terminal: input.terminal, purpose: input.purpose } as const
  const refuse = async (reasonCode: string, err: Error): Promise<never> => {
    await store.recordAct({ ...base, refused: true, reasonCode, count: 0, note: request.queryId, detail: Buffer.from(JSON.stringify({ conditions, answered: [] })) })
    throw err
  }
  let answer
  try {
    answer = await outbox.relay(request, timeoutMs)
  } catch (err) {
    return await refuse(isKenError(err) ? err.code : errors.KEN_ERR_STORE_NATIONAL_NO_LINK.code, err as Error)
  }
  // ken-national could not ask (its link is down, or the national server did not answer in time).
  if (answer.reasonCode === 'KEN_ERR_NATIONAL_LINK_DOWN') return await refuse(answer.reasonCode, errors.KEN_ERR_STORE_NATIONAL_NO_LINK('the link to the national server is down'))
  if (answer.reasonCode === 'KEN_ERR_NATIONAL_QUERY_TIMEOUT') return await refuse(answer.reasonCode, errors.KEN_ERR_STORE_NATIONAL_TIMEOUT())
  // The answer came through a less trusted process: only well-formed codes are recorded as subjects.
  const answered = answer.records.map((r) => r.juminhyoCode).filter((c) => JUMINHYO.test(c))
  const head = await store.recordAct({
    ...base,
    count: answer.records.length,
    reasonCode: answer.reasonCode.slice(0, TEXT),
    note: request.queryId,
    detail: Buffer.from(JSON.stringify({ conditions, answered })),
    juminhyoCodes: answered
  })
  return { queryId: request.queryId, records: answer.records, reasonCode: answer.reasonCode, actPosition: head.position }
}

/** Validate at the edge: a purpose, an actor, and exactly one well-formed key. */
function requestOf (input: NationalQueryInput): NationalSearchRequest {
  const bad = (field: string): Error => errors.KEN_ERR_STORE_NATIONAL_QUERY(undefined, { field })
  if (typeof input !== 'object' || input === null) throw bad('input')
  if (typeof input.actor !== 'string' || input.actor.length === 0 || input.actor.length > TEXT) throw bad('actor')
  if (typeof input.purpose !== 'string' || input.purpose.length === 0 || input.purpose.length > TEXT) throw bad('purpose')
  const keys = [input.juminhyoCode, input.kojinBango, input.fourItems].filter((k) => k !== undefined)
  if (keys.length !== 1) throw bad('key')
  const queryId = randomUUID()
  const base = { queryId, purposeCode: input.purpose }
  if (input.juminhyoCode !== undefined) {
    if (!JUMINHYO.test(input.juminhyoCode)) throw bad('juminhyoCode')
    return { ...base, juminhyoCode: input.juminhyoCode }
  }
  if (input.kojinBango !== undefined) {
    if (!KOJIN.test(input.kojinBango)) throw bad('kojinBango')
    return { ...base, kojinBango: input.kojinBango }
  }
  const f = input.fourItems ?? {}
  const text = (v: unknown): string => (typeof v === 'string' && v.length <= TEXT ? v : '')
  const four: FourItems = { nameKana: text(f.nameKana), nameKanji: text(f.nameKanji), address: text(f.address), birthDate: text(f.birthDate), sex: f.sex ?? 0 }
  // SPEC §6: at least two of 氏名/住所/生年月日; 性別 alone never counts.
  const named = [four.nameKana !== '' || four.nameKanji !== '', four.address !== '', four.birthDate !== ''].filter(Boolean).length
  if (named < 2) throw bad('fourItems')
  if (four.birthDate !== '' && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(four.birthDate)) throw bad('fourItems.birthDate')
  return { ...base, fourItems: four }
}
