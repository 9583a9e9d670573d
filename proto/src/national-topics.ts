/**
 * The topics of the link to the national server (SPEC §5.1), MQTT with the appliance as client:
 * `ken/v1/national/{都道府県コード}/{suffix}`. As for the CS link (topics.ts), a topic that is not listed
 * here, or whose prefecture segment is not two digits, resolves to nothing: callers fail closed.
 */
import type { MessageName } from './types.ts'

export const NATIONAL_TOPIC_KINDS = {
  forward: { suffix: 'forward', message: 'NationalForward', direction: 'prefecture-to-national' },
  fuhyoForward: { suffix: 'fuhyo/forward', message: 'NationalFuhyoForward', direction: 'prefecture-to-national' },
  forwardBatch: { suffix: 'forward-batch', message: 'NationalForwardBatch', direction: 'prefecture-to-national' },
  ack: { suffix: 'ack', message: 'NationalAck', direction: 'national-to-prefecture' },
  query: { suffix: 'query', message: 'NationalSearchRequest', direction: 'prefecture-to-national' },
  queryResult: { suffix: 'query/result', message: 'NationalSearchResponse', direction: 'national-to-prefecture' }
} as const satisfies Record<string, { suffix: string, message: MessageName, direction: 'prefecture-to-national' | 'national-to-prefecture' }>

export type NationalTopicKind = keyof typeof NATIONAL_TOPIC_KINDS

const PREFIX = 'ken/v1/national/'
const BY_SUFFIX = new Map<string, NationalTopicKind>(Object.entries(NATIONAL_TOPIC_KINDS).map(([k, v]) => [v.suffix, k as NationalTopicKind]))

/** The topic of `kind` for a prefecture. */
export function nationalTopic (kind: NationalTopicKind, prefectureCode: string): string {
  return `${PREFIX}${prefectureCode}/${NATIONAL_TOPIC_KINDS[kind].suffix}`
}

/** Parse a concrete national topic; undefined for anything not defined (wildcards included). */
export function parseNationalTopic (topic: string): { readonly kind: NationalTopicKind, readonly prefectureCode: string } | undefined {
  if (!topic.startsWith(PREFIX)) return undefined
  const rest = topic.slice(PREFIX.length)
  if (rest[2] !== '/' || !/^[0-9]{2}$/.test(rest.slice(0, 2))) return undefined
  const kind = BY_SUFFIX.get(rest.slice(3))
  return kind === undefined ? undefined : { kind, prefectureCode: rest.slice(0, 2) }
}
