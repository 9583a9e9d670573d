/**
 * The national server simulator (全国サーバ / 附票全国サーバ, SPEC §5.1): an MQTT broker (aedes) on TLS 1.3
 * with mutual authentication — its own server certificate from its own CA, and the prefecture's CA
 * and CRLs to check ken-national's client certificate (a revoked one fails the handshake). The
 * prefecture is taken from the client certificate (urn:ken:national-client:PP:serial), never from
 * the messages. A forward is held only when its predecessor is (gap refused), a repeated position
 * is a duplicate, and the ack (NationalAck) is published only after the batch is fsynced — group
 * committed, so a window of forwards costs one fsync. A NationalForwardBatch (…/forward-batch) is taken
 * element by element in its order, with one ack for the whole of it. Forwards are read strictly but
 * not decoded whole, and kept as the bytes that came (forward-read.ts). Queries are answered from the national file:
 * what was forwarded, plus a seeded population of other prefectures.
 */
import net from 'node:net'
import tls, { type TLSSocket } from 'node:tls'
import { Aedes, type Client, type PublishPacket } from 'aedes'
import { decode, encode } from '../../../proto/src/codec.ts'
import { nationalTopic, parseNationalTopic } from '../../../proto/src/national-topics.ts'
import { parseNationalClientUrn } from '../../../certs/src/identity-names.ts'
import type { NationalForward, NationalSearchRequest, NationalSearchResponse } from '../../../proto/src/types.ts'
import { SimStore } from './sim-store.ts'
import { readForward, readForwardBatch, type ReceivedForward } from './forward-read.ts'

export interface SimulatorLogger {
  info: (fields: Record<string, unknown>, msg?: string) => void
  warn: (fields: Record<string, unknown>, msg?: string) => void
}

export interface NationalSimulatorOptions {
  readonly dbPath: string
  readonly host?: string
  /** 0: an ephemeral port. */
  readonly port?: number
  /** The simulator's server credential (from its own CA). */
  readonly cert: Buffer | string
  readonly key: Buffer | string
  /** The prefectures' CA(s) that issue ken-national's client certificates, and their CRLs. */
  readonly clientCa: Buffer | string
  readonly crl?: Buffer | string
  /** Residents of other prefectures put into the national file at start (once; kept durably). */
  readonly seed?: readonly NationalForward[]
  readonly logger?: SimulatorLogger
}

export interface NationalSimulator {
  readonly port: number
  /** Highest position durably held per prefecture (what it acknowledged). */
  acknowledged: (prefectureCode: string) => number
  /** Forwards received in all (duplicates and refused gaps included), and the PUBLISHes that carried them, for the load figures. */
  readonly stats: { received: number, duplicates: number, gaps: number, queries: number, refusedPeers: number, publishes: number, largestPublish: number }
  readonly store: SimStore
  close: () => Promise<void>
}

const SILENT: SimulatorLogger = { info: () => undefined, warn: () => undefined }
const FOUR_ITEMS_CAP = 20

