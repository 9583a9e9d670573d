// What a daemon checks before a live TLS swap (certs/src/check-tls-material.ts): a matching key, the
// EKU of the use, valid now; a CA bundle of CA certificates only. Where our check accepts or refuses a
// certificate for a use, openssl's `verify -purpose` (not our code) agrees.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { caBundleProblem, credentialProblem } from '../../../certs/src/check-tls-material.ts'
import { makePki } from './fixture.ts'

const pki = await makePki(t)
const server = await pki.ca.issueServer({ names: ['localhost'] })
const client = await pki.ca.issueNationalClient({ prefectureCode: '40' })
const bundle = join(pki.dir, 'bundle.pem')
writeFileSync(bundle, pki.rootPem + pki.issuingPem)
const opensslAccepts = (pem: string, purpose: 'sslserver' | 'sslclient'): boolean => {
  const file = join(pki.dir, `leaf-${purpose}.pem`)
  writeFileSync(file, pem)
  return spawnSync('openssl', ['verify', '-CAfile', bundle, '-purpose', purpose, file]).status === 0
}

t.test('credentials: accepted for their use only, and openssl agrees', async (t) => {
  for (const [name, cred, use, ok] of [
    ['server as server', server, 'server', true],
    ['client as client', client, 'client', true],
    ['client as server', client, 'server', false],
    ['server as client', server, 'client', false]
  ] as const) {
    const problem = credentialProblem(cred.chainPem, cred.privateKeyPem, use)
    t.equal(problem === undefined, ok, `${name}: ${problem ?? 'accepted'}`)
    t.equal(opensslAccepts(cred.certificatePem, use === 'server' ? 'sslserver' : 'sslclient'), ok, `${name}: openssl agrees`)
  }
})

t.test('a key not its own, text that is no PEM, a certificate not valid now: refused', async (t) => {
  t.match(credentialProblem(server.chainPem, client.privateKeyPem, 'server'), /key does not match/)
  t.match(credentialProblem('not a certificate', server.privateKeyPem, 'server'), /not a certificate and key/)
  const year = 365 * 24 * 3600_000
  t.match(credentialProblem(server.chainPem, server.privateKeyPem, 'server', Date.now() + 3 * year), /not valid now/, 'expired by then')
  t.match(credentialProblem(server.chainPem, server.privateKeyPem, 'server', Date.now() - year), /not valid now/, 'not yet valid then')
})

t.test('a CA bundle holds CA certificates only', async (t) => {
  t.equal(caBundleProblem(pki.rootPem + pki.issuingPem), undefined)
  t.match(caBundleProblem(pki.rootPem + server.certificatePem), /not a CA certificate/)
  t.match(caBundleProblem(''), /no PEM certificate/)
  t.match(caBundleProblem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /does not parse/)
})
