// An independent implementation judges the contract: protoc (Debian protobuf-compiler) must compile
// every file of wire contract v1 on its own — each imports what it uses (STYLE.md "compiled by protoc
// as well as protobufjs").
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PROTO_FILES } from '../../../proto/src/schema.ts'

const protoDir = fileURLToPath(new URL('../../../proto/', import.meta.url))

for (const file of PROTO_FILES) {
  t.test(`protoc compiles ${file} alone`, async (t) => {
    const r = spawnSync('protoc', ['-I', protoDir, '--descriptor_set_out=/dev/null', file], { cwd: protoDir, encoding: 'utf8' })
    t.equal(r.status, 0, r.stderr)
  })
}
