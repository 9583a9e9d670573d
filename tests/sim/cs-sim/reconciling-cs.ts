/**
 * A CS running a reconciliation over its own link (SPEC §5.3): mqtt.js over mutual TLS with its
 * certificate, a window of chunks in flight, in order (the gateway and the store keep a link's order;
 * the store refuses a chunk beyond the next it expects, and this CS then starts a new link). A result
 * is sent only after the chunk is durable in the store (the PUBACK waits for it), so after a cut —
 * either daemon restarted, the link lost — the CS opens a new link and sends again the first chunk it
 * has no result for: the store answers a chunk it already holds with the same result and counts it
 * once. Each link is a fresh clean session, so nothing is redelivered behind the CS's back.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { decode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import type { ReconcileResult } from '../../../proto/src/types.ts'

export interface ReconcilingCsOptions {
  readonly url: string
  readonly ca: string
  readonly cert: string
  readonly key: string
  readonly municipalityCode: string
  /** Encoded ReconcileChunks, in order (reconcile-run.ts chunksOf). */
  readonly chunks: readonly Uint8Array[]
  /**
   * Run over this existing link (the simulator's, for the CS has one client id) instead of opening
   * links of its own; mqtt.js reconnects it, and the run sends again from the first chunk without a result.
   */
  readonly link?: MqttClient
  /** Chunks published and without a result, at most (default 4). */
  readonly window?: number
  /** Called with every result as it arrives (a live view, a test waiting for progress). */
  readonly onResult?: (result: ReconcileResult) => void
}

export class ReconcilingCs {
  /** The result of each chunk, by index (the last one is the run's summary). */
  readonly results = new Map<number, ReconcileResult>()
  /** Links opened (more than one after a cut). */
  links = 0
  /** Chunks published, counting those sent again after a cut. */
  published = 0
  readonly #o: ReconcilingCsOptions
  #client: MqttClient | undefined
  #done: ((r: ReconcileResult) => void) | undefined
  #failed: ((e: Error) => void) | undefined
  #ended = false

  constructor (o: ReconcilingCsOptions) {
    this.#o = o
  }

  /** Run until the last chunk's result (complete) arrives, or a chunk is refused. */
  async run (): Promise<ReconcileResult> {
    const done = new Promise<ReconcileResult>((resolve, reject) => { this.#done = resolve; this.#failed = reject })
    if (this.#o.link !== undefined) this.#attach(this.#o.link)
    else this.#connect()
    try {
      return await done
    } finally {
      await this.end()
    }
  }

  async end (): Promise<void> {
    this.#ended = true
    this.#detach?.()
    if (this.#o.link === undefined) await this.#client?.endAsync(true)
  }

  #detach: (() => void) | undefined

  #attach (client: MqttClient): void {
    const o = this.#o
    const link = { sentUpTo: 0 }
    const topic = topicFor('reconcileResult', o.municipalityCode)
    const start = (): void => {
      this.links++
      client.subscribe(topic, { qos: 1 }, (err) => {
        if (err !== null && err !== undefined) return
        link.sentUpTo = this.next
        this.#pump(client, link)
      })
    }
    const onMessage = (t: string, payload: Buffer): void => {
      if (t !== topic) return
      const r = decode('ReconcileResult', payload)
      if (r.reasonCode === 'KEN_REJECT_RECONCILE_CHUNK_ORDER') { link.sentUpTo = this.next; return this.#pump(client, link) }
      if (r.reasonCode !== '') return this.#failed?.(Object.assign(new Error(`chunk ${r.chunkIndex} refused: ${r.reasonCode}`), { code: r.reasonCode, result: r }))
      this.results.set(r.chunkIndex, r)
      o.onResult?.(r)
      if (r.complete) return this.#done?.(r)
      this.#pump(client, link)
    }
    client.on('connect', start)
    client.on('message', onMessage)
    this.#detach = () => { client.off('connect', start); client.off('message', onMessage) }
    if (client.connected) start()
  }

  /** The first chunk without a result. */
  get next (): number {
    let i = 0
    while (this.results.has(i)) i++
    return i
  }

  #connect (): void {
    if (this.#ended) return
    const o = this.#o
    const client = mqtt.connect(o.url, { ca: o.ca, cert: o.cert, key: o.key, clientId: `cs-${o.municipalityCode}`, protocolVersion: 4, clean: true, keepalive: 30, reconnectPeriod: 0, connectTimeout: 10_000, rejectUnauthorized: true })
    this.#client = client
    let lost = false
    const link = { sentUpTo: 0 }
    const again = (): void => {
      if (lost) return
      lost = true
      client.end(true)
      // A new link after a short pause; the daemons may still be starting (then this repeats).
      if (!this.#ended) setTimeout(() => { this.#connect() }, 100)
    }
    client.on('error', again)
    client.on('close', again)
    client.on('connect', () => {
      this.links++
      client.subscribe(topicFor('reconcileResult', o.municipalityCode), { qos: 1 }, (err) => {
        if (err !== null && err !== undefined) return again()
        link.sentUpTo = this.next
        this.#pump(client, link)
      })
    })
    client.on('message', (_topic, payload) => {
      const r = decode('ReconcileResult', payload)
      // A chunk that overtook one lost in a cut: start again from the first chunk without a result.
      if (r.reasonCode === 'KEN_REJECT_RECONCILE_CHUNK_ORDER') return again()
      if (r.reasonCode !== '') return this.#failed?.(Object.assign(new Error(`chunk ${r.chunkIndex} refused: ${r.reasonCode}`), { code: r.reasonCode, result: r }))
      this.results.set(r.chunkIndex, r)
      o.onResult?.(r)
      if (r.complete) return this.#done?.(r)
      this.#pump(client, link)
    })
  }

  #pump (client: MqttClient, link: { sentUpTo: number }): void {
    const window = this.#o.window ?? 4
    while (client.connected && link.sentUpTo - this.next < window) {
      const chunk = this.#o.chunks[link.sentUpTo]
      if (chunk === undefined) return
      link.sentUpTo++
      this.published++
      client.publish(topicFor('reconcile', this.#o.municipalityCode), Buffer.from(chunk), { qos: 1 }, () => undefined)
    }
  }
}
