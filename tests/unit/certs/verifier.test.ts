// The verifier: what it accepts, and one test per refusal, each asserting its own code.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as asn1js from 'asn1js'
import { Extension } from 'pkijs'
import { createVerifier, type VerifierOptions } from '../../../certs/src/verifier.ts'
import type { ExpectedKind } from '../../../certs/src/identity.ts'
import type { KenError } from '../../../proto/src/ken-error.ts'
import { importSigningKey } from '../../../certs/src/keys.ts'
import { EKU } from '../../../certs/src/oids.ts'
import { addDays } from '../../../certs/src/time.ts'
import { certDer, fixedCrl, flipByte, forge, lastIndexOf, leafOf, makePki, type TestPki } from './fixture.ts'

const pki = await makePki(t)
const cs = await pki.ca.issueCs({ municipalityCode: '401307' })
const cs2 = await pki.ca.issueCs({ municipalityCode: '402036' })
const server = await pki.ca.issueServer({ names: ['localhost', '127.0.0.1'] })
const op = await pki.ca.issueOperator({ id: 'OP001', role: 'admin', pin: 'correct horse' })
const tech = await pki.ca.issueOperator({ id: 'TE001', role: 'technician', pin: 'correct horse' })
const other = await makePki(t) // a second, independent PKI
const foreign = await other.ca.issueCs({ municipalityCode: '401307' })

function verifier<E extends ExpectedKind> (expect: E, opts: Partial<VerifierOptions<E>> = {}, p: TestPki = pki) {
  return createVerifier<E>({ trustAnchors: p.rootPem, intermediates: p.issuingPem, crl: fixedCrl(p.crl), expect, ...opts })
}

async function refused (t: Test, promise: Promise<unknown>, code: string, what: string): Promise<void> {
  await t.rejects(promise, { code }, what)
}

t.test('accepts a CS certificate and returns its identity', async (t) => {
  const id = await verifier('cs').verify(leafOf(cs))
  t.equal(id.kind, 'cs')
  t.equal(id.municipalityCode, '401307')
  t.equal(id.serialHex, cs.serialHex)
  t.match(id.subject, /CN=CS-401307/)
  t.same(id.notAfter, cs.notAfter)
  t.equal(id.fingerprint256, createHash('sha256').update(leafOf(cs)).digest('hex'))
})

t.test('builds the path from the chain the peer sent when no intermediate is configured', async (t) => {
  const v = createVerifier({ trustAnchors: pki.rootPem, crl: fixedCrl(pki.crl), expect: 'cs' })
  await refused(t, v.verify(leafOf(cs)), 'KEN_ERR_CERT_UNKNOWN_CA', 'without the issuing CA there is no path')
  const id = await v.verify(leafOf(cs), [certDer(pki.issuingPem)])
  t.equal(id.municipalityCode, '401307')
})

t.test('refuses a certificate of another PKI (unknown CA)', async (t) => {
  await refused(t, verifier('cs').verify(leafOf(foreign)), 'KEN_ERR_CERT_UNKNOWN_CA', 'foreign leaf alone')
  await refused(t, verifier('cs').verify(leafOf(foreign), [certDer(other.issuingPem), certDer(other.rootPem)]), 'KEN_ERR_CERT_UNKNOWN_CA', 'foreign leaf with its whole chain, root included')
})

t.test('refuses expired and not-yet-valid certificates (injected clock)', async (t) => {
  await refused(t, verifier('cs', { clock: () => addDays(cs.notAfter, 1) }).verify(leafOf(cs)), 'KEN_ERR_CERT_EXPIRED', 'a day after notAfter')
  await refused(t, verifier('cs', { clock: () => addDays(cs.notBefore, -1) }).verify(leafOf(cs)), 'KEN_ERR_CERT_NOT_YET_VALID', 'a day before notBefore')
  const id = await verifier('cs', { clock: () => cs.notAfter, staleCrl: 'warn' }).verify(leafOf(cs))
  t.equal(id.municipalityCode, '401307', 'notAfter itself is still inside the validity period (RFC 5280 §4.1.2.5; the week-old CRL is stale by then, hence warn)')
})

