/**
 * The append socket's AppendRequest decode alone: CPU µs per item of the codec's strict decode
 * (proto/src/codec.ts `decode`) and of the one-pass walk the store daemon uses
 * (server/src/store/append-request-decode.ts), over requests of bench:store's updates as the gateway
 * sends them, alternated round by round (the least and the median round are printed: contention
 * only ever adds time).
 *   node --import tsx bench/append-decode.ts [--request N] [--rounds N]
 */
import { createHash } from 'node:crypto'
import { parseArgs } from 'node:util'
import { decode, encode } from '../proto/src/codec.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from '../server/src/store/append-request.ts'
import { decodeAppendRequest } from '../server/src/store/append-request-decode.ts'
import { initialLoadUpdate } from '../tests/sim/generator/index.ts'
import { benchPopulation } from './payloads.ts'

const { values } = parseArgs({ options: { request: { type: 'string', default: '64' }, rounds: { type: 'string', default: '30' } } })
const perRequest = Number(values.request)
const rounds = Number(values.rounds)
const population = benchPopulation(1, 20_000)
const frames: Buffer[] = []
let pending: OutgoingAppendItem[] = []
for (const b of population.blocks) {
  for (let i = b.start; i < b.end && i < b.start + 400; i++) {
    const updateBytes = encode('Update', initialLoadUpdate(population, i))
    pending.push({ municipalityCode: b.municipality.code, update: null, rejection: null, updateBytes, payloadSha256: createHash('sha256').update(updateBytes).digest() })
    if (pending.length === perRequest) {
      frames.push(Buffer.from(encodeAppendRequest(frames.length + 1, pending)))
      pending = []
    }
  }
}
const items = frames.length * perRequest
const decoders = { codec: (f: Buffer) => decode('AppendRequest', f), walk: (f: Buffer) => decodeAppendRequest(f) }
const times: Record<string, number[]> = { codec: [], walk: [] }
let seen = 0
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(decoders)) {
    for (const f of frames) seen += fn(f).items.length
    const cpu = process.cpuUsage()
    for (let k = 0; k < 3; k++) for (const f of frames) seen += fn(f).items.length
    const used = process.cpuUsage(cpu)
    times[name]?.push((used.user + used.system) / (3 * items))
  }
}
const summary = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b)
  return `least ${(sorted[0] ?? NaN).toFixed(2)}, median ${(sorted[Math.floor(sorted.length / 2)] ?? NaN).toFixed(2)}`
}
console.log(`${frames.length} requests of ${perRequest} items (${seen} decoded), CPU µs per item over ${rounds} alternating rounds:`)
for (const [name, xs] of Object.entries(times)) console.log(`  ${name}: ${summary(xs)}`)
