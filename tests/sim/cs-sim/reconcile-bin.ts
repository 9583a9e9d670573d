/**
 * ken-cs-sim reconcile — simulated CS running a reconciliation (SPEC §5.3) against a gateway whose
 * store holds the initial load of the same population (bin.ts run with the same --municipalities,
 * --residents and --seed),
 * with a fraction of deliberately diverged records, and a check that the server found exactly those.
 *
 *   node --import tsx tests/sim/cs-sim/reconcile-bin.ts --url mqtts://127.0.0.1:8883 --pki var/pki
 *     [--municipalities 401307] [--residents 2000] [--seed 1] [--missing 0.01] [--extra 0.005]
 *     [--differing 0.01] [--per-chunk 450] [--window 4] [--media FILE]
 *
 * With --media the snapshot is written as a file for `ken-store reconcile --file` instead of sent.
 * Prints one JSON line per municipality; exit 1 when a run was not exact, 2 on a usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../../firmware-config/src/index.ts'
import { generatePopulation } from '../generator/index.ts'
import { buildSnapshot, chunksOf } from './reconcile-run.ts'
import { ReconcilingCs } from './reconciling-cs.ts'
import { mediaFile } from './media-file.ts'

const { values } = parseArgs({
  strict: true,
  options: {
    url: { type: 'string' },
    pki: { type: 'string' },
    municipalities: { type: 'string', default: '401307' },
    residents: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    missing: { type: 'string', default: '0.01' },
    extra: { type: 'string', default: '0.005' },
    differing: { type: 'string', default: '0.01' },
    'per-chunk': { type: 'string', default: '450' },
    window: { type: 'string', default: '4' },
    media: { type: 'string' }
  }
})
const usage = (why: string): never => {
  process.stderr.write(`${why}\nusage: reconcile-bin.ts --url URL --pki DIR [--municipalities A,B] [--residents N] [--seed S] [--missing F] [--extra F] [--differing F] [--per-chunk N] [--window N] [--media FILE]\n`)
  process.exit(2)
}
const fraction = (name: string, v: string): number => {
  const n = Number(v)
  if (!(n >= 0 && n <= 1)) usage(`--${name} must be a fraction 0…1`)
  return n
}
const codes = values.municipalities.split(',')
const all = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities
// The population as bin.ts made it: every municipality given there, in the prefecture's order.
const population = generatePopulation({ seed: values.seed, municipalities: all.filter((m) => codes.includes(m.code)), count: Number(values.residents) })
const divergence = { missing: fraction('missing', values.missing), extra: fraction('extra', values.extra), differing: fraction('differing', values.differing) }

let exact = true
for (const code of codes) {
  const snap = buildSnapshot(population, code, { ...divergence, seed: Number(code) })
  const chunks = chunksOf(snap.records, { municipalityCode: code, sessionId: `sim-${code}-${Date.now()}`, snapshotDate: population.asOf, perChunk: Number(values['per-chunk']) })
  if (values.media !== undefined) {
    writeFileSync(codes.length === 1 ? values.media : `${values.media}.${code}`, mediaFile(chunks), { mode: 0o600 })
    process.stdout.write(`${JSON.stringify({ municipality: code, chunks: chunks.length, records: snap.records.length, seeded: snap.expected.size })}\n`)
    continue
  }
  if (values.url === undefined || values.pki === undefined) usage('--url and --pki are required (or --media)')
  const pki = values.pki as string
  const cs = new ReconcilingCs({ url: values.url as string, ca: readFileSync(join(pki, 'ca.crt'), 'utf8'), cert: readFileSync(join(pki, 'cs', `${code}.crt`), 'utf8'), key: readFileSync(join(pki, 'cs', `${code}.key`), 'utf8'), municipalityCode: code, chunks, window: Number(values.window) })
  const started = performance.now()
  const final = await cs.run()
  let found = 0
  let right = 0
  for (const r of cs.results.values()) {
    for (const d of r.differences) {
      found++
      const want = snap.expected.get(d.juminhyoCode)
      if (want !== undefined && want.kind === d.kind && want.fields.join() === d.fields.join()) right++
    }
  }
  const ok = found === snap.expected.size && right === found
  exact &&= ok
  process.stdout.write(`${JSON.stringify({ municipality: code, chunks: chunks.length, seconds: Math.round(performance.now() - started) / 1000, seeded: snap.expected.size, found, exact: ok, summary: final.summary })}\n`)
}
process.exit(exact ? 0 : 1)
