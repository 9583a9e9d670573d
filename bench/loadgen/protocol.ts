/** Messages between the load generator's parent (load.ts) and its worker processes (worker.ts). */
import type { PayloadKind } from '../payloads.ts'

export interface BenchIdentity {
  code: string
  clientId: string
  certPath: string
  keyPath: string
}

export interface WorkerJob {
  brokerUrl: string
  caPath: string
  identities: BenchIdentity[]
  publishTopic: string
  subscribeTopic: string
  payloadKind: PayloadKind
  seed: number
  window: number
  warmupMs: number
  durationMs: number
}

export type WorkerReport =
  | { type: 'ready' }
  | { type: 'done', acked: number, sent: number, errors: number, received: number, histogram: number[], seconds: number }
  | { type: 'failed', message: string }