export async function startNationalSimulator (options: NationalSimulatorOptions): Promise<NationalSimulator> {
  const logger = options.logger ?? SILENT
  const store = new SimStore(options.dbPath)
  await store.open()
  if (options.seed !== undefined && options.seed.length > 0) await store.seed(options.seed)
  const stats = { received: 0, duplicates: 0, gaps: 0, queries: 0, refusedPeers: 0, publishes: 0, largestPublish: 0 }
  const prefectures = new Map<string, Prefecture>()
  const opening = new Map<string, Promise<Prefecture>>()
  // One promise per prefecture, taken synchronously: forwards that arrive while its last position is
  // still being read then queue behind that read in arrival order, instead of the first read to come
  // back making the stream and refusing the forwards before it as gaps (a storm of resends at start).
  const prefectureOf = async (code: string): Promise<Prefecture> => {
    let p = opening.get(code)
    if (p === undefined) {
      p = store.last(code).then((last) => {
        const opened = new Prefecture(code, last, store)
        prefectures.set(code, opened)
        return opened
      })
      opening.set(code, p)
      p.catch(() => opening.delete(code))
    }
    return await p
  }
  const identities = new WeakMap<object, string>()
  const prefOfClient = (client: Client | null): string | undefined => client === null ? undefined : identities.get(client.conn)

  const broker = await Aedes.createBroker({
    authenticate (client, _u, _p, done) {
      const pref = prefOfClient(client)
      if (pref === undefined || client.id !== `ken-national-${pref}`) return done(Object.assign(new Error('not authorised'), { returnCode: 5 as const }), false)
      done(null, true)
    },
    authorizeSubscribe (client, sub, done) {
      const pref = prefOfClient(client)
      const ok = pref !== undefined && (sub.topic === nationalTopic('ack', pref) || sub.topic === nationalTopic('queryResult', pref))
      done(null, ok ? sub : null)
    },
    authorizePublish (client, packet, done) {
      const pref = prefOfClient(client)
      const topic = parseNationalTopic(packet.topic)
      if (pref === undefined || topic === undefined || topic.prefectureCode !== pref || client === null) return done(new Error('topic refused'))
      const payload = packet.payload as Buffer
      void (async () => {
        try {
          if (topic.kind === 'forward' || topic.kind === 'fuhyoForward') {
            const forward = readForward(topic.kind === 'forward' ? 'identity' : 'fuhyo', payload)
            stats.received++
            stats.publishes++
            stats.largestPublish = Math.max(stats.largestPublish, 1)
            const p = await prefectureOf(pref)
            const [outcome] = await p.receive([forward])
            if (outcome === 'duplicate') stats.duplicates++
            if (outcome === 'gap') stats.gaps++
            publish(client, nationalTopic('ack', pref), encode('NationalAck', { logPosition: p.durable, reasonCode: outcome === 'gap' ? 'KEN_REJECT_NATIONAL_GAP' : '' }))
            return done(null)
          }
          if (topic.kind === 'forwardBatch') {
            // Taken in the batch's order as if each came alone, one ack for the batch once all of it
            // is durable (national.proto NationalForwardBatch).
            const items = readForwardBatch(payload)
            stats.publishes++
            stats.largestPublish = Math.max(stats.largestPublish, items.length)
            stats.received += items.length
            const p = await prefectureOf(pref)
            const outcomes = await p.receive(items)
            stats.duplicates += outcomes.filter((o) => o === 'duplicate').length
            stats.gaps += outcomes.filter((o) => o === 'gap').length
            publish(client, nationalTopic('ack', pref), encode('NationalAck', { logPosition: p.durable, reasonCode: outcomes.includes('gap') ? 'KEN_REJECT_NATIONAL_GAP' : '' }))
            return done(null)
          }
          if (topic.kind === 'query') {
            stats.queries++
            const request = decode('NationalSearchRequest', payload)
            const response = await answer(store, request)
            logger.info({ event: 'national-sim.query', prefecture: pref, hits: response.records.length }, 'query answered')
            publish(client, nationalTopic('queryResult', pref), encode('NationalSearchResponse', response))
            return done(null)
          }
          done(new Error('topic refused'))
        } catch (err) {
          logger.warn({ event: 'national-sim.publish.refused', prefecture: pref, code: (err as { code?: string }).code ?? 'error' }, 'publish refused')
          done(err instanceof Error ? err : new Error(String(err)))
        }
      })()
    },
    // Nothing is routed between clients: forwards and queries are for the simulator alone.
    authorizeForward (client, packet) {
      const pref = prefOfClient(client)
      return pref !== undefined && (packet.topic === nationalTopic('ack', pref) || packet.topic === nationalTopic('queryResult', pref)) ? packet : null
    }
  })
  const publish = (client: Client, topic: string, payload: Uint8Array): void => {
    const packet: PublishPacket = { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }
    client.publish(packet, () => undefined)
  }

  const server = tls.createServer({
    cert: options.cert,
    key: options.key,
    ca: options.clientCa,
    // One PEM per CRL: node:tls reads only the first CRL of a bundle, and with CRLs OpenSSL wants one for every CA of the path.
    ...(options.crl === undefined ? {} : { crl: splitPem(String(options.crl)) }),
    // The verdict is read in secureConnection (authorizationError names it, e.g. CERT_REVOKED) and an
    // unauthorised peer is destroyed before a byte of MQTT is read — with rejectUnauthorized node:tls
    // would only report a reset connection.
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3'
  })
  const sockets = new Set<net.Socket>()
  server.on('connection', (raw: net.Socket) => { sockets.add(raw); raw.once('close', () => sockets.delete(raw)) })
  server.on('tlsClientError', (err: Error & { code?: string }) => {
    stats.refusedPeers++
    logger.warn({ event: 'national-sim.tls.refused', reason: err.code ?? err.message }, 'client failed mutual authentication')
  })
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!socket.authorized) {
      stats.refusedPeers++
      logger.warn({ event: 'national-sim.tls.refused', reason: String(socket.authorizationError ?? 'unauthorized') }, 'client failed mutual authentication')
      socket.destroy()
      return
    }
    const peer = socket.getPeerCertificate()
    const uris = (peer.subjectaltname ?? '').split(', ').filter((s) => s.startsWith('URI:')).map((s) => s.slice(4))
    const id = uris.map(parseNationalClientUrn).find((u) => u !== undefined)
    if (id === undefined) {
      stats.refusedPeers++
      logger.warn({ event: 'national-sim.peer.refused', reason: 'not a national-client certificate' }, 'peer refused')
      socket.destroy()
      return
    }
    identities.set(socket, id.prefectureCode)
    logger.info({ event: 'national-sim.connected', prefecture: id.prefectureCode, serial: id.serialHex }, 'prefecture connected')
    broker.handle(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as net.AddressInfo).port
  logger.info({ event: 'national-sim.ready', port }, 'national server simulator listening')
  return {
    port,
    stats,
    store,
    acknowledged: (code) => prefectures.get(code)?.durable ?? 0,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      for (const p of prefectures.values()) await p.settled()
      await store.close()
    }
  }
}

