// The hole the hash chain leaves (docs/store-contract.md "Trust boundary"), closed: one entry is
// rewritten in the LevelDB files, every later chain hash and the views' head recomputed, and the
// stored subtrees dropped (the store recomputes them from the rewritten log, as an attacker would).
// The chain then verifies — and `ken-store verify` still fails, naming the first checkpoint whose
// root no longer holds; after the appliance signs a new checkpoint over the rewritten log, `ken-audit`
// with the checkpoint an auditor kept before refuses the consistency proof. Before the rewrite the
// same commands pass, and Go's sumdb/note opens the checkpoint `ken-store checkpoint` prints.
import t from 'tap'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hash } from 'node:crypto'
import { LevelStore } from '../../server/src/store/level-store.ts'
import { loadLogSigningKey } from '../../server/src/store/log-signing-key.ts'
import { verifyLogAgainstCheckpoint } from '../../server/src/store/verify-checkpoint.ts'
import { nextFrame } from '../../server/src/store/log-block.ts'
import { HASH_BYTES, META_HEAD, readPosition } from '../../server/src/store/layout.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from '../unit/store/helpers.ts'
import { withRaw } from '../unit/store/raw.ts'
import { buildGoJudge, goMissing } from '../unit/log/checkpoint/go-judge.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const

function run (bin: string, ...args: string[]): { status: number | null, stdout: string, json: Record<string, any> | undefined, stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, bin), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  return { status: r.status, stdout: r.stdout, json: line.startsWith('{') ? JSON.parse(line) as Record<string, any> : undefined, stderr: r.stderr }
}
const store = (...a: string[]) => run('server/bin/ken-store.js', ...a)
const audit = (...a: string[]) => run('server/bin/ken-audit.js', ...a)

/** Rewrite one byte of entry `position` and recompute every later prev_hash and the views' head. */
async function rewriteEntry (location: string, position: number): Promise<void> {
  let last: Buffer | undefined
  await withRaw(location, async (raw) => {
    const log = raw.sublevel<Buffer, Buffer>('log', ENCODING)
    const blocks: Array<[Buffer, Buffer]> = []
    for await (const [key, value] of log.iterator()) blocks.push([key, Buffer.from(value)])
    let prev: Buffer | undefined
    let changed = false
    for (const [key, block] of blocks) {
      let at = readPosition(key)
      for (let offset = 0, ref = nextFrame(block, 0); ref !== undefined; offset = ref.end, ref = nextFrame(block, offset), at++) {
        if (changed && prev !== undefined) prev.copy(block, ref.start)
        if (at === position) {
          block[ref.end - 5] = (block[ref.end - 5] as number) ^ 0x55 // inside the entry's sealed bytes
          changed = true
        }
        prev = hash('sha256', block.subarray(ref.start, ref.end), 'buffer')
      }
      await log.put(key, block)
    }
    last = prev
  }, 'log')
  await withRaw(location, async (raw) => {
    const meta = raw.sublevel<Buffer, Buffer>('meta', ENCODING)
    const head = Buffer.from(await meta.get(META_HEAD) ?? Buffer.alloc(0))
    ;(last as Buffer).copy(head, 8, 0, HASH_BYTES)
    await meta.put(META_HEAD, head)
    await raw.sublevel<Buffer, Buffer>('tree', ENCODING).clear()
  })
}

