// libuv's pool threads named `uv-pool` (pool-thread-names.ts) so the bench can tell LevelDB's writes
// from V8's GC: in a fresh process every pool thread, and no other, bears the name.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { poolSize } from '../../../server/src/store/pool-thread-names.ts'

const linux = existsSync('/proc/thread-self/comm')

for (const size of [4, 2]) {
  t.test(`a pool of ${size}: each of its threads is named, the main thread is not`, { skip: linux ? false : 'needs Linux /proc' }, async (t) => {
    const script = `
      import { namePoolThreads, threadsNamed } from ${JSON.stringify(new URL('../../../server/src/store/pool-thread-names.ts', import.meta.url).href)}
      import { readFileSync } from 'node:fs'
      const named = await namePoolThreads()
      console.log(JSON.stringify({ named, now: threadsNamed('uv-pool'), main: readFileSync('/proc/self/comm', 'utf8').trim() }))`
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, UV_THREADPOOL_SIZE: String(size) }, encoding: 'utf8' })
    t.equal(out.status, 0, out.stderr)
    const r = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as { named: number, now: number, main: string }
    t.equal(r.named, size, 'namePoolThreads says every pool thread')
    t.equal(r.now, size, 'and /proc agrees')
    t.not(r.main, 'uv-pool', 'the main thread keeps its name')
  })
}

t.test('the pool size is libuv\'s', async (t) => {
  t.equal(poolSize({}), 4)
  t.equal(poolSize({ UV_THREADPOOL_SIZE: '8' }), 8)
  t.equal(poolSize({ UV_THREADPOOL_SIZE: '0' }), 4)
  t.equal(poolSize({ UV_THREADPOOL_SIZE: 'x' }), 4)
  t.equal(poolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024)
})
