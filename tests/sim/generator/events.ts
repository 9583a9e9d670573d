/**
 * The event stream of the simulated CS units: `generateEvents` yields the updates the municipalities
 * send after the initial load, with the result each must get. Valid events follow the register as it
 * evolves (register.ts, valid-events.ts); at `invalidRate`, an invalid case of every rejection kind in
 * turn (invalid-events.ts). Deterministic from the seed; lazy, so a long stream costs only the persons
 * it touches.
 *
 * The expectations hold for a server whose file holds the population (initialLoadEvents first) and
 * whose date is not before the events' dates.
 */
import { DEFAULTS } from '../../../firmware-config/src/defaults.ts'
import { encode } from '../../../proto/src/codec.ts'
import type { ReasonCode } from '../../../proto/src/reason-codes.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, Stream, type Update } from '../../../proto/src/types.ts'
import { fromDays, toDays } from './age.ts'
import { envelope } from './bodies.ts'
import { INVALID_BUILDERS } from './invalid-events.ts'
import type { MunicipalityInfo } from './places.ts'
import type { Population } from './population.ts'
import { Rng, type Seed, WeightedTable } from './prng.ts'
import { Register } from './register.ts'
import { tennyuFromOutside, tennyuOfMove, VALID_MIX, type Built, type PendingMove, type Scene } from './valid-events.ts'

export interface EventOptions {
  readonly seed: Seed
  /** The population the server's file holds (loaded by initialLoadEvents). */
  readonly population: Population
  /** The CS that send events (default: every municipality of the population). */
  readonly municipalities?: readonly MunicipalityInfo[]
  readonly count: number
  /** Share of invalid cases, 0–1 (default 0). */
  readonly invalidRate?: number
  /** Time of the first event, ISO 8601 with offset (default 08:30 JST the day after the population's asOf). */
  readonly start?: string
  /** Mean time between events, exponentially distributed (default 2000 ms). */
  readonly meanIntervalMs?: number
  /** Next normal-stream 更新順番号 per municipality (default 1; see sequencesAfterInitialLoad). */
  readonly firstSequence?: Readonly<Record<string, number>>
  /** Share of valid events sent on the 異常時 stream (default 0.01). */
  readonly abnormalRate?: number
  /** The gateway's gateway.maxUpdateBytes, for the oversized case (default firmware-config's). */
  readonly maxUpdateBytes?: number
}

/** The result the server must give. */
export interface Expectation {
  readonly status: ResultStatus
  readonly reasonCode?: ReasonCode
}

interface EventCommon {
  /** The CS (certificate) that sends it. */
  readonly municipalityCode: string
  /** Where it is published: the CS's update topic. */
  readonly topic: string
  /** The simulated time (valid even when the update's timestamp is spoiled on purpose). */
  readonly time: string
  /** What it is: the 異動事由 (TENKYO, SHUSSEI …), FUHYO_NEW / FUHYO_CHANGE, or the reason code. */
  readonly label: string
  readonly expect: Expectation
}

/** One generated event: an update, or raw payload bytes (decode-stage cases). */
export type GeneratedEvent = EventCommon & ({ readonly update: Update, readonly rawPayload?: undefined } | { readonly rawPayload: Uint8Array, readonly update?: undefined })

/** The bytes to publish for an event. */
export function payloadOf (e: GeneratedEvent): Uint8Array {
  return e.rawPayload ?? encode('Update', e.update)
}

