// The wire contract compiles with protoc (Debian protobuf-compiler), an implementation not written
// here: every file of proto/ken/v1 alone (so each imports what it uses) and all together, and code is
// generated for each — what a CS vendor does with our files.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PROTO_FILES } from '../../../proto/src/schema.ts'

const PROTO_ROOT = path.join(import.meta.dirname, '../../../proto')
const FILES = readdirSync(path.join(PROTO_ROOT, 'ken/v1')).filter((f) => f.endsWith('.proto')).map((f) => `ken/v1/${f}`).sort()
const protoc = spawnSync('protoc', ['--version'], { encoding: 'utf8' })
const absent = protoc.status === 0 ? false : 'skipped: protoc is not installed (Debian protobuf-compiler)'

t.test('every .proto file is loaded by the codec', async (t) => {
  t.same([...PROTO_FILES].sort(), FILES)
})

t.test('protoc accepts each file alone and all together, and generates code', { skip: absent }, async (t) => {
  for (const file of FILES) {
    const r = spawnSync('protoc', ['-I', PROTO_ROOT, '--descriptor_set_out=/dev/null', file], { encoding: 'utf8' })
    t.equal(r.status, 0, `${file}: ${r.stderr}`)
  }
  const out = mkdtempSync(path.join(tmpdir(), 'ken-protoc-'))
  t.teardown(() => spawnSync('rm', ['-rf', out]))
  const all = spawnSync('protoc', ['-I', PROTO_ROOT, `--python_out=${out}`, `--cpp_out=${out}`, ...FILES], { encoding: 'utf8' })
  t.equal(all.status, 0, all.stderr)
  const generated = readdirSync(path.join(out, 'ken/v1')).sort()
  for (const file of FILES) {
    const base = path.basename(file, '.proto')
    t.ok(generated.includes(`${base}_pb2.py`) && generated.includes(`${base}.pb.h`), `code generated for ${file}`)
  }
})