t.test('a rewritten entry with every later hash recomputed is caught by verify and by ken-audit', async (t) => {
  const dir = tempDir(t)
  const location = path.join(dir, 'db')
  const logKey = path.join(dir, 'keys', 'log-signing.key')
  const signer = await loadLogSigningKey(logKey, 'ken-server.pref-40.test/log')
  const cs = new Cs(FUKUOKA)
  const open = async (): Promise<LevelStore> => {
    const s = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
    await s.open()
    return s
  }
  let s = await open()
  for (let i = 0; i < 300; i += 30) await s.append(Array.from({ length: 30 }, (_, j) => item(cs.identity(person(i + j)))))
  await s.close()

  const key = store('public-key', '--log-key', logKey)
  t.equal(key.status, 0, key.stderr)
  const verifierKey = key.stdout.trim()
  t.equal(verifierKey, signer.verifier.line)
  const kept = store('checkpoint', '--db', location)
  t.equal(kept.status, 0, kept.stderr)
  t.match(kept.stdout, /^ken-server\.pref-40\.test\/log\n300\n/)
  const oldFile = path.join(dir, 'checkpoint-300')
  writeFileSync(oldFile, kept.stdout)
  const early = store('checkpoint', '--db', location, '--size', '150')
  writeFileSync(path.join(dir, 'checkpoint-150'), early.stdout)

  // Before: everything holds.
  const ok = store('verify', '--db', location, '--public-key', verifierKey)
  t.equal(ok.status, 0, ok.stdout)
  t.same([ok.json?.ok, ok.json?.tree?.checkpoints, ok.json?.tree?.signaturesChecked], [true, 10, true])
  t.equal(audit('checkpoint', '--key', verifierKey, '--checkpoint', oldFile).status, 0)
  const inclusion = store('prove', '--db', location, '--position', '100')
  writeFileSync(path.join(dir, 'inclusion.json'), inclusion.stdout)
  const inc = audit('inclusion', '--key', verifierKey, '--proof', path.join(dir, 'inclusion.json'))
  t.same([inc.status, inc.json?.size], [0, 300], inc.stdout)
  const forward = store('prove', '--db', location, '--from', '150')
  writeFileSync(path.join(dir, 'consistency-150.json'), forward.stdout)
  t.equal(audit('consistency', '--key', `@${path.join(dir, 'key')}`, '--old', path.join(dir, 'checkpoint-150'), '--proof', path.join(dir, 'consistency-150.json')).status, 2, 'an unreadable key file is a usage error')
  writeFileSync(path.join(dir, 'key'), `${verifierKey}\n`)
  t.equal(audit('consistency', '--key', `@${path.join(dir, 'key')}`, '--old', path.join(dir, 'checkpoint-150'), '--proof', path.join(dir, 'consistency-150.json')).status, 0)
  t.same((await verifyLogAgainstCheckpoint(location, kept.stdout, verifierKey)).ok, true, 'the restore check passes on the intact store')

  const goAbsent = goMissing()
  if (goAbsent === undefined) {
    const judged = buildGoJudge()(['open', verifierKey, oldFile])
    t.equal(judged.status, 0, `Go sumdb/note opens ken-store's checkpoint: ${judged.stderr}`)
  } else {
    t.comment(`Go judge skipped: ${goAbsent}`)
  }

  // The rewrite: the chain alone no longer sees it.
  await rewriteEntry(location, 100)
  const broken = store('verify', '--db', location, '--public-key', verifierKey)
  t.equal(broken.status, 1, broken.stdout)
  t.equal(broken.json?.issue, undefined, 'the hash chain verifies: every later hash was recomputed')
  t.same(broken.json?.tree?.issue?.kind, 'root-mismatch')
  t.same(broken.json?.tree?.issue?.size, 120, 'the first checkpoint covering entry 100 names it')
  const restore = await verifyLogAgainstCheckpoint(location, kept.stdout, verifierKey)
  t.same([restore.ok, restore.issue?.kind], [false, 'root-mismatch'], 'a restore of this store is refused')

  // The appliance, unaware, signs on over the rewritten log; the auditor's kept checkpoint exposes it.
  s = await open()
  await s.append(Array.from({ length: 10 }, (_, j) => item(cs.identity(person(300 + j)))))
  await s.close()
  const after = store('prove', '--db', location, '--from', '300')
  t.equal(after.status, 0, after.stderr)
  writeFileSync(path.join(dir, 'consistency-300.json'), after.stdout)
  t.match(after.json?.checkpoint, /\n310\n/)
  const refused = audit('consistency', '--key', verifierKey, '--old', oldFile, '--proof', path.join(dir, 'consistency-300.json'))
  t.equal(refused.status, 1, refused.stdout)
  t.same([refused.json?.ok, refused.json?.step], [false, 'consistency'])
  t.match(refused.json?.reason, /root-mismatch/)
  const newFile = path.join(dir, 'checkpoint-310')
  writeFileSync(newFile, after.json?.checkpoint as string)
  t.equal(audit('checkpoint', '--key', verifierKey, '--checkpoint', newFile).status, 0, 'the new checkpoint alone is validly signed: only consistency catches it')
  const stillBroken = store('verify', '--db', location)
  t.same([stillBroken.status, stillBroken.json?.tree?.issue?.kind, stillBroken.json?.tree?.signaturesChecked], [1, 'root-mismatch', false])
})
