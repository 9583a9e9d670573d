// The README's test command: type-check, then every tap test, then one plain summary line
// ("N passed, N failed") that CI reads. Exit code is non-zero when anything failed.
import { spawnSync, spawn } from 'node:child_process'

const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' })
if (tsc.status !== 0) {
  console.log('type-check failed')
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const child = spawn('npx', ['tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
let tail = ''
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString('utf8')).slice(-4096)
})
child.on('close', (code) => {
  const m = /# \{([^}]*)\}/.exec(tail.slice(tail.lastIndexOf('# {')))
  const count = (k: string): number => Number(new RegExp(`${k}: (\\d+)`).exec(m?.[1] ?? '')?.[1] ?? 0)
  const fail = count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0)
  const skip = count('skip') + count('todo')
  console.log(`${count('pass')} passed, ${fail} failed${skip ? `, ${skip} skipped` : ''}`)
  process.exit(code ?? 1)
})
