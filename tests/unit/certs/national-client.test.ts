// ken-national's client certificate (SPEC §5.1, profile national-client): clientAuth only, the
// 都道府県コード in the subject and the SAN URI; openssl — not our code — accepts it as an SSL client
// and refuses it as a server; a bad 都道府県コード is refused before anything is issued.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { writeCredential } from '../../../certs/src/credential-files.ts'
import { parseNationalClientUrn } from '../../../certs/src/identity-names.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { makePki } from './fixture.ts'

function openssl (...args: string[]): { status: number | null, out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

t.test('issued with the prefecture in subject and SAN; openssl: sslclient yes, sslserver no', async (t) => {
  const pki = await makePki(t)
  const cred = await pki.ca.issueNationalClient({ prefectureCode: '40' })
  t.equal(cred.kind, 'national-client')
  const paths = writeCredential(join(pki.dir, 'out'), 'ken-national', cred)
  const chain = ['-CAfile', join(pki.caDir, 'root.crt'), '-untrusted', join(pki.caDir, 'issuing.crt')]
  const ok = openssl('verify', ...chain, '-purpose', 'sslclient', paths.certPath)
  t.equal(ok.status, 0, ok.out)
  t.not(openssl('verify', ...chain, '-purpose', 'sslserver', paths.certPath).status, 0)
  const text = openssl('x509', '-in', paths.certPath, '-noout', '-subject', '-ext', 'subjectAltName,extendedKeyUsage').out
  t.match(text, /CN ?= ?ken-national-40/)
  t.match(text, /TLS Web Client Authentication/)
  t.notMatch(text, /TLS Web Server Authentication/)
  const uri = /URI:(\S+)/.exec(text)?.[1] ?? ''
  t.same(parseNationalClientUrn(uri), { prefectureCode: '40', serialHex: cred.serialHex })
})

t.test('a 都道府県コード outside 01–47 is refused', async (t) => {
  const pki = await makePki(t)
  for (const code of ['00', '48', '4', 'ab']) {
    const err = await pki.ca.issueNationalClient({ prefectureCode: code }).then(() => undefined, (e: unknown) => e)
    t.ok(isKenError(err, 'KEN_ERR_PKI_BAD_NAME'), code)
  }
})
