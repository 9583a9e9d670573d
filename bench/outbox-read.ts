/**
 * The outbox's read path alone (issue 18): what the store daemon spends per forward serving the
 * national link, which bench:store does not see. Opens a kept store (bench/query-latency.ts --db DIR
 * layout: DIR/store and DIR/appliance.key; copy a shared one first, opening writes) and reads forwards
 * from position 1 as ken-national's session would (outbox-session.ts: batches of up to 4,096, each
 * encoded as the OutboxMessage frame the socket sends: outbox-server.ts encodeOutboxFrame), on a cold keyring as in a load where the link lags.
 * ken-national asks for as many as its window (1,024 by default) has room for (national/forwarder.ts);
 * --max-items sets that.
 *   node --import tsx bench/outbox-read.ts --db DIR [--forwards N] [--max-items N]
 * Prints CPU µs per forward (user + system, all threads of this process), and by thread (thread-cpu.ts).
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { LevelStore } from '../server/src/store/level-store.ts'
import { loadApplianceKey } from '../server/src/store/appliance-key.ts'
import { OutboxSession } from '../server/src/store/outbox-session.ts'
import { SILENT_LOGGER } from '../server/src/store/store-types.ts'
import { encodeOutboxFrame } from '../server/src/store/outbox-encode.ts'
import { sampleThreads, threadCpuBetween } from './thread-cpu.ts'

const { values } = parseArgs({ options: { db: { type: 'string' }, forwards: { type: 'string', default: '100000' }, 'max-items': { type: 'string', default: '4096' } } })
if (values.db === undefined) throw new Error('usage: outbox-read.ts --db DIR [--forwards N] [--max-items N]')
const store = new LevelStore({ location: path.join(values.db, 'store'), applianceKey: await loadApplianceKey(path.join(values.db, 'appliance.key')), createIfMissing: false })
await store.open()
const session = new OutboxSession(store, SILENT_LOGGER, () => true)
const want = Number(values.forwards)
const maxItems = Number(values['max-items'])
let reads = 0
let forwards = 0
let bytes = 0
let next = 1
const t = performance.now()
const cpu = process.cpuUsage()
const threads0 = sampleThreads(process.pid)
// The first read of a session starts at the confirmed position (0 here); later ones go on from the last.
let batch = await session.read({ fromPosition: 0, maxItems, waitMs: 0 })
while (true) {
  forwards += batch.items.length
  bytes += encodeOutboxFrame({ batch }).length
  next = batch.scannedTo + 1
  if (forwards >= want || batch.items.length === 0) break
  batch = await session.read({ fromPosition: next, maxItems, waitMs: 0 })
  reads++
}
const used = process.cpuUsage(cpu)
const byThread = threadCpuBetween(threads0, sampleThreads(process.pid))
console.log(`${forwards} forwards to position ${next - 1} in ${((performance.now() - t) / 1000).toFixed(2)} s, CPU ${((used.user + used.system) / forwards).toFixed(1)} µs per forward (user ${(used.user / forwards).toFixed(1)}, sys ${(used.system / forwards).toFixed(1)}), ${(bytes / forwards).toFixed(0)} B per forward on the socket, ${reads + 1} reads`)
console.log(`by thread, µs per forward: ${Object.entries(byThread).filter(([, us]) => us > 0).sort((a, b) => b[1] - a[1]).map(([name, us]) => `${name} ${(us / forwards).toFixed(1)}`).join(', ')}`)
await store.close()
