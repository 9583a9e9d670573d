// The CA: what init and issue put into certificates, the state it keeps, and what it refuses.
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { initCa, openCa } from '../../../certs/src/certificate-authority.ts'
import { readCertificate } from '../../../certs/src/certificate-facts.ts'
import { loadCrl } from '../../../certs/src/crl-load.ts'
import { writeCredential } from '../../../certs/src/credential-files.ts'
import { EKU } from '../../../certs/src/oids.ts'
import { certDer, leafOf, makePki, tempDir } from './fixture.ts'

const pki = await makePki(t, { organization: 'Fukuoka Prefecture' })
const mode = (p: string): number => statSync(p).mode & 0o777

t.test('init: CA directory layout and file modes', async (t) => {
  t.equal(mode(pki.caDir), 0o700, 'CA directory 0700')
  for (const f of ['root.key', 'issuing.key', 'state.json']) t.equal(mode(join(pki.caDir, f)), 0o600, `${f} is 0600`)
  for (const f of ['root.crt', 'issuing.crt', 'ca.crt', 'crl.pem']) t.ok(existsSync(join(pki.caDir, f)), `${f} exists`)
  t.equal(readFileSync(join(pki.caDir, 'ca.crt'), 'utf8'), pki.issuingPem + pki.rootPem, 'ca.crt is issuing + root')
})

t.test('init: root and issuing CA profiles', async (t) => {
  const root = readCertificate(certDer(pki.rootPem))
  const issuing = readCertificate(certDer(pki.issuingPem))
  t.same(root.basicConstraints, { ca: true, pathLen: 1 })
  t.same(issuing.basicConstraints, { ca: true, pathLen: 0 })
  t.same([...(root.keyUsage ?? [])].sort(), ['cRLSign', 'keyCertSign'])
  t.same([...(issuing.keyUsage ?? [])].sort(), ['cRLSign', 'keyCertSign'])
  t.equal(root.notAfter.getUTCFullYear() - root.notBefore.getUTCFullYear(), 10, '10 years')
  t.equal(issuing.authorityKeyId, root.subjectKeyId, 'issuing AKI = root SKI')
  t.match(root.subject, /CN=Fukuoka Prefecture Root CA,O=Fukuoka Prefecture,C=JP/)
  // node's own X.509 code as an independent check of the signatures
  const rootX = new X509Certificate(pki.rootPem)
  const issuingX = new X509Certificate(pki.issuingPem)
  t.ok(rootX.verify(rootX.publicKey), 'root is self-signed')
  t.ok(issuingX.verify(rootX.publicKey), 'issuing CA is signed by the root')
  t.ok(issuingX.checkIssued(rootX))
  t.equal(rootX.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'ECDSA P-256')
  t.equal(rootX.ca, true)
})

t.test('init refuses to overwrite a CA', async (t) => {
  await t.rejects(initCa(pki.caDir), { code: 'KEN_ERR_PKI_CA_EXISTS' })
  t.throws(() => openCa(join(pki.dir, 'nothing-here')), { code: 'KEN_ERR_PKI_CA_NOT_FOUND' })
})

t.test('issue cs: subject and SAN carry the municipality code; clientAuth; 2 years', async (t) => {
  const cred = await pki.ca.issueCs({ municipalityCode: '401307' })
  const c = readCertificate(leafOf(cred))
  t.match(c.subject, /^serialNumber=401307,CN=CS-401307,OU=CS,/)
  t.same(c.altNames.uri, [`urn:ken:cs:401307:${cred.serialHex}`])
  t.same(c.extKeyUsage, [EKU.clientAuth])
  t.same([...(c.keyUsage ?? [])], ['digitalSignature'])
  t.same(c.basicConstraints, { ca: false, pathLen: undefined })
  t.equal(Math.round((c.notAfter.getTime() - c.notBefore.getTime()) / 86_400_000), 730)
  t.equal(c.authorityKeyId, readCertificate(certDer(pki.issuingPem)).subjectKeyId)
  t.ok(new X509Certificate(cred.certificatePem).verify(new X509Certificate(pki.issuingPem).publicKey), 'signed by the issuing CA')
  t.equal(cred.chainPem, cred.certificatePem + pki.issuingPem)
  t.equal(cred.privateKeyEncrypted, false)
  t.match(cred.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/)
})

