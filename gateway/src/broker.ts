/**
 * The aedes broker with the gateway's hooks. How the PUBACK waits for the store (SPEC §3) in
 * aedes 1.2 (node_modules/aedes/lib/handlers/publish.js):
 *
 *   publishActions = [authorizePublish, enqueuePublish]                       (lines 18-21)
 *   enqueuePublish, QoS 1: write(client, new PubAck(packet), …)               (lines 92-96)
 *                          then client.broker.publish(packet, client, done)
 *
 * so the PUBACK goes out as soon as authorizePublish calls back. The hook therefore runs the whole
 * ingest — decode, validate, append to the store socket — and calls back only with the committed
 * result; if the store did not commit, it calls back with an error and aedes closes the link
 * without a PUBACK (lib/client.js nextBatch → _onError). broker.publish then runs
 * [storeRetained, enqueueOffline, emitPacket, callPublished] (aedes.js lines 384-389): nobody can
 * subscribe to an update topic (checkSubscribe) and authorizeForward refuses it anyway, so the
 * update reaches no one; callPublished hands us the same packet object (aedes.js line 375), and
 * that is where the result is published — after the PUBACK was written.
 *
 * aedes is loaded with `import()`, by Node's own ES module loader. aedes 1.2 is an ES module
 * (its package.json `"type": "module"`); a static import here would be compiled by tsx's CommonJS hook
 * (gateway/bin/ken-gateway.js) into a `require`, and tsx compiles what it requires with esbuild's
 * `keepNames` (tsx dist/register-*.cjs), which wraps every named closure in a `__name(fn, "name")` call —
 * an Object.defineProperty per closure, and aedes makes several per PUBLISH (lib/utils.js runSeries,
 * lib/handlers/puback.js, lib/client.js): 4.9 % of the gateway's busy time at single updates in a
 * profile, and 8–12 µs of its CPU per single update measured (bench/results/2026-12-01-session14-gw9-ab.txt).
 * Nothing else in the gateway imports aedes' values, or the hook would compile it all the same
 * (tests/unit/gateway/broker-load.test.ts loads the daemon's modules and checks).
 */
import type { Aedes, AuthenticateError, Client, PublishPacket } from 'aedes'
import { isKenError, type KenError } from '../../proto/src/ken-error.ts'
import { errors } from './errors.ts'
import { checkConnect, checkPublish, checkSubscribe, connectionOf, identityOfClient, mayForward, type KeepaliveBounds } from './authorize.ts'
import type { CsIdentity } from './identity.ts'
import type { GatewayLogger } from './logger.ts'
import type { GatewayMetrics } from './metrics.ts'
import { publishAnswer, type Answer } from './ingest.ts'
import { updatesOf } from './batch-ingest.ts'
import { skipRoutingOfUploads } from './upload-publish.ts'
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'

export interface BrokerDeps {
  /**
   * The pre-PUBACK steps for an authorised PUBLISH, by its topic (topic-handlers.ts); resolves once
   * the store committed, with the answer to publish after the PUBACK.
   */
  readonly ingest: (identity: CsIdentity, topic: string, payload: Buffer) => Promise<Answer>
  readonly connectTimeoutMs: number
  /** The packet guard admits at most this many PUBLISH packets per link. */
  readonly maxInflightPerCs: number
  /** Most updates one …/update-batch PUBLISH may carry (gateway.maxBatchUpdates). */
  readonly maxBatchUpdates: number
  readonly keepalive: KeepaliveBounds
  readonly log: GatewayLogger
  readonly metrics: GatewayMetrics
}

/** An update whose PUBACK aedes is about to write, and the result that answers it. */
interface Answered {
  readonly identity: CsIdentity
  readonly answer: Answer
}