function splitPem (bundle: string): string[] {
  return bundle.match(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g) ?? []
}

type Outcome = 'held' | 'duplicate' | 'gap'

/** One prefecture's stream: in-order check at arrival, group-committed fsync, acks after it. */
class Prefecture {
  readonly #code: string
  readonly #store: SimStore
  /** Last position accepted (maybe not yet durable) and last durable. */
  #accepted: number
  durable: number
  /** Forwards accepted and not yet in a commit, and the commit they will go in (once one is due). */
  #pending: ReceivedForward[] = []
  #round: Promise<void> | undefined
  /** The last commit due; never rejects (its receivers get its error). */
  #writing: Promise<void> = Promise.resolve()

  constructor (code: string, last: number, store: SimStore) {
    this.#code = code
    this.#store = store
    this.#accepted = last
    this.durable = last
  }

  /**
   * Forwards in arrival order, each checked against the last accepted when it is reached (an element
   * a batch could not name, undefined, is a gap); resolves once what was held is durable.
   */
  async receive (forwards: ReadonlyArray<ReceivedForward | undefined>): Promise<Outcome[]> {
    const outcomes = forwards.map((f) => this.#check(f))
    // A duplicate is answered once what it duplicates is durable: the commits due so far.
    if (outcomes.includes('held')) await this.#commit()
    else if (outcomes.includes('duplicate')) await this.#writing
    return outcomes
  }

  async settled (): Promise<void> {
    await this.#writing
  }

  #check (f: ReceivedForward | undefined): Outcome {
    if (f === undefined) return 'gap'
    if (f.position <= this.#accepted) return 'duplicate'
    if (f.previous !== this.#accepted) return 'gap'
    this.#accepted = f.position
    this.#pending.push(f)
    return 'held'
  }

  /** The commit the pending forwards go in: one after the last, taking all that are pending when it starts. */
  async #commit (): Promise<void> {
    if (this.#round === undefined) {
      const round = this.#writing.then(async () => {
        this.#round = undefined
        const batch = this.#pending
        this.#pending = []
        await this.#store.commit(this.#code, batch)
        for (const f of batch) this.durable = Math.max(this.durable, f.position)
      })
      this.#round = round
      this.#writing = round.catch(() => undefined)
    }
    await this.#round
  }
}

async function answer (store: SimStore, request: NationalSearchRequest): Promise<NationalSearchResponse> {
  const records: NationalForward[] = []
  if (request.juminhyoCode !== undefined && request.juminhyoCode !== '') {
    const r = await store.byJuminhyo(request.juminhyoCode)
    if (r !== undefined) records.push(r)
  } else if (request.kojinBango !== undefined && request.kojinBango !== '') {
    const r = await store.byKojin(request.kojinBango)
    if (r !== undefined) records.push(r)
  } else if (request.fourItems !== undefined && request.fourItems !== null) {
    const f = request.fourItems
    for await (const r of store.residents()) {
      if (f.nameKana !== '' && r.nameKana !== f.nameKana) continue
      if (f.nameKanji !== '' && r.nameKanji !== f.nameKanji) continue
      if (f.address !== '' && !r.address.startsWith(f.address)) continue
      if (f.birthDate !== '' && r.birthDate !== f.birthDate) continue
      if (f.sex !== 0 && r.sex !== f.sex) continue
      records.push(r)
      if (records.length >= FOUR_ITEMS_CAP) break
    }
  }
  return { queryId: request.queryId, records, reasonCode: records.length === 0 ? 'KEN_REJECT_UNKNOWN_RESIDENT' : '' }
}
