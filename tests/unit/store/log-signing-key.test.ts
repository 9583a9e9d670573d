// The log-signing key file (docs/transparency-log.md): made at the first start, mode 0600, in Go's
// signer-key text; read back as the same key; refused — coded — when others may read it, when it is
// not a key, or when the configured origin is not the key's name (an origin cannot change). And a
// checkpoint naming more entries than the log holds (a log cut after it was issued) fails verify.
import t, { type Test } from 'tap'
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { loadLogSigningKey } from '../../../server/src/store/log-signing-key.ts'
import { parseSignerKey } from '../../../server/src/log/checkpoint/index.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { positionKey } from '../../../server/src/store/layout.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { withRaw } from './raw.ts'

async function refused (t: Test, fn: () => Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await fn()
    t.fail(`${what}: expected ${code}`)
  } catch (err) {
    t.ok(isKenError(err, code), what)
  }
}

t.test('made at first start (0600, Go signer text), read back, refused when unsafe or renamed', async (t) => {
  const file = path.join(tempDir(t), 'keys', 'log-signing.key')
  const made = await loadLogSigningKey(file, 'ken-server.pref-40/log')
  t.equal(statSync(file).mode & 0o777, 0o600)
  t.match(readFileSync(file, 'utf8'), /^PRIVATE\+KEY\+ken-server\.pref-40\/log\+[0-9a-f]{8}\+/)
  t.equal(parseSignerKey(readFileSync(file, 'utf8')).verifier.line, made.verifier.line)
  t.equal((await loadLogSigningKey(file)).verifier.line, made.verifier.line, 'read back without a name')
  t.equal((await loadLogSigningKey(file, 'ken-server.pref-40/log')).verifier.line, made.verifier.line, 'and with the same name')
  await refused(t, async () => await loadLogSigningKey(file, 'ken-server.pref-13/log'), 'KEN_ERR_LOG_KEY_FILE', 'another origin')
  await refused(t, async () => await loadLogSigningKey(path.join(path.dirname(file), 'absent.key')), 'KEN_ERR_LOG_KEY_FILE', 'absent, and no name to make one')
  await refused(t, async () => await loadLogSigningKey(path.join(path.dirname(file), 'x.key'), 'bad name'), 'KEN_ERR_LOG_KEY_FILE', 'a name with a space')
  chmodSync(file, 0o640)
  await refused(t, async () => await loadLogSigningKey(file), 'KEN_ERR_LOG_KEY_FILE', 'readable by the group')
  const junk = path.join(path.dirname(file), 'junk.key')
  writeFileSync(junk, 'not a key\n', { mode: 0o600 })
  await refused(t, async () => await loadLogSigningKey(junk), 'KEN_ERR_LOG_KEY_FILE', 'not a key')
})

t.test('verify: a kept checkpoint beyond the log is named', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const file = path.join(path.dirname(location), 'log-signing.key')
  const signer = await loadLogSigningKey(file, 'ken-server.pref-40/log')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (let i = 0; i < 5; i++) await store.append([item(cs.identity(person(i)))])
  await store.close()
  // Cut the last entry off the log (the views' head too, so only the checkpoint remembers it).
  await withRaw(location, async (raw) => { await raw.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' }).del(positionKey(5)) }, 'log')
  const reader = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await reader.open()
  const result = await reader.verify({ verifierKey: signer.verifier })
  await reader.close()
  t.equal(result.ok, false)
  t.same([result.tree.issue?.kind, result.tree.issue?.size, result.tree.size], ['beyond-log', 5, 4])
})
