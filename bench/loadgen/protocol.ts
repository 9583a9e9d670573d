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
   * 'duration': publish for warmupMs + durationMs, count PUBACKs after the warm-up;
   * 'exhaust': publish every payload once, as fast as the window allows, and time it (durationMs caps it).
   */
  mode: 'duration' | 'exhaust'
  warmupMs: number
  durationMs: number
}

export type WorkerReport =
  | { type: 'ready' }
  | { type: 'done', acked: number, sent: number, errors: number, received: number, histogram: number[], seconds: number, exhausted: boolean }
  | { type: 'failed', message: string }
