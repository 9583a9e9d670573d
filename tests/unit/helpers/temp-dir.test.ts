import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../../helpers/temp-dir.ts'

const HELPER = fileURLToPath(new URL('../../helpers/temp-dir.ts', import.meta.url))

t.test('tempDir is removed when its test ends', async (t) => {
  let dir = ''
  await t.test('inner', async (t) => {
    dir = tempDir(t, 'ken-temp-test-')
    writeFileSync(path.join(dir, 'appliance.key'), 'x')
    t.ok(existsSync(dir))
  })
  t.notOk(existsSync(dir), 'gone after the inner test')
})

t.test('tempDirUntilExit is removed when the process exits, on a normal end and on process.exit', async (t) => {
  for (const [how, tail] of [['normal end', ''], ['process.exit(3)', 'process.exit(3)']] as const) {
    const code = `import { tempDirUntilExit } from ${JSON.stringify(HELPER)}; import { writeFileSync, mkdirSync } from 'node:fs';
const a = tempDirUntilExit('ken-temp-test-'); const b = tempDirUntilExit('ken-temp-test-');
mkdirSync(a + '/db'); writeFileSync(a + '/db/x', 'x'); console.log(a); console.log(b); ${tail}`
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' })
    const dirs = r.stdout.trim().split('\n')
    t.equal(dirs.length, 2, `${how}: two directories made (${r.stderr})`)
    for (const dir of dirs) t.notOk(existsSync(dir), `${how}: ${path.basename(dir)} removed`)
  }
})
