// The national side's reading of a NationalForwardBatch (national.proto; ken/v1/national/{PP}/forward-batch),
// published straight to the simulator with ken-national's client certificate over mutual TLS 1.3: the
// elements are taken in order as if each came alone — a redelivered part is answered as duplicates and
// the rest held, a gap refuses everything from it on — and one NationalAck follows the batch's fsync.
import t from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import mqtt from 'mqtt'
import { decode, encode } from '../../../proto/src/codec.ts'
import { nationalTopic } from '../../../proto/src/national-topics.ts'
import type { NationalAck, NationalBatchItem } from '../../../proto/src/types.ts'
import { bench } from './helpers.ts'

/** An identity forward at `position`, chained to `previous`. */
function identity (position: number, previous: number): NationalBatchItem {
  return {
    identity: {
      logPosition: position, entryHash: Buffer.alloc(32, position), prefectureCode: '40', municipalityCode: '401307',
      juminhyoCode: String(10_000_000_000 + position), nameKanji: '試験　太郎', nameKana: 'シケン　タロウ', birthDate: '1990-01-01', sex: 1,
      address: '福岡県福岡市中央区天神1丁目', kojinBango: '', changeReason: 6, changeDate: '2024-01-01', kyuujiKanji: '', kyuujiKana: '',
      previousJuminhyoCode: '', previousPosition: previous
    }
  }
}

function fuhyo (position: number, previous: number): NationalBatchItem {
  return { fuhyo: { logPosition: position, entryHash: Buffer.alloc(32, position), prefectureCode: '40', municipalityCode: '401307', previousPosition: previous, fuhyo: null } }
}

t.test('a batch is read element by element, in order, with one ack after its fsync', async (t) => {
  const b = await bench(t)
  const sim = await b.startSim()
  const client = await mqtt.connectAsync(`mqtts://localhost:${sim.port}`, {
    ca: readFileSync(b.national.caFile),
    cert: readFileSync(path.join(b.pkiDir, 'national', 'ken-national.crt')),
    key: readFileSync(path.join(b.pkiDir, 'national', 'ken-national.key')),
    rejectUnauthorized: true,
    protocolVersion: 4,
    clientId: 'ken-national-40',
    clean: true,
    reconnectPeriod: 0
  })
  t.teardown(async () => { await client.endAsync(true) })
  const acks: NationalAck[] = []
  client.on('message', (_topic, payload) => { acks.push(decode('NationalAck', payload)) })
  await client.subscribeAsync(nationalTopic('ack', '40'), { qos: 1 })
  const send = async (items: NationalBatchItem[]): Promise<NationalAck> => {
    const before = acks.length
    await client.publishAsync(nationalTopic('forwardBatch', '40'), Buffer.from(encode('NationalForwardBatch', { items })), { qos: 1 })
    const end = Date.now() + 30_000
    while (acks.length === before && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10))
    t.equal(acks.length, before + 1, 'one ack for the batch')
    return acks[acks.length - 1] as NationalAck
  }
  const held = async (): Promise<number[]> => (await sim.store.forwards('40')).map((h) => h.forward.logPosition)

  t.same(await send([identity(1, 0), identity(2, 1), fuhyo(3, 2)]), { logPosition: 3, reasonCode: '' }, 'three held, identity and 附票 in one chain')
  t.same(await held(), [1, 2, 3])
  t.same(await send([identity(2, 1), fuhyo(3, 2), identity(4, 3), identity(5, 4)]), { logPosition: 5, reasonCode: '' }, 'a redelivered batch: its held part skipped, the rest held')
  t.same(await held(), [1, 2, 3, 4, 5], 'nothing twice')
  t.equal(sim.stats.duplicates, 2)
  t.same(await send([identity(7, 6), identity(8, 7)]), { logPosition: 5, reasonCode: 'KEN_REJECT_NATIONAL_GAP' }, 'a gap at its start: none of it held')
  t.same(await send([identity(6, 5), identity(8, 7), identity(9, 8)]), { logPosition: 6, reasonCode: 'KEN_REJECT_NATIONAL_GAP' }, 'a gap inside: held up to it, refused from it on')
  t.same(await held(), [1, 2, 3, 4, 5, 6])
  t.same(await send([identity(7, 6), identity(8, 7)]), { logPosition: 8, reasonCode: '' }, 'the rest, sent again in order, is held')
  t.same(await held(), [1, 2, 3, 4, 5, 6, 7, 8])
  t.same(await send([identity(8, 7), fuhyo(9, 8), identity(11, 10), identity(12, 11)]), { logPosition: 9, reasonCode: 'KEN_REJECT_NATIONAL_GAP' }, 'a duplicate, a held forward and a gap in one batch: the ack after the held one is durable')
  t.same(await held(), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'nothing after the gap, though its successor came in the same batch')
  t.same([sim.stats.duplicates, sim.stats.gaps], [3, 6])
  t.same([sim.stats.publishes, sim.stats.largestPublish], [6, 4], 'six PUBLISHes, the largest of four forwards')
})
