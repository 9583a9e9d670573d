/**
 * ken-cs-sim — simulated 市町村CS units against a gateway, fed by the population/event generator.
 *
 *   node --import tsx tests/sim/cs-sim/bin.ts --url mqtts://127.0.0.1:8883 --pki var/pki
 *     [--municipalities 401307,401005] [--residents 2000] [--events 500] [--invalid-rate 0.05]
 *     [--rate 200] [--window 64] [--batch 1] [--seed 1] [--no-initial-load]
 *
 * Each CS sends its residents' initial load (unless --no-initial-load: the server already holds
 * them), then its share of one generated event stream, in the stream's order. Events of different CS
 * that depend on each other (a 転出 here, its 転入 there) travel on separate links and may race at
 * high rates; such results are reported as mismatches. Credentials: <pki>/cs/<code>.crt and .key,
 * by default every CS there. Prints the figures as JSON; exit 1 when a result contradicted its
 * event or went missing, 2 on a usage error.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../../firmware-config/src/index.ts'
import { encode } from '../../../proto/src/codec.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { generateEvents, generatePopulation, initialLoadEvents, payloadOf, sequencesAfterInitialLoad, type GeneratedEvent } from '../generator/index.ts'
import { runSimulator, totals, type SimEvent } from './simulator.ts'

const USAGE = 'usage: bin.ts --url mqtts://HOST:PORT --pki DIR [--municipalities A,B] [--residents N] [--events N] [--invalid-rate R] [--rate N] [--window N] [--batch N] [--seed S] [--no-initial-load]'

function fail (why: string): never {
  process.stderr.write(`${why}\n${USAGE}\n`)
  process.exit(2)
}

const { values } = parseArgs({
  strict: true,
  options: {
    url: { type: 'string' },
    pki: { type: 'string' },
    municipalities: { type: 'string' },
    residents: { type: 'string', default: '2000' },
    events: { type: 'string', default: '500' },
    'invalid-rate': { type: 'string', default: '0.05' },
    rate: { type: 'string', default: '200' },
    window: { type: 'string', default: '64' },
    batch: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'no-initial-load': { type: 'boolean', default: false }
  }
})
if (values.url === undefined || values.pki === undefined) fail('--url and --pki are required')
const pki = values.pki
const codes = values.municipalities?.split(',') ?? readdirSync(join(pki, 'cs')).filter((f) => f.endsWith('.crt')).map((f) => f.slice(0, -4))
const all = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities
const municipalities = all.filter((m) => codes.includes(m.code))
if (municipalities.length !== codes.length) fail(`not municipalities of the configured prefecture: ${codes.filter((c) => !all.some((m) => m.code === c)).join(', ')}`)
const number = (name: string, v: string): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number`)
  return n
}

const population = generatePopulation({ seed: values.seed, municipalities, count: number('residents', values.residents) })
const stream = generateEvents({
  seed: values.seed,
  population,
  count: number('events', values.events),
  invalidRate: number('invalid-rate', values['invalid-rate']),
  ...(values['no-initial-load'] ? {} : { firstSequence: sequencesAfterInitialLoad(population) })
})[Symbol.iterator]()

// One generated stream, dealt out to the CS that send each event, in the stream's order.
const queues = new Map<string, GeneratedEvent[]>(codes.map((c) => [c, []]))
function * generated (code: string): Generator<SimEvent> {
  const mine = queues.get(code) ?? []
  for (;;) {
    while (mine.length === 0) {
      const next = stream.next()
      if (next.done === true) return
      queues.get(next.value.municipalityCode)?.push(next.value)
    }
    const e = mine.shift() as GeneratedEvent
    yield { payload: payloadOf(e), expect: e.expect }
  }
}
function * events (code: string): Generator<SimEvent> {
  if (!values['no-initial-load']) {
    for (const u of initialLoadEvents(population, { municipalityCode: code })) yield { payload: encode('Update', u), expect: { status: ResultStatus.ACCEPTED }, catchUp: true }
  }
  yield * generated(code)
}

const sim = runSimulator({
  brokerUrl: values.url,
  ca: readFileSync(join(pki, 'ca.crt')),
  credentials: new Map(codes.map((c) => [c, { cert: readFileSync(join(pki, 'cs', `${c}.crt`)), key: readFileSync(join(pki, 'cs', `${c}.key`)) }])),
  events,
  ratePerSecond: number('rate', values.rate),
  window: number('window', values.window),
  batchSize: number('batch', values.batch)
})
process.once('SIGINT', () => { void sim.stop() })
const stats = await sim.done
const sum = totals(stats)
process.stdout.write(`${JSON.stringify({ totals: sum, municipalities: stats.municipalities, mismatches: stats.mismatches }, null, 2)}\n`)
process.exit(sum.mismatches > 0 || sum.missing > 0 || sum.failed > 0 ? 1 : 0)