/** `YYYY-MM-DDThh:mm:ss+09:00` of an instant: the CS units are in Japan. */
function jst (ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`
}

/**
 * Generate `count` events, lazily.
 * @throws RangeError when a sending municipality is not in the population
 */
export function * generateEvents (options: EventOptions): Generator<GeneratedEvent, void, undefined> {
  const { population } = options
  const rng = Rng.derive(options.seed, 'events')
  const register = new Register(population)
  const senders = options.municipalities ?? population.municipalities
  const senderTable = new WeightedTable(senders.map((m) => [m, Math.max(1, population.block(m.code).end - population.block(m.code).start)] as const))
  const kindTable = new WeightedTable(VALID_MIX)
  const invalidRate = options.invalidRate ?? 0
  const abnormalRate = options.abnormalRate ?? 0.01
  const maxUpdateBytes = options.maxUpdateBytes ?? DEFAULTS.gateway.maxUpdateBytes
  const meanInterval = options.meanIntervalMs ?? 2000
  let clock = Date.parse(options.start ?? `${fromDays(toDays(population.asOf) + 1)}T08:30:00+09:00`)
  if (Number.isNaN(clock)) throw new RangeError('start must be an ISO 8601 date-time')

  const sequences = new Map<string, number>()
  const nextSequence = (code: string, stream: Stream, consume: boolean): number => {
    const key = `${code}:${stream}`
    const n = sequences.get(key) ?? (stream === Stream.NORMAL ? options.firstSequence?.[code] ?? 1 : 1)
    sequences.set(key, consume ? n + 1 : n)
    return n
  }
  const pickDestination = (not: string): MunicipalityInfo | undefined => {
    for (let i = 0; i < 10; i++) {
      const m = senderTable.pick(rng)
      if (m.code !== not) return m
    }
    return undefined
  }
  // Moves within the prefecture: the 転入 follows its 転出 after a few to a few hundred events.
  const pending: Array<PendingMove & { due: number }> = []
  const invalidQueue = rng.shuffled(Object.keys(INVALID_BUILDERS) as ReasonCode[])

  for (let n = 0; n < options.count; n++) {
    clock += Math.max(1, Math.round(-meanInterval * Math.log(1 - rng.float())))
    const time = jst(clock)
    const scene = (sender: MunicipalityInfo): Scene => ({ rng, register, population, sender, today: time.slice(0, 10), pickDestination })

    const emit = (sender: MunicipalityInfo, body: Pick<Update, 'identity' | 'fuhyo'>, label: string, expect: Expectation, spoil: { consumes: boolean, envelope?: Partial<Update>, raw?: (u: Update, max: number) => Uint8Array } = { consumes: true }): GeneratedEvent => {
      const stream = expect.status === ResultStatus.ACCEPTED && rng.chance(abnormalRate) ? Stream.ABNORMAL : Stream.NORMAL
      const sequence = nextSequence(sender.code, stream, spoil.consumes)
      const update: Update = { ...envelope(sender.code, stream, sequence, time, rng.int(96), body), ...spoil.envelope }
      const common = { municipalityCode: sender.code, topic: topicFor('update', sender.code), time, label, expect }
      return spoil.raw === undefined ? { ...common, update } : { ...common, rawPayload: spoil.raw(update, maxUpdateBytes) }
    }

    if (invalidRate > 0 && rng.chance(invalidRate)) {
      const sender = senderTable.pick(rng)
      const built = nextInvalid(invalidQueue, scene(sender))
      if (built !== undefined) {
        yield emit(sender, built.body, built.code, { status: ResultStatus.REJECTED, reasonCode: built.code }, { consumes: built.consumesSequence, envelope: built.envelope, raw: built.raw })
        continue
      }
    }

    const due = pending[0]
    if (due !== undefined && due.due <= n) {
      pending.shift()
      const built = tennyuOfMove(scene(due.to), due)
      yield emit(due.to, built.body, built.label, { status: ResultStatus.ACCEPTED })
      continue
    }

    const sender = senderTable.pick(rng)
    let built: Built | undefined
    for (let attempt = 0; attempt < 8 && built === undefined; attempt++) built = kindTable.pick(rng)(scene(sender))
    built ??= tennyuFromOutside(scene(sender))
    if (built.move !== undefined) insertByDue(pending, { ...built.move, due: n + 3 + rng.int(300) })
    yield emit(sender, built.body, built.label, { status: ResultStatus.ACCEPTED })
  }
}

/**
 * The next invalid case: the kinds are tried in a seeded order, a kind that was produced goes to the
 * back, one whose precondition is not met yet (no removed person so far) stays in front, so every
 * kind appears once the stream is long enough.
 */
function nextInvalid (queue: ReasonCode[], scene: Scene): ReturnType<NonNullable<typeof INVALID_BUILDERS[ReasonCode]>> {
  for (let i = 0; i < queue.length; i++) {
    const code = queue[i] as ReasonCode
    const built = INVALID_BUILDERS[code]?.(scene)
    if (built !== undefined) {
      queue.splice(i, 1)
      queue.push(code)
      return built
    }
  }
  return undefined
}

function insertByDue<T extends { due: number }> (list: T[], item: T): void {
  let i = list.length
  while (i > 0 && (list[i - 1]?.due ?? 0) > item.due) i--
  list.splice(i, 0, item)
}
