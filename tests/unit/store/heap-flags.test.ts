// The store daemon's V8 heap settings (heap-flags.ts, issue 18): V8 prints the growing factor it
// applies after each mark-compact under --trace-gc-verbose ("[HeapController] Limit: … (F)",
// heap/memory-controller.cc), so these tests read the factor a real process used.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from './helpers.ts'
import { STORE_HEAP_GROWING_FACTOR as FACTOR } from '../../../server/src/store/heap-flags.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const HEAP_FLAGS = path.join(ROOT, 'server/src/store/heap-flags.ts')

/** The growing factors V8 applied, in the order printed. */
function factors (traceGc: string): number[] {
  return [...traceGc.matchAll(/\[HeapController\] Limit: .*\(([\d.]+)\)$/gm)].map((m) => Number(m[1]))
}

t.test('applyStoreV8Flags fixes the old generation\'s growing factor (3×)', async (t) => {
  const dir = tempDir(t, 'ken-heap-flags-')
  const run = (apply: boolean): number[] => {
    const script = path.join(dir, `gc-${String(apply)}.ts`)
    writeFileSync(script, [
      `import { applyStoreV8Flags } from ${JSON.stringify(HEAP_FLAGS)}`,
      apply ? 'applyStoreV8Flags()' : '',
      'const keep: object[] = []',
      'for (let i = 0; i < 300_000; i++) keep.push({ i, s: `x${i}` })',
      '// @ts-expect-error exposed by --expose-gc',
      'gc()',
      'process.stdout.write(String(keep.length) + "\\n")'
    ].join('\n'))
    const r = spawnSync(process.execPath, ['--expose-gc', '--trace-gc-verbose', '--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' })
    t.equal(r.status, 0, r.stderr)
    return factors(r.stdout)
  }
  const without = run(false)
  t.ok(without.length > 0 && without.some((f) => f !== FACTOR), `V8's own factor is not ${FACTOR}× here (${without.join(', ')}), so the check below can fail`)
  const applied = run(true)
  t.ok(applied.length > 0, 'a mark-compact ran after the flags were set')
  t.equal(applied.at(-1), FACTOR, `heap-growing-percent=${(FACTOR - 1) * 100}`)
})

t.test('ken-store serve runs with them', async (t) => {
  const dir = tempDir(t, 'ken-heap-flags-serve-')
  // --gc-interval forces collections during start-up, after serve has set the flags.
  const child = spawn(process.execPath, ['--trace-gc-verbose', '--gc-interval=2000000', '--import', 'tsx', 'server/src/cli/ken-store.ts', 'serve',
    '--db', path.join(dir, 'db'), '--socket', path.join(dir, 'store.sock'), '--key', path.join(dir, 'appliance.key')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8') })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the store was not ready in 60 s')), 60_000)
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      if (stderr.includes('"event":"store.ready"')) { clearTimeout(timer); resolve() }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`the store exited (${String(code)}) before it was ready`)) })
  })
  child.kill('SIGTERM')
  t.equal(await exited, 0)
  const seen = factors(stdout)
  t.ok(seen.length > 0, 'mark-compacts ran')
  t.equal(seen.at(-1), FACTOR, `the daemon's last collection grew the heap by ${FACTOR}× (${seen.join(', ')})`)
})
