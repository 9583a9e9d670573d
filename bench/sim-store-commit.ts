/**
 * The national simulator's store alone (tests/sim/national/sim-store.ts), at the size of a load: N
 * identity forwards committed in order, `--batch` per fsynced LevelDB batch as the simulator group-
 * commits them, each with a 住民票コード and 個人番号 spread at random as the national file's keys are.
 * Prints the process's CPU per forward (all threads: LevelDB's flushes and compactions included, which
 * the 100 k runs of bench/national-forward.ts are too small to reach) and the bytes LevelDB wrote
 * (issue 18: the simulator shares the bench's two cores with the appliance).
 *
 *   node --import tsx bench/sim-store-commit.ts [--forwards 1000000] [--batch 64] [--dir DIR]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { encodeComplete } from '../proto/src/codec.ts'
import type { NationalForward } from '../proto/src/types.ts'
import { readForward } from '../tests/sim/national/forward-read.ts'
import { SimStore } from '../tests/sim/national/sim-store.ts'

const { values } = parseArgs({ options: { forwards: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '64' }, dir: { type: 'string' } } })
const n = Number(values.forwards)
const perBatch = Number(values.batch)
const dir = mkdtempSync(path.join(values.dir ?? os.tmpdir(), 'ken-sim-store-'))

/** Digits drawn from the position (two rounds of a multiplicative hash), spread over the key space as real codes are. */
const digits = (position: number, salt: number, length: number): string => {
  const a = Math.imul(position ^ salt, 0x9e3779b1) >>> 0
  const b = Math.imul(a ^ (a >>> 15), 0x85ebca6b) >>> 0
  return (String(a) + String(b)).padStart(length, '0').slice(-length)
}

function forward (position: number): Buffer {
  const f: NationalForward = {
    logPosition: position, entryHash: Buffer.alloc(32, position), prefectureCode: '40', municipalityCode: '401307',
    juminhyoCode: digits(position, 0x1234567, 11), nameKanji: '試験　太郎', nameKana: 'シケン　タロウ', birthDate: '1990-01-01', sex: 1,
    address: '福岡県福岡市中央区天神1丁目' + String(position % 1000) + '番', kojinBango: digits(position, 0x7654321, 12), changeReason: 6, changeDate: '2024-01-01',
    kyuujiKanji: '', kyuujiKana: '', previousJuminhyoCode: '', previousPosition: position - 1
  }
  return Buffer.from(encodeComplete('NationalForward', f))
}

const store = new SimStore(path.join(dir, 'db'))
await store.open()
let making = 0n
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (let p = 1; p <= n; p += perBatch) {
  const m0 = process.hrtime.bigint()
  const batch = Array.from({ length: Math.min(perBatch, n - p + 1) }, (_, i) => readForward('identity', forward(p + i)))
  making += process.hrtime.bigint() - m0
  await store.commit('40', batch)
}
await store.close()
const cpu = process.cpuUsage(cpu0)
const seconds = (performance.now() - t0) / 1000
const usPer = (micros: number): string => (micros / n).toFixed(1)
const makingUs = Number(making / 1000n)
const bytes = readdirSync(path.join(dir, 'db')).reduce((sum, f) => sum + statSync(path.join(dir, 'db', f)).size, 0)
const log = readFileSync(path.join(dir, 'db', 'LOG'), 'utf8')
// LevelDB's LOG (db_impl.cc DoCompactionWork): "Compacted 4@0 + 3@1 files => 8123456 bytes"
const compacted = [...log.matchAll(/Compacted .* => (\d+) bytes/g)].map((m) => Number(m[1]))
console.log(`${n} forwards, ${perBatch} per batch, ${seconds.toFixed(1)} s: CPU per forward ${usPer(cpu.user + cpu.system)} µs all threads (making the forwards ${usPer(makingUs)} µs of it, main thread), store ${usPer(cpu.user + cpu.system - makingUs)} µs; database ${(bytes / 1e6).toFixed(0)} MB, ${compacted.length} compactions wrote ${(compacted.reduce((a, b) => a + b, 0) / 1e6).toFixed(0)} MB`)
rmSync(dir, { recursive: true, force: true })
