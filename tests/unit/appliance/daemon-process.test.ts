// spawnDaemon starts each daemon with the malloc settings of the systemd units (malloc-env.ts, issue 18),
// and a value already in the launcher's environment wins (to measure without them).
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DAEMON_NODE_FLAGS, spawnDaemon } from '../../../server/src/appliance/daemon-process.ts'
import { DAEMON_MALLOC_ENV, JEMALLOC } from '../../../server/src/appliance/malloc-env.ts'
import { tempDirUntilExit } from '../../helpers/temp-dir.ts'

const dir = tempDirUntilExit('ken-daemon-')
const script = path.join(dir, 'print-env.ts')
writeFileSync(script, `process.stdout.write(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX, mmap: process.env.MALLOC_MMAP_THRESHOLD_ }))\n`)

async function envOf (log: string): Promise<{ arena?: string, mmap?: string }> {
  const d = spawnDaemon('print-env', script, [], path.join(dir, log))
  t.equal(await d.exited, 0)
  return JSON.parse(readFileSync(path.join(dir, log), 'utf8')) as { arena?: string, mmap?: string }
}

t.test('a daemon gets the malloc settings', async (t) => {
  const saved = { arena: process.env.MALLOC_ARENA_MAX, mmap: process.env.MALLOC_MMAP_THRESHOLD_ }
  delete process.env.MALLOC_ARENA_MAX
  delete process.env.MALLOC_MMAP_THRESHOLD_
  t.teardown(() => {
    if (saved.arena !== undefined) process.env.MALLOC_ARENA_MAX = saved.arena
    if (saved.mmap !== undefined) process.env.MALLOC_MMAP_THRESHOLD_ = saved.mmap
  })
  t.same(await envOf('a.log'), { arena: DAEMON_MALLOC_ENV.MALLOC_ARENA_MAX, mmap: DAEMON_MALLOC_ENV.MALLOC_MMAP_THRESHOLD_ })
  process.env.MALLOC_ARENA_MAX = '8'
  t.same(await envOf('b.log'), { arena: '8', mmap: DAEMON_MALLOC_ENV.MALLOC_MMAP_THRESHOLD_ }, 'the launcher\'s own value wins')
})

// jemalloc returns the memory glibc keeps below the top of its heap (malloc-env.ts): preloaded into
// every daemon where Debian's libjemalloc2 is installed, and not named at all where it is not.
t.test('a daemon runs on jemalloc where it is installed', async (t) => {
  const saved = process.env.LD_PRELOAD
  delete process.env.LD_PRELOAD
  t.teardown(() => { if (saved !== undefined) process.env.LD_PRELOAD = saved })
  const probe = path.join(dir, 'print-malloc.ts')
  writeFileSync(probe, `import { readFileSync } from 'node:fs'\nprocess.stdout.write(JSON.stringify({ preload: process.env.LD_PRELOAD, mapped: readFileSync('/proc/self/maps', 'utf8').includes('libjemalloc') }))\n`)
  const d = spawnDaemon('print-malloc', probe, [], path.join(dir, 'm.log'))
  t.equal(await d.exited, 0)
  const seen = JSON.parse(readFileSync(path.join(dir, 'm.log'), 'utf8')) as { preload?: string, mapped: boolean }
  if (existsSync(JEMALLOC)) {
    t.same(seen, { preload: JEMALLOC, mapped: true }, 'preloaded and mapped')
  } else {
    t.same(seen, { mapped: false }, `${JEMALLOC} absent: no LD_PRELOAD (ld.so would warn on every start)`)
  }
})

// The store's young generation is sized when its process starts (heap-flags.ts): only a flag on its
// command line does it, so spawnDaemon gives the store its flags and no other daemon any.
t.test('the store daemon starts with its Node flags, and they take effect', async (t) => {
  t.ok((DAEMON_NODE_FLAGS.store ?? []).includes('--max-semi-space-size=32'))
  const probe = path.join(dir, 'print-flags.ts')
  // V8 grows new space to 2 × the semi-space bound under allocation: fill it with short-lived objects.
  writeFileSync(probe, `import v8 from 'node:v8'\nlet keep: unknown[] = []\nfor (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 200000) keep = [] }\nconst ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')\nprocess.stdout.write(JSON.stringify({ argv: process.execArgv.filter((a) => a.startsWith('--max-semi')), newSpaceMb: (ns?.space_size ?? 0) / 1048576 }))\n`)
  const seen = async (name: string): Promise<{ argv: string[], newSpaceMb: number }> => {
    const d = spawnDaemon(name, probe, [], path.join(dir, `${name}.log`))
    t.equal(await d.exited, 0)
    return JSON.parse(readFileSync(path.join(dir, `${name}.log`), 'utf8')) as { argv: string[], newSpaceMb: number }
  }
  const store = await seen('store')
  t.same(store.argv, ['--max-semi-space-size=32'])
  t.equal(store.newSpaceMb, 64, 'two semi-spaces of 32 MiB')
  const gateway = await seen('gateway')
  t.same(gateway.argv, [])
  t.ok(gateway.newSpaceMb <= 32, `V8's default (${gateway.newSpaceMb} MB)`)
})
