/**
 * Summarise a V8 CPU profile (`KEN_CPU_PROF_DIR=DIR npm run bench`, or `node --cpu-prof`): self time
 * by category and the top functions by self time, as percentages of the busy (non-idle) time.
 *   node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [TOP] [--from F] [--to F]
 * --from/--to (fractions of the profile's duration, 0–1) keep the samples of that stretch only: the
 * last part of a load, where the store is largest, against its first.
 * A sample counts for the category of the nearest frame on its stack that has one (a native frame
 * such as `update` under sealing.ts counts for sealing).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string, readonly url: string, readonly lineNumber: number }
  readonly children?: readonly number[]
}

export interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

/** First match wins; tested against `url` and the function name of a frame. */
const CATEGORIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['GC', /^\(garbage collector\)/],
  ['idle', /^\(idle\)/],
  ['AES-GCM (store sealing)', /internal\/crypto\/cipher|sealing\.ts/],
  ['SHA-256 / HMAC (chain, blind index, payload hash)', /internal\/crypto\/hash|keyring\.ts|log-block\.ts/],
  ['protobuf encode/decode', /protobufjs|codec\.ts|strict-wire\.ts|schema\.ts|append-request\.ts|stored-encode\.ts|proto-writer\.ts/],
  ['validation / domain rules', /server\/src\/domain\/|validate-items\.ts/],
  ['append socket framing', /framing\.ts|append-client\.ts|append-server\.ts/],
  ['LevelDB (getMany, batch) and the overlay', /classic-level|abstract-level|level-store\.ts|view-tx\.ts|prefetch\.ts/],
  ['MQTT parsing / aedes', /mqtt-packet|aedes|\/bl\/|fastfall|fastparallel|fastseries|reusify|mqemitter|qlobber|hyperid|retimer/],
  ['logging', /pino|sonic-boom/],
  ['TLS', /_tls_wrap|node:tls|internal\/tls/],
  ['node streams / net (incl. TLS record writes)', /node:net|internal\/streams|node:stream|stream_base_commons|^writeBuffer|^writev/],
  ['gateway (own code)', /gateway\/src\//],
  ['store (own code)', /server\/src\/store\//],
  ['module loading (tsx, start-up)', /tsx|internal\/modules|cjs-module-lexer/]
]

function categoryOf (frame: ProfileNode['callFrame']): string | undefined {
  const text = `${frame.functionName} ${frame.url}`
  for (const [name, re] of CATEGORIES) if (re.test(frame.url) || re.test(frame.functionName) || re.test(text)) return name
  return undefined
}

/** The profile's samples taken in [from, to] of its duration (fractions). */
export function sliceProfile (profile: Profile, from: number, to: number): Profile {
  if (!(from >= 0 && to <= 1 && from < to)) throw new RangeError(`--from ${from} --to ${to}: need 0 ≤ from < to ≤ 1`)
  const total = profile.timeDeltas.reduce((a, d) => a + d, 0)
  const samples: number[] = []
  const timeDeltas: number[] = []
  let t = 0
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0
    t += d
    if (t >= from * total && t <= to * total) { samples.push(id); timeDeltas.push(d) }
  })
  return { nodes: profile.nodes, samples, timeDeltas }
}

export function summarise (profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byCategory = new Map<string, number>()
  const byFunction = new Map<string, number>()
  for (const [id, us] of self) {
    const node = byId.get(id)
    if (node === undefined) continue
    let category: string | undefined
    for (let n: ProfileNode | undefined = node; n !== undefined && category === undefined; n = byId.get(parent.get(n.id) ?? -1)) category = categoryOf(n.callFrame)
    byCategory.set(category ?? 'other', (byCategory.get(category ?? 'other') ?? 0) + us)
    const f = node.callFrame
    const name = `${f.functionName === '' ? '(anonymous)' : f.functionName} ${f.url.replace(/^file:\/\/.*?\/(?=(gateway|server|proto|bench)\/)/, '').replace(/.*node_modules\//, '')}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + us)
  }
  const busy = [...byCategory].filter(([k]) => k !== 'idle').reduce((a, [, v]) => a + v, 0)
  const pct = (us: number): string => `${(100 * us / busy).toFixed(1).padStart(5)}%`
  const lines = [`busy ${(busy / 1e6).toFixed(2)} s; percentages of busy time`, '-- by category']
  for (const [k, v] of [...byCategory].sort((a, b) => b[1] - a[1])) if (k !== 'idle') lines.push(`${pct(v)}  ${k}`)
  lines.push('-- top functions by self time')
  for (const [k, v] of [...byFunction].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(v)}  ${k}`)
  return lines.join('\n')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string', default: '0' }, to: { type: 'string', default: '1' } } })
  const [file, top] = positionals
  if (file === undefined) {
    process.stderr.write('usage: node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [TOP] [--from F] [--to F]\n')
    process.exit(2)
  }
  const profile = sliceProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(values.from), Number(values.to))
  process.stdout.write(`${summarise(profile, Number(top ?? 30))}\n`)
}