t.test('refuses a revoked certificate, with its reason', async (t) => {
  const victim = await pki.ca.issueCs({ municipalityCode: '401307' })
  const v = verifier('cs', { crl: { current: () => pki.crl } })
  t.equal((await v.verify(leafOf(victim))).serialHex, victim.serialHex, 'accepted before the revocation is published')
  await pki.ca.revoke(victim.serialHex, 'keyCompromise')
  t.equal((await v.verify(leafOf(victim))).serialHex, victim.serialHex, 'still accepted: revocation takes effect with the next CRL')
  await pki.refreshCrl()
  const err = await v.verify(leafOf(victim)).then(() => undefined, (e: KenError) => e)
  t.equal(err?.code, 'KEN_ERR_CERT_REVOKED')
  t.match(err?.message, /keyCompromise/)
  t.equal((await v.verify(leafOf(cs))).municipalityCode, '401307', 'the others still pass')
})

t.test('a revoked issuing CA takes its certificates with it (the root\'s CRL)', async (t) => {
  const p = await makePki(t)
  const leaf = await p.ca.issueCs({ municipalityCode: '401307' })
  await p.ca.revoke('02', 'cACompromise')
  await p.refreshCrl()
  const err = await verifier('cs', {}, p).verify(leafOf(leaf)).then(() => undefined, (e: KenError) => e)
  t.equal(err?.code, 'KEN_ERR_CERT_REVOKED')
  t.match(err?.message, /intermediate CA, reason cACompromise/)
  await t.rejects(p.ca.issueCs({ municipalityCode: '401307' }), { code: 'KEN_ERR_PKI_CA_REVOKED' }, 'and the CA stops issuing')
})

t.test('a stale CRL is a hard failure in fail mode and a warning in warn mode', async (t) => {
  const afterNextUpdate = () => addDays(pki.crl[0]?.nextUpdate ?? new Date(0), 1)
  await refused(t, verifier('cs', { clock: afterNextUpdate }).verify(leafOf(cs)), 'KEN_ERR_CRL_STALE', 'default is fail')
  await refused(t, verifier('cs', { clock: afterNextUpdate, staleCrl: 'fail' }).verify(leafOf(cs)), 'KEN_ERR_CRL_STALE', 'fail')
  const warnings: string[] = []
  const id = await verifier('cs', { clock: afterNextUpdate, staleCrl: 'warn', onWarning: (w) => warnings.push(w.code) }).verify(leafOf(cs))
  t.equal(id.municipalityCode, '401307', 'warn mode accepts')
  t.same(warnings, ['KEN_ERR_CRL_STALE', 'KEN_ERR_CRL_STALE'], 'both CRLs of the path are stale')
})

t.test('refuses when no CRL from the leaf\'s issuer is in force', async (t) => {
  await refused(t, verifier('cs', { crl: fixedCrl([]) }).verify(leafOf(cs)), 'KEN_ERR_CRL_UNAVAILABLE', 'no CRL at all')
  await refused(t, verifier('cs', { crl: fixedCrl(pki.crl.slice(1)) }).verify(leafOf(cs)), 'KEN_ERR_CRL_UNAVAILABLE', 'only the root\'s CRL')
  await refused(t, verifier('cs', { crl: fixedCrl(pki.crl.slice(0, 1)) }).verify(leafOf(cs)), 'KEN_ERR_CRL_UNAVAILABLE', 'no CRL for the issuing CA itself (node:tls checks the whole chain too)')
  await refused(t, verifier('cs', { crl: fixedCrl(other.crl) }).verify(leafOf(cs)), 'KEN_ERR_CRL_UNAVAILABLE', 'the other PKI\'s CRL')
})

t.test('refuses the wrong EKU', async (t) => {
  await refused(t, verifier('cs').verify(leafOf(server)), 'KEN_ERR_CERT_WRONG_EKU', 'a serverAuth certificate presented as a CS')
  await refused(t, verifier('server').verify(leafOf(cs)), 'KEN_ERR_CERT_WRONG_EKU', 'a clientAuth certificate presented as a server')
  const noEku = await forge(pki, { extKeyUsage: [] })
  await refused(t, verifier('cs').verify(noEku.der), 'KEN_ERR_CERT_WRONG_EKU', 'no EKU at all')
  const anyEku = await forge(pki, { extKeyUsage: [EKU.anyExtendedKeyUsage] })
  await refused(t, verifier('cs').verify(anyEku.der), 'KEN_ERR_CERT_WRONG_EKU', 'anyExtendedKeyUsage is not clientAuth')
})

t.test('refuses the wrong key usage', async (t) => {
  const encipher = await forge(pki, { keyUsage: ['keyEncipherment'] })
  await refused(t, verifier('cs').verify(encipher.der), 'KEN_ERR_CERT_WRONG_KEY_USAGE', 'keyEncipherment only')
  const signer = await forge(pki, { keyUsage: ['digitalSignature', 'keyCertSign'] })
  await refused(t, verifier('cs').verify(signer.der), 'KEN_ERR_CERT_WRONG_KEY_USAGE', 'an end entity that may sign certificates')
})

