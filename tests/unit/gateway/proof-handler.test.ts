// The gateway's receipts for a CS (proof-handler.ts) against a real store and its transparency
// socket: a receipt of the CS's own entry verifies with the log's key; another municipality's entry,
// a position past the log, an undecodable request and an unreachable store are each answered with
// their code — never an exception, never another CS's data. A bad frame on the transparency socket
// closes that connection only.
import t from 'tap'
import net from 'node:net'
import path from 'node:path'
import { decode, encode } from '../../../proto/src/codec.ts'
import { identityOf } from '../../../gateway/src/identity.ts'
import { silentLogger } from '../../../gateway/src/logger.ts'
import { isProofTopic, ProofHandler } from '../../../gateway/src/proof-handler.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { startTransparencyServer } from '../../../server/src/store/transparency-server.ts'
import { signerFromSeed } from '../../../server/src/log/checkpoint/index.ts'
import { auditInclusion } from '../../../server/src/log/audit.ts'
import { Cs, FUKUOKA, KITAKYUSHU, item, person, TEST_APPLIANCE_KEY, tempDir } from '../store/helpers.ts'

const signer = signerFromSeed('ken-server.pref-40.test/log', Buffer.alloc(32, 9))

t.test('own entries only, every refusal coded', async (t) => {
  const dir = tempDir(t)
  const store = new LevelStore({ location: path.join(dir, 'db'), applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  const fukuoka = new Cs(FUKUOKA)
  const kitakyushu = new Cs(KITAKYUSHU)
  const [mine] = await store.append([item(fukuoka.identity(person(1)))])
  const [theirs] = await store.append([item(kitakyushu.identity(person(2)))])
  const socketPath = path.join(dir, 'transparency.sock')
  const server = await startTransparencyServer(store, { socketPath }, { info: () => undefined, warn: () => undefined, error: () => undefined })
  const handler = new ProofHandler(socketPath, silentLogger)
  t.teardown(async () => {
    handler.close()
    await server.close()
    await store.close()
  })
  const me = identityOf({ kind: 'cs', municipalityCode: FUKUOKA, serialHex: '0a' })
  const ask = async (payload: Buffer) => decode('ProofResponse', await handler.answer(me, payload))

  const own = await ask(Buffer.from(encode('ProofRequest', { requestId: 'r1', logPosition: mine?.logPosition ?? 0, knownSize: 0 })))
  t.same([own.reasonCode, own.requestId, own.treeSize], ['', 'r1', 2])
  t.ok(auditInclusion({ checkpoint: own.checkpoint, leafIndex: own.leafIndex, treeSize: own.treeSize, proof: own.inclusionProof, entry: own.entry, leafHash: own.leafHash }, signer.verifier).ok, 'the receipt verifies')
  const withConsistency = await ask(Buffer.from(encode('ProofRequest', { requestId: 'r2', logPosition: 1, knownSize: 1 })))
  t.same([withConsistency.reasonCode, withConsistency.knownSize, withConsistency.consistencyProof.length], ['', 1, 1])

  const other = await ask(Buffer.from(encode('ProofRequest', { requestId: 'r3', logPosition: theirs?.logPosition ?? 0, knownSize: 0 })))
  t.same([other.reasonCode, other.checkpoint, other.entry.length], ['KEN_ERR_LOG_NOT_OWN_ENTRY', '', 0], 'another municipality\'s entry is refused, nothing of it sent')
  t.equal((await ask(Buffer.from(encode('ProofRequest', { requestId: 'r4', logPosition: 99, knownSize: 0 })))).reasonCode, 'KEN_ERR_LOG_RANGE')
  t.equal((await ask(Buffer.from(encode('ProofRequest', { requestId: 'r5', logPosition: 0, knownSize: 0 })))).reasonCode, 'KEN_ERR_LOG_RANGE')
  t.equal((await ask(Buffer.from([0xff, 0xff, 0xff]))).reasonCode.startsWith('KEN_REJECT_'), true, 'an undecodable request')
  t.equal(handler.answered, 4, 'the store answered four (refusals included); the other two never reached it')

  // A frame that is not a TransparencyRequest closes that connection only.
  const raw = net.connect(socketPath)
  await new Promise<void>((resolve) => raw.once('connect', () => { resolve() }))
  const closed = new Promise<void>((resolve) => raw.once('close', () => { resolve() }))
  raw.write(Buffer.from([0, 0, 0, 3, 0xff, 0xff, 0xff]))
  await closed
  t.equal((await ask(Buffer.from(encode('ProofRequest', { requestId: 'r7', logPosition: 1, knownSize: 0 })))).reasonCode, '', 'the socket serves on')

  const nowhere = new ProofHandler(path.join(dir, 'absent.sock'), silentLogger)
  t.equal(decode('ProofResponse', await nowhere.answer(me, Buffer.from(encode('ProofRequest', { requestId: 'r6', logPosition: 1, knownSize: 0 })))).reasonCode, 'KEN_ERR_LOG_UNAVAILABLE')
  t.ok(isProofTopic('ken/v1/cs/401307/proof') && !isProofTopic('ken/v1/cs/401307/proof/result') && !isProofTopic('ken/v1/cs/401307/update'))
})
