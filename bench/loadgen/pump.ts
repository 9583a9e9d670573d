/**
 * One CS link's publishing in the load generator: its payloads in order, at most `window` QoS 1
 * PUBLISHes in flight, each PUBACK counted into the worker's tally. A link whose connection closes
 * ends there: the generator does not reconnect (worker.ts `reconnectPeriod: 0`), and mqtt.js keeps
 * the QoS 1 PUBLISHes it had in flight for a reconnection that never comes, so their callbacks never
 * run (MQTT 3.1.1 §4.4: they are resent only on a new connection). Without this a dropped link held
 * the whole run until its cap (seen on a loaded machine, session 9); now the run ends and says so.
 */
import type { Histogram } from './histogram.ts'
import type { LinkFinish } from './protocol.ts'

/** What the links of one worker process count together (worker.ts reports it to load.ts). */
export interface PumpTally {
  acked: number
  sent: number
  errors: number
  /** Links whose connection closed before every PUBLISH of theirs was acknowledged. */
  dropped: number
  /** PUBACKs count only while measuring ('duration' mode's warm-up does not). */
  measuring: boolean
  /** Cleared to stop sending (the end of a 'duration' run, or the cap of an 'exhaust' run). */
  running: boolean
  /** performance.now() at the start. */
  started: number
  readonly hist: Histogram
  readonly ackedPerSecond: number[]
  readonly links: LinkFinish[]
}

/** The part of an mqtt.js client a link uses. */
export interface PumpClient {
  publish: (topic: string, payload: Buffer, opts: { qos: 1 }, callback: (err?: Error) => void) => unknown
  once: (event: 'close', listener: () => void) => unknown
  off: (event: 'close', listener: () => void) => unknown
}

export interface PumpLink {
  readonly code: string
  readonly topic: string
  readonly payloads: readonly Buffer[]
  /** Updates in each payload when it is a batch (absent: one). */
  readonly counts: readonly number[]
  readonly window: number
}

/**
 * Publish the link's payloads; resolves true when every one was acknowledged, false when the run
 * stopped it or its connection closed first.
 */
export async function pump (client: PumpClient, link: PumpLink, t: PumpTally): Promise<boolean> {
  let next = 0
  let inflight = 0
  let mine = 0
  let last = 0
  let ended = false
  return await new Promise<boolean>((resolve) => {
    const end = (allSent: boolean): void => {
      if (ended) return
      ended = true
      client.off('close', onClose)
      t.links.push({ code: link.code, updates: mine, seconds: Math.max(0, (last - t.started) / 1000) })
      resolve(allSent)
    }
    const onClose = (): void => {
      if (inflight === 0 && next >= link.payloads.length) return end(true)
      t.dropped++
      end(false)
    }
    const fill = (): void => {
      while (!ended && t.running && inflight < link.window && next < link.payloads.length) {
        const index = next
        const payload = link.payloads[next++] as Buffer
        inflight++
        t.sent++
        const t0 = performance.now()
        client.publish(link.topic, payload, { qos: 1 }, (err) => {
          inflight--
          if (err !== undefined && err !== null) t.errors++
          else if (t.measuring) {
            const now = performance.now()
            const n = link.counts[index] ?? 1
            t.acked += n
            mine += n
            last = now
            t.hist.record(now - t0)
            const second = Math.floor((now - t.started) / 1000)
            t.ackedPerSecond[second] = (t.ackedPerSecond[second] ?? 0) + n
          }
          fill()
        })
      }
      if (inflight === 0 && (!t.running || next >= link.payloads.length)) end(next >= link.payloads.length)
    }
    client.once('close', onClose)
    fill()
  })
}