export async function createBroker (deps: BrokerDeps): Promise<Aedes> {
  const { log, metrics } = deps
  const answered = new WeakMap<PublishPacket, Answered>()

  const refuse = (event: 'gateway.publish.denied' | 'gateway.subscribe.denied' | 'gateway.mqtt.connect_refused', identity: CsIdentity | undefined, err: KenError): void => {
    metrics.refused(err.code)
    log.warn(event, { municipality: identity?.municipalityCode, code: err.code })
  }

  /** Nothing was committed: aedes closes the link without a PUBACK and the CS redelivers. */
  const notCommitted = (identity: CsIdentity, err: unknown): void => {
    const municipality = identity.municipalityCode
    if (!isKenError(err)) {
      log.error('gateway.update.unexpected_error', { municipality, code: 'uncoded' })
    } else if (err.code.startsWith('KEN_ERR_GW_STORE')) {
      metrics.refused(err.code)
      log.error('gateway.store.batch_failed', { municipality, code: err.code })
    } else {
      refuse('gateway.publish.denied', identity, err)
    }
  }

  const aedes = await import('aedes')
  const broker: Aedes = await aedes.Aedes.createBroker({
    connectTimeout: deps.connectTimeoutMs,
    // Packets that arrive before CONNACK wait in aedes' queue; a client may send them right after
    // CONNECT (MQTT 3.1.1 §3.1.4), and the guard lets through at most the in-flight cap of PUBLISH.
    queueLimit: deps.maxInflightPerCs + 16,
    // MQTT 3.1.1 allows 23 bytes only as a minimum [MQTT-3.1.3-5]; ours are `cs-` + 6 digits.
    maxClientsIdLength: 23,
    preConnect (client, packet, done) {
      const conn = connectionOf(client)
      if (conn === undefined) return done(null, false)
      conn.connectFacts = { protocolVersion: packet.protocolVersion ?? 0, will: packet.will !== undefined && packet.will !== null, keepalive: packet.keepalive ?? 0 }
      done(null, true)
    },
    authenticate (client, _username, _password, done) {
      // The certificate is the credential (SPEC §3); user name and password carry nothing.
      const identity = identityOfClient(client)
      const refusal = checkConnect(identity, connectionOf(client)?.connectFacts, client.id, deps.keepalive)
      if (refusal === undefined) return done(null, true)
      refuse('gateway.mqtt.connect_refused', identity, refusal.error)
      done(Object.assign(refusal.error, { returnCode: refusal.returnCode }) as KenError & AuthenticateError, false)
    },
    authorizePublish (client, packet, done) {
      const conn = connectionOf(client)
      let identity: CsIdentity
      try {
        identity = checkPublish(conn?.identity, packet)
      } catch (err) {
        conn?.permits.release()
        refuse('gateway.publish.denied', conn?.identity, err as KenError)
        return done(err as Error)
      }
      // Parsed before its link closed (e.g. because an earlier update of it failed to commit):
      // committing it would put it after a failed predecessor (SPEC §3 order), and no PUBACK can go.
      if (client === null || client.closed || conn === undefined) {
        conn?.permits.release()
        return done(errors.KEN_ERR_GW_CONNECTION_CLOSED())
      }
      const payload = packet.payload as Buffer
      const updates = updatesOf(identity.topicKinds.get(packet.topic), payload, deps.maxBatchUpdates)
      // The link's update budget (gateway.maxInflightUpdatesPerCs): the updates go to the store only
      // when there is room, in the link's order; the guard reads no further meanwhile.
      conn.permits.admitUpdates(updates, (admitted) => {
        if (!admitted || client.closed) {
          conn.permits.release(admitted ? updates : 0)
          return done(errors.KEN_ERR_GW_CONNECTION_CLOSED())
        }
        deps.ingest(identity, packet.topic, payload).then((answer) => {
          answered.set(packet, { identity, answer })
          conn.permits.release(updates)
          done(null)
        }, (err: unknown) => {
          conn.permits.release(updates)
          notCommitted(identity, err)
          done(err instanceof Error ? err : new Error(String(err)))
        })
      })
    },
    authorizeSubscribe (client, sub, done) {
      const identity = identityOfClient(client)
      const granted = checkSubscribe(identity, sub)
      if (!isKenError(granted)) return done(null, granted)
      refuse('gateway.subscribe.denied', identity, granted)
      done(null, null) // SUBACK 0x80 for this filter [MQTT-3.9.3]; the link stays up
    },
    authorizeForward (client, packet) {
      return mayForward(identityOfClient(client), packet.topic) ? packet : null
    },
    published (packet, client, done) {
      const a = answered.get(packet)
      if (a === undefined) return done(null)
      answered.delete(packet)
      publishAnswer(broker, client, a.answer, done)
    }
  })

  // An authorised upload reaches no one (checkSubscribe, mayForward): straight to `published`.
  skipRoutingOfUploads(broker, (packet, client) => identityOfClient(client)?.publishTopics.has(packet.topic) === true)

  broker.on('clientReady', (client: Client) => {
    log.info('gateway.mqtt.connected', { municipality: identityOfClient(client)?.municipalityCode, clientId: client.id })
  })
  broker.on('clientDisconnect', (client: Client) => {
    log.info('gateway.mqtt.disconnected', { municipality: identityOfClient(client)?.municipalityCode })
  })
  broker.on('clientError', (client: Client, err: Error) => {
    log.debug('gateway.connection.error', { municipality: identityOfClient(client)?.municipalityCode, code: isKenError(err) ? err.code : undefined })
  })
  return broker
}
