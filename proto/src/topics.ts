/**
 * The topic → message-type registry of wire contract v1 (SPEC §3). A topic that is not in the
 * registry, or a municipality segment that is not six digits, resolves to nothing: callers fail closed.
 */
import type { MessageName } from './types.ts'

/** The kinds of topic v1 defines, with who publishes and what message they carry. */
export const TOPIC_KINDS = {
  update: { suffix: 'update', message: 'Update', direction: 'cs-to-server' },
  result: { suffix: 'result', message: 'UpdateResult', direction: 'server-to-cs' },
  reconcile: { suffix: 'reconcile', message: 'ReconcileChunk', direction: 'cs-to-server' },
  reconcileResult: { suffix: 'reconcile/result', message: 'ReconcileResult', direction: 'server-to-cs' },
  updateBatch: { suffix: 'update-batch', message: 'UpdateBatch', direction: 'cs-to-server' },
  updateBatchResult: { suffix: 'update-batch/result', message: 'UpdateBatchResult', direction: 'server-to-cs' },
  // Receipts of the transparency log (SPEC §1.1 "get their results and proofs"; docs/transparency-log.md).
  proof: { suffix: 'proof', message: 'ProofRequest', direction: 'cs-to-server' },
  proofResult: { suffix: 'proof/result', message: 'ProofResponse', direction: 'server-to-cs' }
} as const satisfies Record<string, { suffix: string, message: MessageName, direction: 'cs-to-server' | 'server-to-cs' }>

export type TopicKind = keyof typeof TOPIC_KINDS

export interface ParsedTopic {
  readonly kind: TopicKind
  readonly municipalityCode: string
  readonly message: MessageName
}

const PREFIX = 'ken/v1/cs/'
const BY_SUFFIX = new Map<string, TopicKind>(Object.entries(TOPIC_KINDS).map(([k, v]) => [v.suffix, k as TopicKind]))

/** The topic of `kind` for a municipality: `ken/v1/cs/{lgCode}/{suffix}`. */
export function topicFor (kind: TopicKind, municipalityCode: string): string {
  return `${PREFIX}${municipalityCode}/${TOPIC_KINDS[kind].suffix}`
}

/** Parse a concrete topic; undefined for anything v1 does not define (wildcards included). */
export function parseTopic (topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(PREFIX)) return undefined
  const rest = topic.slice(PREFIX.length)
  const slash = rest.indexOf('/')
  if (slash !== 6) return undefined
  const municipalityCode = rest.slice(0, 6)
  if (!/^[0-9]{6}$/.test(municipalityCode)) return undefined
  const kind = BY_SUFFIX.get(rest.slice(7))
  if (kind === undefined) return undefined
  return { kind, municipalityCode, message: TOPIC_KINDS[kind].message }
}