t.test('refuses a CS certificate without a municipality code', async (t) => {
  const none = await forge(pki, { subject: [{ type: 'countryName', value: 'JP' }, { type: 'commonName', value: 'somebody' }], altNames: [] })
  await refused(t, verifier('cs').verify(none.der), 'KEN_ERR_CERT_NO_MUNICIPALITY', 'neither in subject nor SAN')
  const subjectOnly = await forge(pki, { altNames: [{ dns: 'cs.example' }] })
  await refused(t, verifier('cs').verify(subjectOnly.der), 'KEN_ERR_CERT_NO_MUNICIPALITY', 'only in the subject')
  const sanOnly = await forge(pki, { subject: [{ type: 'commonName', value: 'CS-401307' }] })
  await refused(t, verifier('cs').verify(sanOnly.der), 'KEN_ERR_CERT_NO_MUNICIPALITY', 'only in the SAN')
  await refused(t, verifier('cs').verify(leafOf(op)), 'KEN_ERR_CERT_NO_MUNICIPALITY', 'an operator certificate presented as a CS')
})

t.test('refuses disagreeing or invalid municipality codes', async (t) => {
  const mismatch = await forge(pki, { serial: 0x7100n, altNames: [{ uri: 'urn:ken:cs:402036:7100' }] })
  await refused(t, verifier('cs').verify(mismatch.der), 'KEN_ERR_CERT_IDENTITY_MISMATCH', 'subject 401307, SAN 402036')
  const wrongSerial = await forge(pki, { serial: 0x7101n, altNames: [{ uri: 'urn:ken:cs:401307:99' }] })
  await refused(t, verifier('cs').verify(wrongSerial.der), 'KEN_ERR_CERT_IDENTITY_MISMATCH', 'SAN names another certificate serial')
  const badDigit = await forge(pki, { serial: 0x7102n, subject: [{ type: 'commonName', value: 'CS-401308' }, { type: 'serialNumber', value: '401308' }], altNames: [{ uri: 'urn:ken:cs:401308:7102' }] })
  await refused(t, verifier('cs').verify(badDigit.der), 'KEN_ERR_CERT_BAD_MUNICIPALITY_CODE', '401308 fails the check digit')
})

t.test('refuses a municipality that is not configured', async (t) => {
  const allowed = new Set(['402036'])
  await refused(t, verifier('cs', { allowedMunicipalities: allowed }).verify(leafOf(cs)), 'KEN_ERR_CERT_MUNICIPALITY_NOT_CONFIGURED', '401307 not in the list')
  t.equal((await verifier('cs', { allowedMunicipalities: allowed }).verify(leafOf(cs2))).municipalityCode, '402036')
})

t.test('refuses tampered certificates', async (t) => {
  const der = leafOf(cs)
  await refused(t, verifier('cs').verify(flipByte(der, der.length - 5)), 'KEN_ERR_CERT_BAD_SIGNATURE', 'a byte of the signature flipped')
  const cn = lastIndexOf(der, Buffer.from('CS-401307'))
  t.ok(cn > 0)
  await refused(t, verifier('cs').verify(flipByte(der, cn + 8)), 'KEN_ERR_CERT_BAD_SIGNATURE', 'the CN in the TBS changed to CS-401306')
  const ecdsaSha256 = Buffer.from('2a8648ce3d040302', 'hex')
  const algAt = lastIndexOf(der, ecdsaSha256) + ecdsaSha256.length - 1
  const swapped = new Uint8Array(der)
  swapped[algAt] = 0x03 // outer signatureAlgorithm → ecdsa-with-SHA384, inner left as SHA-256
  await refused(t, verifier('cs').verify(swapped), 'KEN_ERR_CERT_BAD_SIGNATURE', 'outer algorithm differs from the signed one (§4.1.1.2)')
  const sha512 = new Uint8Array(der)
  sha512[algAt] = 0x04
  await refused(t, verifier('cs').verify(sha512), 'KEN_ERR_CERT_UNSUPPORTED_ALGORITHM', 'an algorithm outside the allow-list')
  await refused(t, verifier('cs').verify(der.subarray(0, 40)), 'KEN_ERR_CERT_MALFORMED', 'truncated DER')
  await refused(t, verifier('cs').verify(new Uint8Array([...der, 0])), 'KEN_ERR_CERT_MALFORMED', 'trailing garbage')
})

