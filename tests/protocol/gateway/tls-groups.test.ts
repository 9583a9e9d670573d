// The key-exchange groups the gateway offers, judged by an independent TLS implementation (the
// openssl command line): X25519, P-256 and P-384 are accepted over TLS 1.3; the finite-field groups
// (ffdhe2048 …, the 112-bit group testssl reported, issue 16) and TLS 1.2 are refused.
import t from 'tap'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startTestGateway, FUKUOKA } from './helpers/gateway.ts'
import type { Credential } from './helpers/pki.ts'
import { tempDirUntilExit } from '../../helpers/temp-dir.ts'

const env = await startTestGateway([FUKUOKA])
t.teardown(env.close)
const dir = tempDirUntilExit('ken-groups-')
const cred = env.pki.cs.get(FUKUOKA) as Credential
writeFileSync(join(dir, 'cs.crt'), cred.cert)
writeFileSync(join(dir, 'cs.key'), cred.key)

/** What `openssl s_client` reports for one handshake offering only `group`. */
async function handshake (port: number, args: readonly string[]): Promise<{ ok: boolean, out: string }> {
  return await new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-brief', '-CAfile', env.pki.caFile, '-cert', join(dir, 'cs.crt'), '-key', join(dir, 'cs.key'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const out = `${stdout}\n${stderr}`
      resolve({ ok: err === null && /Protocol version: TLSv1\.3/.test(out), out })
    })
    child.stdin?.end()
  })
}

// How `openssl s_client -brief` names each group in its "Temp Key" line.
const SHOWN: Record<string, string> = { X25519: 'X25519', 'P-256': 'ECDH, prime256v1', 'P-384': 'ECDH, secp384r1' }

for (const group of ['X25519', 'P-256', 'P-384']) {
  t.test(`${group} is accepted over TLS 1.3`, async (t) => {
    const r = await handshake(env.port, ['-tls1_3', '-groups', group])
    t.ok(r.ok, r.out)
    t.match(r.out, new RegExp(`(Server|Peer) Temp Key: ${SHOWN[group] ?? ''}`), 'the key exchange used the group offered')
  })
}

for (const group of ['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'X448', 'P-521']) {
  t.test(`${group} is refused`, async (t) => {
    const r = await handshake(env.port, ['-tls1_3', '-groups', group])
    t.notOk(r.ok, 'no TLS 1.3 session with that group')
  })
}

t.test('TLS 1.2 is refused whatever the group', async (t) => {
  const r = await handshake(env.port, ['-tls1_2'])
  t.notOk(r.ok)
})
