// Receipts for a CS, end to end (SPEC §1.1; docs/transparency-log.md): the real store daemon and
// gateway, simulated CS over mutual TLS. Each CS asks for receipts of a sample of its ACCEPTED results
// on its own proof topic and verifies them with nothing but the log's verifier key — checkpoint
// signature, its own entry, inclusion, and consistency with the checkpoint it kept — and none fails.
// A CS asking for another municipality's entry is refused KEN_ERR_LOG_NOT_OWN_ENTRY; it may not
// subscribe to another's proof results. The daemon's transparency socket answers the CLI too.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { decode, encode } from '../../proto/src/codec.ts'
import { topicFor } from '../../proto/src/topics.ts'
import type { ProofResponse } from '../../proto/src/types.ts'
import { runSimulator } from '../sim/cs-sim/simulator.ts'
import { connectCs } from '../protocol/gateway/helpers/mqtt.ts'
import { updateFor } from '../protocol/gateway/helpers/updates.ts'
import { defaultLogKeyFile, loadLogSigningKey } from '../../server/src/store/log-signing-key.ts'
import { defaultTransparencySocket } from '../../server/src/store/transparency-client.ts'
import { FUKUOKA, KEN_STORE_BIN, KITAKYUSHU, ROOT, startAppliance } from './helpers/appliance.ts'

const app = await startAppliance(t, [FUKUOKA, KITAKYUSHU])
const verifierKey = (await loadLogSigningKey(defaultLogKeyFile(app.paths.applianceKeyFile))).verifier.line
const PER_CS = 80

t.test('every sampled receipt verifies, and each CS keeps a growing consistent checkpoint', async (t) => {
  const sim = runSimulator({
    brokerUrl: app.url,
    ca: app.ca,
    credentials: app.cs,
    events: (code) => Array.from({ length: PER_CS }, (_, i) => ({ payload: encode('Update', updateFor(code, i + 1)) })),
    ratePerSecond: 40,
    window: 8,
    logVerifierKey: verifierKey,
    receiptEvery: 4
  })
  // Each CS waits for its receipts before it disconnects (bounded by the result timeout).
  await sim.done
  t.same(sim.receiptFailures, [], 'no receipt failed')
  t.equal(sim.receipts.failed, 0)
  t.equal(sim.receipts.requested, 2 * PER_CS / 4)
  t.equal(sim.receipts.verified, sim.receipts.requested, `${sim.receipts.verified} receipts verified`)
  t.ok(sim.receipts.lastCheckpointSize >= 1)
})

t.test('only its own entries: another municipality\'s position is refused, its topics denied', async (t) => {
  const client = await connectCs(app.port, app.ca, app.cs.get(KITAKYUSHU) as { cert: string, key: string }, `cs-${KITAKYUSHU}`, { connectTimeout: 20_000 })
  t.teardown(async () => { await client.endAsync(true) })
  const denied = await client.subscribeAsync(topicFor('proofResult', FUKUOKA), { qos: 1 }).then((g) => g[0]?.qos, (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0])
  t.equal(denied, 128, 'SUBACK failure for another CS\'s proof results')
  await client.subscribeAsync(topicFor('proofResult', KITAKYUSHU), { qos: 1 })
  const answer = new Promise<ProofResponse>((resolve) => client.once('message', (_topic, payload) => { resolve(decode('ProofResponse', payload)) }))
  // Position 1 is the first entry of the run: whichever CS got it, one of the two asks for the other's.
  const own = await new Promise<ProofResponse>((resolve) => {
    void answer.then(resolve)
    void client.publishAsync(topicFor('proof', KITAKYUSHU), Buffer.from(encode('ProofRequest', { requestId: 'probe', logPosition: 1, knownSize: 0 })), { qos: 1 })
  })
  const entryIsOwn = own.reasonCode === ''
  if (entryIsOwn) {
    t.equal(own.logPosition, 1)
    // Then position 2..: find one of Fukuoka's.
    let refused: ProofResponse | undefined
    for (let p = 2; p <= 2 * PER_CS && refused === undefined; p++) {
      const next = new Promise<ProofResponse>((resolve) => client.once('message', (_topic, payload) => { resolve(decode('ProofResponse', payload)) }))
      await client.publishAsync(topicFor('proof', KITAKYUSHU), Buffer.from(encode('ProofRequest', { requestId: `p${p}`, logPosition: p, knownSize: 0 })), { qos: 1 })
      const r = await next
      if (r.reasonCode !== '') refused = r
    }
    t.equal(refused?.reasonCode, 'KEN_ERR_LOG_NOT_OWN_ENTRY')
  } else {
    t.equal(own.reasonCode, 'KEN_ERR_LOG_NOT_OWN_ENTRY')
  }
  t.equal(own.checkpoint === '' ? 'none' : 'some', entryIsOwn ? 'some' : 'none', 'a refusal carries no checkpoint or entry')
})

t.test('the CLI asks the running daemon through its transparency socket', async (t) => {
  const socket = defaultTransparencySocket(app.paths.storeSocket)
  const run = (...args: string[]) => spawnSync(process.execPath, [KEN_STORE_BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
  const key = run('public-key', '--socket', socket)
  t.equal(key.stdout.trim(), verifierKey, key.stderr)
  const cp = run('checkpoint', '--socket', socket)
  t.equal(cp.status, 0, cp.stderr)
  t.match(cp.stdout, /^ken-server\/log\n[1-9][0-9]*\n/)
  const proof = run('prove', '--socket', socket, '--position', '1')
  t.equal(proof.status, 0, proof.stderr)
  t.equal((JSON.parse(proof.stdout) as { leafIndex: number }).leafIndex, 0)
  const bad = run('prove', '--socket', socket, '--position', '999999')
  t.same([bad.status, (JSON.parse(bad.stdout) as { errorCode: string }).errorCode], [1, 'KEN_ERR_LOG_RANGE'])
})
