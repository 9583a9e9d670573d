// The development PKI: layout, modes, speed for a 60-municipality prefecture, idempotence.
import t from 'tap'
import { readFileSync, statSync, unlinkSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { devPki, DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { CrlStore } from '../../../certs/src/crl-store.ts'
import { createVerifier } from '../../../certs/src/verifier.ts'
import { openOperatorCredential } from '../../../certs/src/operator-credential.ts'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { municipalityCheckDigit } from '../../../server/src/domain/identifiers.ts'
import { certDer, tempDir } from './fixture.ts'

const codes = Array.from({ length: 60 }, (_, i) => {
  const first5 = String(40100 + i * 7)
  return `${first5}${municipalityCheckDigit(first5)}`
})
const dir = join(tempDir(t), 'var', 'pki')
const started = Date.now()
const first = await devPki(dir, codes)
const elapsed = Date.now() - started

t.test('60 municipalities in under 3 s', async (t) => {
  t.ok(elapsed < 3000, `took ${elapsed} ms`)
  t.equal(first.created.filter((p) => p.startsWith('cs/')).length, 60)
})

t.test('layout and modes', async (t) => {
  for (const f of ['ca.crt', 'root.crt', 'issuing.crt', 'server.crt', 'crl.pem', 'README.txt', 'operators/OP001.crt', 'operators/TE001.crt', ...codes.map((c) => `cs/${c}.crt`)]) {
    t.equal(statSync(join(dir, f)).mode & 0o777, 0o644, `${f} 0644`)
  }
  for (const f of ['server.key', 'operators/OP001.key', 'operators/TE001.key', ...codes.map((c) => `cs/${c}.key`), 'ca/root.key', 'ca/issuing.key']) {
    t.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f} 0600`)
  }
  t.equal(statSync(join(dir, 'ca')).mode & 0o777, 0o700, 'CA directory 0700')
  t.equal(statSync(dir).mode & 0o777, 0o755, 'the PKI directory itself stays readable for the daemons')
  t.match(readFileSync(join(dir, 'README.txt'), 'utf8'), DEV_PIN, 'the dev PIN is documented')
})

t.test('everything verifies: CS, server, operator and technician; the PIN opens the keys', async (t) => {
  const crl = await CrlStore.open({ path: join(dir, 'crl.pem'), issuers: readFileSync(join(dir, 'ca.crt'), 'utf8'), watch: false })
  const trust = { trustAnchors: readFileSync(join(dir, 'root.crt'), 'utf8'), intermediates: readFileSync(join(dir, 'issuing.crt'), 'utf8'), crl }
  const cs = createVerifier({ ...trust, expect: 'cs', allowedMunicipalities: new Set(codes) })
  for (const code of [codes[0], codes[59]]) {
    t.equal((await cs.verify(certDer(readFileSync(join(dir, 'cs', `${code ?? ''}.crt`), 'utf8')))).municipalityCode, code)
  }
  const server = await createVerifier({ ...trust, expect: 'server' }).verify(certDer(readFileSync(join(dir, 'server.crt'), 'utf8')))
  t.same([server.dnsNames, server.ipAddresses], [['localhost'], ['127.0.0.1', '0:0:0:0:0:0:0:1']])
  const operators = createVerifier({ ...trust, expect: 'operator' })
  for (const [id, role] of [['OP001', 'operator'], ['TE001', 'technician']] as const) {
    const certPem = readFileSync(join(dir, 'operators', `${id}.crt`), 'utf8')
    const who = await operators.verify(certDer(certPem))
    t.same([who.id, who.role], [id, role])
    t.ok(openOperatorCredential(certPem, readFileSync(join(dir, 'operators', `${id}.key`), 'utf8'), DEV_PIN).privateKey)
  }
})

t.test('idempotent: a second run makes nothing; a missing file is made again, alone', async (t) => {
  const serverBefore = readFileSync(join(dir, 'server.crt'), 'utf8')
  const again = await devPki(dir, codes)
  t.same(again.created, [])
  t.equal(readFileSync(join(dir, 'server.crt'), 'utf8'), serverBefore, 'untouched')
  const lost = codes[3] ?? ''
  unlinkSync(join(dir, 'cs', `${lost}.key`))
  const repaired = await devPki(dir, codes)
  t.same(repaired.created, [`cs/${lost}.crt`])
  t.ok(existsSync(join(dir, 'cs', `${lost}.key`)))
})

t.test('a revoked dev credential is replaced and the CRL republished', async (t) => {
  const ca = openCa(join(dir, 'ca'))
  const code = codes[5] ?? ''
  const old = readFileSync(join(dir, 'cs', `${code}.crt`), 'utf8')
  const serial = ca.records().issued.find((r) => r.kind === 'cs' && r.name === code)?.serialHex ?? ''
  await ca.revoke(serial, 'superseded')
  const r = await devPki(dir, codes)
  t.same([...r.created].sort(), ['crl.pem', `cs/${code}.crt`])
  t.not(readFileSync(join(dir, 'cs', `${code}.crt`), 'utf8'), old)
})

t.test('refuses a municipality code with a bad check digit', async (t) => {
  await t.rejects(devPki(join(tempDir(t), 'pki'), ['401308']), { code: 'KEN_ERR_PKI_BAD_MUNICIPALITY_CODE' })
})
