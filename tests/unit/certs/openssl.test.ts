// Independent acceptance: openssl — not our code — agrees with what the CA produced.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeCredential } from '../../../certs/src/credential-files.ts'
import { makePki } from './fixture.ts'

function openssl (...args: string[]): { status: number | null, out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

const pki = await makePki(t)
const root = join(pki.caDir, 'root.crt')
const issuing = join(pki.caDir, 'issuing.crt')
const out = join(pki.dir, 'out')
const cs = writeCredential(out, '401307', await pki.ca.issueCs({ municipalityCode: '401307' }))
const revokedCred = await pki.ca.issueCs({ municipalityCode: '402036' })
const revoked = writeCredential(out, '402036', revokedCred)
const server = writeCredential(out, 'server', await pki.ca.issueServer({ names: ['localhost', '127.0.0.1'] }))
const op = writeCredential(join(out, 'operators'), 'OP001', await pki.ca.issueOperator({ id: 'OP001', role: 'operator', pin: 'pin-for-openssl' }))
await pki.ca.revoke(revokedCred.serialHex, 'keyCompromise')
const crlPath = join(pki.dir, 'crl.pem')
writeFileSync(crlPath, (await pki.ca.generateCrl()).pem)

t.test('openssl verify: CS as sslclient, server as sslserver, operator as sslclient', async (t) => {
  const chain = ['-CAfile', root, '-untrusted', issuing]
  let r = openssl('verify', ...chain, '-purpose', 'sslclient', cs.certPath)
  t.equal(r.status, 0, r.out)
  t.match(r.out, /: OK/)
  r = openssl('verify', ...chain, '-purpose', 'sslserver', server.certPath)
  t.equal(r.status, 0, r.out)
  r = openssl('verify', ...chain, '-purpose', 'sslclient', op.certPath)
  t.equal(r.status, 0, r.out)
  r = openssl('verify', ...chain, '-purpose', 'sslserver', cs.certPath)
  t.not(r.status, 0, 'a CS certificate is no TLS server certificate for openssl either')
  r = openssl('verify', '-CAfile', root, cs.certPath)
  t.not(r.status, 0, 'without the issuing CA openssl cannot build the path')
})

t.test('openssl with the CRL: the revoked certificate is refused, the other accepted', async (t) => {
  const args = ['verify', '-CAfile', root, '-untrusted', issuing, '-crl_check', '-CRLfile', crlPath]
  let r = openssl(...args, revoked.certPath)
  t.not(r.status, 0)
  t.match(r.out, /certificate revoked/)
  r = openssl(...args, cs.certPath)
  t.equal(r.status, 0, r.out)
  r = openssl('verify', '-CAfile', root, '-untrusted', issuing, '-crl_check_all', '-CRLfile', crlPath, cs.certPath)
  t.equal(r.status, 0, `with -crl_check_all (what node:tls does) the root's CRL covers the issuing CA: ${r.out}`)
  r = openssl('verify', '-CAfile', root, '-untrusted', issuing, '-crl_check_all', '-CRLfile', crlPath, revoked.certPath)
  t.not(r.status, 0)
})

t.test('openssl crl -verify accepts the CRL signature; the text shows number and reason', async (t) => {
  const r = openssl('crl', '-verify', '-CAfile', issuing, '-in', crlPath, '-noout', '-text')
  t.equal(r.status, 0, r.out)
  t.match(r.out, /verify OK/)
  t.match(r.out, /X509v3 CRL Number:\s+\d+/)
  t.match(r.out, /X509v3 Authority Key Identifier/)
  t.match(r.out, /Key Compromise/)
  t.match(r.out, new RegExp(`Serial Number: ${revokedCred.serialHex.toUpperCase()}`))
  t.not(openssl('crl', '-verify', '-CAfile', root, '-in', crlPath, '-noout').status, 0, 'the root did not sign it')
})

t.test('openssl reads the CA profiles as intended', async (t) => {
  const rootText = openssl('x509', '-in', root, '-noout', '-text').out
  t.match(rootText, /CA:TRUE, pathlen:1/)
  t.match(rootText, /Certificate Sign, CRL Sign/)
  t.match(openssl('x509', '-in', issuing, '-noout', '-text').out, /CA:TRUE, pathlen:0/)
  const csText = openssl('x509', '-in', cs.certPath, '-noout', '-text').out
  t.match(csText, /URI:urn:ken:cs:401307:/)
  t.match(csText, /serialNumber\s*=\s*401307/)
  t.match(csText, /TLS Web Client Authentication/)
})

t.test('openssl opens the operator key with the right PIN and not with a wrong one', async (t) => {
  let r = openssl('pkey', '-in', op.keyPath, '-passin', 'pass:pin-for-openssl', '-noout')
  t.equal(r.status, 0, r.out)
  r = openssl('pkey', '-in', op.keyPath, '-passin', 'pass:wrong-pin-123', '-noout')
  t.not(r.status, 0)
  r = openssl('asn1parse', '-in', op.keyPath)
  t.match(r.out, /PBES2/, 'PKCS#8 EncryptedPrivateKeyInfo with PBES2')
  t.match(r.out, /aes-256-cbc/)
  t.match(openssl('pkey', '-in', cs.keyPath, '-noout', '-text').out, /prime256v1|P-256/, 'device keys are ECDSA P-256')
})
