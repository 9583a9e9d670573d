// A real TLS 1.3 handshake on 127.0.0.1 with the development PKI: node:tls checks the chain and the
// CRL (first layer), then the verifier reads the municipality from the peer's DER and issuer chain
// (second layer) — the arrangement the gateway uses before any MQTT byte is read. On a CRL reload
// the server gets a new secure context, so node's own check follows the CrlStore too.
import t from 'tap'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import tls from 'node:tls'
import type { AddressInfo } from 'node:net'
import { devPki } from '../../../certs/src/dev-pki.ts'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { CrlStore } from '../../../certs/src/crl-store.ts'
import { createVerifier } from '../../../certs/src/verifier.ts'
import { peerChain } from '../../../certs/src/peer-certificate.ts'
import type { CsIdentity } from '../../../certs/src/identity.ts'
import type { KenError } from '../../../proto/src/ken-error.ts'
import { writeCredential } from '../../../certs/src/credential-files.ts'
import { certDer, makePki, tempDir } from '../../unit/certs/fixture.ts'

const dir = join(tempDir(t), 'pki')
await devPki(dir, ['401307', '402036'])
const read = (f: string): string => readFileSync(join(dir, f), 'utf8')
const ca = openCa(join(dir, 'ca'))

const crl = await CrlStore.open({ path: join(dir, 'crl.pem'), issuers: read('ca.crt'), watch: false })
const verifier = createVerifier({
  trustAnchors: read('root.crt'),
  intermediates: read('issuing.crt'),
  crl,
  expect: 'cs',
  allowedMunicipalities: new Set(['401307', '402036'])
})

type Outcome = { identity: CsIdentity } | { refused: string }
const outcomes: Outcome[] = []

const server = tls.createServer({ key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt'), crl: crl.pems, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' })
server.on('secureConnection', (socket) => {
  const { leafDer, chainDer } = peerChain(socket.getPeerCertificate(true))
  verifier.verify(leafDer, chainDer).then(
    (identity) => { outcomes.push({ identity }); socket.end(`hello ${identity.municipalityCode}`) },
    (err: KenError) => { outcomes.push({ refused: err.code }); socket.destroy() }
  )
})
server.on('tlsClientError', () => {})
crl.on('loaded', () => server.setSecureContext({ key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt'), crl: crl.pems, minVersion: 'TLSv1.3' }))
server.listen(0, '127.0.0.1')
await once(server, 'listening')
t.teardown(() => server.close())
const port = (server.address() as AddressInfo).port

interface ClientResult { protocol?: string | null, data?: string, error?: string }

async function connect (opts: tls.ConnectionOptions): Promise<ClientResult> {
  return await new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: read('ca.crt'), ...opts })
    let data = ''
    let protocol: string | null = null
    socket.on('secureConnect', () => { protocol = socket.getProtocol() })
    socket.on('data', (c: Buffer) => { data += c.toString() })
    socket.on('end', () => resolve({ protocol, data }))
    socket.on('close', () => resolve({ protocol, data }))
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
  })
}

t.test('a CS completes TLS 1.3 and the verifier reads its municipality', async (t) => {
  const r = await connect({ key: read('cs/401307.key'), cert: read('cs/401307.crt') })
  t.equal(r.protocol, 'TLSv1.3')
  t.equal(r.data, 'hello 401307')
  const last = outcomes.at(-1)
  t.ok(last !== undefined && 'identity' in last)
  if (last !== undefined && 'identity' in last) t.same([last.identity.kind, last.identity.municipalityCode], ['cs', '401307'])
})

t.test('the issuer chain from getPeerCertificate(true) reaches the root', async (t) => {
  const seen: number[] = []
  server.once('secureConnection', (socket) => { seen.push(peerChain(socket.getPeerCertificate(true)).chainDer.length) })
  await connect({ key: read('cs/402036.key'), cert: read('cs/402036.crt') })
  t.same(seen, [2], 'issuing CA and root')
})

t.test('TLS 1.2 and clients without a certificate are refused by the handshake', async (t) => {
  const old = await connect({ key: read('cs/401307.key'), cert: read('cs/401307.crt'), maxVersion: 'TLSv1.2' })
  t.ok(old.error !== undefined, `TLS 1.2 refused (${old.error ?? ''})`)
  const before = outcomes.length
  const anonymous = await connect({})
  t.notOk(anonymous.data, 'no application data without a client certificate')
  t.equal(outcomes.length, before, 'the verifier never saw it')
})

t.test('a CS of another PKI is refused by node before the verifier runs', async (t) => {
  const other = await makePki(t)
  const foreign = writeCredential(join(other.dir, 'out'), '401307', await other.ca.issueCs({ municipalityCode: '401307' }))
  const before = outcomes.length
  const r = await connect({ key: readFileSync(foreign.keyPath), cert: readFileSync(foreign.certPath) })
  t.notOk(r.data)
  t.equal(outcomes.length, before)
})

t.test('revoked after a CRL reload: both layers refuse, without restarting anything', async (t) => {
  const serial = ca.records().issued.find((r) => r.kind === 'cs' && r.name === '402036')?.serialHex ?? ''
  await ca.revoke(serial, 'keyCompromise')
  const fresh = await ca.generateCrl()
  writeFileSync(join(dir, 'crl.pem'), fresh.pem)
  t.equal((await crl.reload()).status, 'loaded')
  const before = outcomes.length
  const r = await connect({ key: read('cs/402036.key'), cert: read('cs/402036.crt') })
  t.notOk(r.data, 'node:tls refuses with the new CRL')
  t.equal(outcomes.length, before, 'refused during the handshake')
  await t.rejects(verifier.verify(certDer(read('cs/402036.crt'))), { code: 'KEN_ERR_CERT_REVOKED' }, 'and the verifier agrees')
  const ok = await connect({ key: read('cs/401307.key'), cert: read('cs/401307.crt') })
  t.equal(ok.data, 'hello 401307', 'the other CS still connects')
})
