/**
 * What the gateway does with a PUBLISH, by the kind of its topic (proto/src/topics.ts) — a registry in
 * the manner of aedes' handlers: each served kind has one handler that runs its steps before the
 * PUBACK and resolves with the answer to publish after it. A kind without a handler is refused as not
 * served (default deny, SPEC §3); authorize.ts has already checked the topic is the CS's own.
 */
import type { TopicKind } from '../../proto/src/topics.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import type { Answer } from './ingest.ts'

export type TopicHandler = (identity: CsIdentity, topic: string, payload: Buffer) => Promise<Answer>

/** Dispatch to the handler of the topic's kind. */
export function topicRouter (handlers: Partial<Record<TopicKind, TopicHandler>>): TopicHandler {
  return async (identity, topic, payload) => {
    // A topic of another municipality, or not of v1 at all, is not in the CS's own (identity.ts).
    const kind = identity.topicKinds.get(topic)
    if (kind === undefined) throw errors.KEN_ERR_GW_PUBLISH_DENIED()
    const handler = handlers[kind]
    if (handler === undefined) throw errors.KEN_ERR_GW_TOPIC_NOT_SERVED(kind)
    return await handler(identity, topic, payload)
  }
}
