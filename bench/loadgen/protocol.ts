/** Messages between the load generator's parent (load.ts) and its worker processes (worker.ts). */

export interface BenchIdentity {
  code: string
  clientId: string
  certPath: string
  keyPath: string
  /** Pre-generated payloads of this CS (payload-cache.ts). */
  payloadFile: string
}

export interface WorkerJob {
  brokerUrl: string
  caPath: string
  identities: BenchIdentity[]
  publishTopic: string
  subscribeTopic: string
  window: number
  /**
   * Updates per PUBLISH: above 1 the payloads go in UpdateBatch messages (proto/ken/v1/batch.proto) on
   * the batch topic, and a PUBACK counts for every update of its batch. Default 1.
   */
  batch?: number
  /**
   * 'duration': publish for warmupMs + durationMs, count PUBACKs after the warm-up;
   * 'exhaust': publish every payload once, as fast as the window allows, and time it (durationMs caps it).
   */
  mode: 'duration' | 'exhaust'
  warmupMs: number
  durationMs: number
}

/** One link's part of a run: its updates acknowledged, and when its last one was (seconds after the start). */
export interface LinkFinish {
  code: string
  updates: number
  seconds: number
}

export type WorkerReport =
  | { type: 'ready' }
  | {
    type: 'done', acked: number, sent: number, errors: number, received: number, histogram: number[], seconds: number, exhausted: boolean
    /** Links whose connection closed before all their PUBLISHes were acknowledged (pump.ts). */
    dropped: number
    /** Counted PUBACKs in each second after the start. */
    ackedPerSecond: number[]
    links: LinkFinish[]
    /** CPU (user + system) of this worker process from the start to the end, µs. */
    cpuMicros: number
  }
  | { type: 'failed', message: string }