t.test('refuses CA certificates as leaves, non-CA issuers and too-long paths', async (t) => {
  await refused(t, verifier('cs').verify(certDer(pki.issuingPem)), 'KEN_ERR_CERT_LEAF_IS_CA', 'the issuing CA presented as a client')
  const serverKey = await importSigningKey(server.privateKeyPem, 'server.key')
  const underServer = await forge(pki, { issuer: { key: serverKey, certPem: server.certificatePem } })
  await refused(t, verifier('cs').verify(underServer.der, [leafOf(server)]), 'KEN_ERR_CERT_NOT_A_CA', 'signed by an end-entity key')
  const sub = await forge(pki, { ca: { pathLen: 0 }, subject: [{ type: 'commonName', value: 'rogue sub-CA' }], altNames: [], extKeyUsage: [] })
  const underSub = await forge(pki, { issuer: { key: sub.key.signingKey, certPem: sub.pem } })
  await refused(t, verifier('cs').verify(underSub.der, [sub.der]), 'KEN_ERR_CERT_PATH_TOO_LONG', 'the issuing CA has pathLen 0')
})

t.test('refuses unknown critical extensions', async (t) => {
  const critical = new Extension({ extnID: '1.3.6.1.4.1.99999.1', critical: true, extnValue: new asn1js.Null().toBER() })
  const f = await forge(pki, { extra: [critical] })
  await refused(t, verifier('cs').verify(f.der), 'KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION', 'critical private extension')
  const nonCritical = new Extension({ extnID: '1.3.6.1.4.1.99999.1', critical: false, extnValue: new asn1js.Null().toBER() })
  const ok = await forge(pki, { serial: 0x7200n, altNames: [{ uri: 'urn:ken:cs:401307:7200' }], extra: [nonCritical] })
  t.equal((await verifier('cs').verify(ok.der)).municipalityCode, '401307', 'a non-critical unknown extension is ignored (§4.2)')
})

t.test('operators: identity, roles, and the allowed-roles list', async (t) => {
  const id = await verifier('operator').verify(leafOf(op))
  t.same({ kind: id.kind, id: id.id, role: id.role }, { kind: 'operator', id: 'OP001', role: 'admin' })
  const techId = await verifier('operator').verify(leafOf(tech))
  t.equal(techId.role, 'technician')
  await refused(t, verifier('operator', { allowedRoles: new Set(['operator', 'admin', 'security'] as const) }).verify(leafOf(tech)), 'KEN_ERR_CERT_ROLE_NOT_ALLOWED', 'no technicians on the terminal')
  await refused(t, verifier('operator').verify(leafOf(cs)), 'KEN_ERR_CERT_NO_OPERATOR_ID', 'a CS certificate presented as an operator')
  const liar = await forge(pki, { subject: [{ type: 'commonName', value: 'OP002' }, { type: 'organizationalUnitName', value: 'admin' }], altNames: [{ uri: 'urn:ken:operator:OP001:admin' }] })
  await refused(t, verifier('operator').verify(liar.der), 'KEN_ERR_CERT_IDENTITY_MISMATCH', 'CN and SAN name different operators')
})

t.test('servers: identity carries the SAN names', async (t) => {
  const id = await verifier('server').verify(leafOf(server), [certDer(pki.issuingPem)])
  t.same(id.dnsNames, ['localhost'])
  t.same(id.ipAddresses, ['127.0.0.1'])
  const nameless = await forge(pki, { extKeyUsage: [EKU.serverAuth], altNames: [] })
  await refused(t, verifier('server').verify(nameless.der), 'KEN_ERR_CERT_NO_SERVER_NAME', 'no SAN')
})

t.test('options are validated once, at construction', async (t) => {
  t.throws(() => createVerifier({ trustAnchors: '', crl: fixedCrl(pki.crl), expect: 'cs' }), { code: 'KEN_ERR_CERT_MALFORMED' }, 'no anchor')
  t.throws(() => verifier('cs', { allowedMunicipalities: new Set(['401308']) }), { code: 'KEN_ERR_PKI_BAD_MUNICIPALITY_CODE' }, 'a configured code with a bad check digit')
  t.throws(() => createVerifier({ trustAnchors: pki.rootPem, crl: fixedCrl(pki.crl), expect: 'cs', staleCrl: 'ignore' as 'warn' }), { code: 'KEN_ERR_PKI_USAGE' })
  t.throws(() => createVerifier({ trustAnchors: pki.rootPem, crl: fixedCrl(pki.crl), expect: 'nobody' as 'cs' }), { code: 'KEN_ERR_PKI_USAGE' })
  t.ok(readFileSync(join(pki.caDir, 'root.crt'), 'utf8').includes('BEGIN CERTIFICATE'))
})
