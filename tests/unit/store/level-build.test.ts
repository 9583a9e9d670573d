// The classic-level binding the store loads is the one patches/classic-level.sh builds (issue 18):
// LevelDB's crc32c with the CPU's crc32 instruction where the CPU has SSE4.2
// (patches/classic-level-3.0.0-sse42-crc32c.patch). It fails on the stock or main's former build.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const binding = createRequire(import.meta.url)('classic-level/binding.js') as Record<string, unknown>
const sse42 = process.platform === 'linux' && process.arch === 'x64' && /\bsse4_2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))

t.test('LevelDB computes crc32c with the crc32 instruction', { skip: sse42 ? false : 'not an x86-64 CPU with SSE4.2' }, async (t) => {
  t.type(binding.crc32c_accelerated, 'function', 'the binding was built with the SSE4.2 patch')
  const accelerated = binding.crc32c_accelerated as () => boolean
  t.equal(accelerated(), true, 'the accelerated function gives CRC-32C\'s check value on this CPU')
})