t.test('issue server: SAN DNS and IP, serverAuth', async (t) => {
  const cred = await pki.ca.issueServer({ names: ['localhost', '127.0.0.1', '::1'] })
  const c = readCertificate(leafOf(cred))
  t.same(c.altNames.dns, ['localhost'])
  t.same(c.altNames.ip, ['127.0.0.1', '0:0:0:0:0:0:0:1'])
  t.same(c.extKeyUsage, [EKU.serverAuth])
  t.equal(new X509Certificate(cred.certificatePem).checkHost('localhost'), 'localhost')
  t.equal(new X509Certificate(cred.certificatePem).checkIP('127.0.0.1'), '127.0.0.1')
})

t.test('issue operator: SAN URI with id and role, PIN-encrypted key, fiscal-year end', async (t) => {
  const cred = await pki.ca.issueOperator({ id: 'OP001', role: 'security', pin: '24681357' })
  const c = readCertificate(leafOf(cred))
  t.same(c.altNames.uri, ['urn:ken:operator:OP001:security'])
  t.same(c.extKeyUsage, [EKU.clientAuth])
  t.equal(cred.privateKeyEncrypted, true)
  t.match(cred.privateKeyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
  const march = await makePki(t, { clock: () => new Date('2026-03-15T10:00:00+09:00') })
  const m = await march.ca.issueOperator({ id: 'TE001', role: 'technician', pin: '24681357' })
  t.equal(m.notAfter.toISOString(), '2026-04-30T14:59:59.000Z', 'FY2025 registration ends 30 April 2026 23:59:59 JST')
  const april = await makePki(t, { clock: () => new Date('2026-04-01T00:00:00+09:00') })
  const a = await april.ca.issueOperator({ id: 'TE001', role: 'technician', pin: '24681357' })
  t.equal(a.notAfter.toISOString(), '2027-04-30T14:59:59.000Z', 'FY2026 registration ends 30 April 2027')
})

t.test('issue refuses bad input', async (t) => {
  await t.rejects(pki.ca.issueCs({ municipalityCode: '401308' }), { code: 'KEN_ERR_PKI_BAD_MUNICIPALITY_CODE' }, 'check digit')
  await t.rejects(pki.ca.issueCs({ municipalityCode: '40130' }), { code: 'KEN_ERR_PKI_BAD_MUNICIPALITY_CODE' }, 'five digits')
  await t.rejects(pki.ca.issueOperator({ id: 'op-1', role: 'operator', pin: '24681357' }), { code: 'KEN_ERR_PKI_BAD_OPERATOR_ID' })
  await t.rejects(pki.ca.issueOperator({ id: 'OP001', role: 'root' as 'admin', pin: '24681357' }), { code: 'KEN_ERR_PKI_BAD_ROLE' })
  await t.rejects(pki.ca.issueOperator({ id: 'OP001', role: 'operator', pin: '1234' }), { code: 'KEN_ERR_PKI_WEAK_PIN' })
  await t.rejects(pki.ca.issueOperator({ id: 'OP001', role: 'operator', pin: '24681357', validityDays: 800 }), { code: 'KEN_ERR_PKI_BAD_VALIDITY' }, 'beyond 30 April of the next fiscal year')
  t.equal((await pki.ca.issueOperator({ id: 'OP001', role: 'operator', pin: '24681357', validityDays: 1 })).kind, 'operator', 'shorter is fine')
  await t.rejects(pki.ca.issueServer({ names: ['bad_name!'] }), { code: 'KEN_ERR_PKI_BAD_NAME' })
  await t.rejects(pki.ca.issueServer({ names: [] }), { code: 'KEN_ERR_PKI_BAD_NAME' })
  await t.rejects(pki.ca.issueCs({ municipalityCode: '401307', validityDays: 0 }), { code: 'KEN_ERR_PKI_BAD_VALIDITY' })
  await t.rejects(pki.ca.issueCs({ municipalityCode: '401307', validityDays: 40_000 }), { code: 'KEN_ERR_PKI_BAD_VALIDITY' }, 'outlives the issuing CA')
  const late = await makePki(t)
  const expired = openCa(late.caDir, { clock: () => new Date(Date.now() + 11 * 365 * 86_400_000) })
  await t.rejects(expired.issueCs({ municipalityCode: '401307' }), { code: 'KEN_ERR_PKI_CA_EXPIRED' })
})

t.test('serials are unique and increasing, also under concurrent issuance', async (t) => {
  const creds = await Promise.all(['401307', '402036', '401307', '402036'].map(async (municipalityCode) => await pki.ca.issueCs({ municipalityCode })))
  const serials = creds.map((c) => Number.parseInt(c.serialHex, 16))
  t.equal(new Set(serials).size, 4)
  const issued = pki.ca.records().issued
  t.equal(new Set(issued.map((r) => r.serialHex)).size, issued.length, 'no serial twice in the index')
  t.same(issued.slice(0, 2).map((r) => [r.serialHex, r.kind]), [['01', 'root'], ['02', 'issuing']])
})

t.test('no API hands out a CA private key', async (t) => {
  const caKeys = ['root.key', 'issuing.key'].map((f) => readFileSync(join(pki.caDir, f), 'utf8').split('\n')[1] ?? 'x')
  const cred = await pki.ca.issueServer({ names: ['localhost'] })
  const everything = JSON.stringify([cred, pki.ca.records(), pki.ca.rootPem, pki.ca.issuingPem, pki.ca.bundlePem, await pki.ca.generateCrl()])
  for (const k of caKeys) t.notOk(everything.includes(k), 'CA key material absent')
})

t.test('revoke: unknown serials, CA certificates, double revocation, hold then final', async (t) => {
  const cred = await pki.ca.issueCs({ municipalityCode: '401307' })
  await t.rejects(pki.ca.revoke('ffff', 'keyCompromise'), { code: 'KEN_ERR_PKI_UNKNOWN_SERIAL' })
  await t.rejects(pki.ca.revoke('zz', 'keyCompromise'), { code: 'KEN_ERR_PKI_BAD_SERIAL' })
  await t.rejects(pki.ca.revoke('01', 'cACompromise'), { code: 'KEN_ERR_PKI_CANNOT_REVOKE_CA' }, 'the root')
  await t.rejects(pki.ca.revoke(cred.serialHex, 'bogus' as 'superseded'), { code: 'KEN_ERR_PKI_BAD_REASON' })
  const held = await pki.ca.revoke(`0x${cred.serialHex.toUpperCase()}`, 'certificateHold')
  t.equal(held.serialHex, cred.serialHex, 'serial typed in any case/prefix is canonicalised')
  await t.rejects(pki.ca.revoke(cred.serialHex, 'certificateHold'), { code: 'KEN_ERR_PKI_ALREADY_REVOKED' })
  const final = await pki.ca.revoke(cred.serialHex, 'superseded')
  t.equal(final.reason, 'superseded', 'a hold may become a final revocation')
  await t.rejects(pki.ca.revoke(cred.serialHex, 'keyCompromise'), { code: 'KEN_ERR_PKI_ALREADY_REVOKED' })
})

t.test('CRL: number increases, entries carry reasons, lifetime configurable', async (t) => {
  const fresh = await makePki(t)
  t.same(fresh.crl.map((c) => [c.issuer, c.crlNumber, c.revoked.size]), [
    ['CN=ken-server prefecture Issuing CA,O=ken-server prefecture,C=JP', 1n, 0],
    ['CN=ken-server prefecture Root CA,O=ken-server prefecture,C=JP', 1n, 0]
  ], 'the issuing CA\'s CRL, then the root\'s')
  const issuing = readCertificate(certDer(fresh.issuingPem))
  const a = await fresh.ca.issueCs({ municipalityCode: '401307' })
  const b = await fresh.ca.issueCs({ municipalityCode: '402036' })
  const c = await fresh.ca.issueCs({ municipalityCode: '402036' })
  await fresh.ca.revoke(a.serialHex, 'keyCompromise')
  await fresh.ca.revoke(b.serialHex, 'affiliationChanged')
  await fresh.ca.revoke(c.serialHex, 'unspecified')
  const gen = await fresh.ca.generateCrl({ validityDays: 2 })
  t.equal(gen.pem, gen.pems.join(''))
  const crl = await loadCrl(gen.pems[0], [issuing])
  t.equal(crl.crlNumber, 2n)
  t.equal(crl.nextUpdate.getTime() - crl.thisUpdate.getTime(), 2 * 86_400_000)
  t.same(crl.revoked.get(a.serialHex)?.reason, 'keyCompromise')
  t.same(crl.revoked.get(b.serialHex)?.reason, 'affiliationChanged')
  t.same(crl.revoked.get(c.serialHex)?.reason, 'unspecified')
  t.equal(crl.authorityKeyId, issuing.subjectKeyId)
  t.equal((await fresh.ca.generateCrl()).crlNumber, 3, 'monotonic')
  const latest = await fresh.ca.generateCrl()
  t.equal(readFileSync(join(fresh.caDir, 'crl.pem'), 'utf8'), latest.pem, 'the latest CRL is kept in the CA directory')
  await t.rejects(fresh.ca.generateCrl({ validityDays: 0 }), { code: 'KEN_ERR_PKI_BAD_VALIDITY' })
})

t.test('a corrupt state file is refused, never reinterpreted', async (t) => {
  const broken = await makePki(t)
  const statePath = join(broken.caDir, 'state.json')
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { nextSerial: number }
  state.nextSerial = -1
  writeFileSync(statePath, JSON.stringify(state))
  await t.rejects(broken.ca.issueCs({ municipalityCode: '401307' }), { code: 'KEN_ERR_PKI_CA_CORRUPT' })
  writeFileSync(statePath, '{ not json')
  t.throws(() => openCa(broken.caDir), { code: 'KEN_ERR_PKI_CA_CORRUPT' })
})

t.test('the CA lock: a live holder blocks, a dead one is taken over', async (t) => {
  const locked = await makePki(t)
  writeFileSync(join(locked.caDir, '.lock'), String(process.pid))
  await t.rejects(locked.ca.issueCs({ municipalityCode: '401307' }), { code: 'KEN_ERR_PKI_CA_BUSY' })
  writeFileSync(join(locked.caDir, '.lock'), '999999999')
  const cred = await locked.ca.issueCs({ municipalityCode: '401307' })
  t.equal(cred.serialHex, '03', 'stale lock taken over')
  t.notOk(existsSync(join(locked.caDir, '.lock')), 'lock released')
})

t.test('credential files: key 0600 from creation even with umask 0, never overwritten', async (t) => {
  const dir = tempDir(t)
  const previous = process.umask(0)
  t.teardown(() => { process.umask(previous) })
  const cred = await pki.ca.issueOperator({ id: 'OP009', role: 'operator', pin: '24681357' })
  const paths = writeCredential(join(dir, 'operators'), 'OP009', cred)
  t.equal(mode(paths.keyPath), 0o600)
  t.equal(mode(paths.certPath), 0o644)
  t.throws(() => writeCredential(join(dir, 'operators'), 'OP009', cred), { code: 'KEN_ERR_PKI_FILE_EXISTS' })
  t.equal(readFileSync(paths.keyPath, 'utf8'), cred.privateKeyPem)
})
