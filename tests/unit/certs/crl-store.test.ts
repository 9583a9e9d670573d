// The CRL store: load, verify, reload on change and on request, refuse bad CRLs keeping the old one.
import t from 'tap'
import { once } from 'node:events'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as asn1js from 'asn1js'
import { CertificateRevocationList, Extension, Extensions } from 'pkijs'
import { CrlStore, type CrlLoadedEvent } from '../../../certs/src/crl-store.ts'
import { createVerifier } from '../../../certs/src/verifier.ts'
import { importSigningKey } from '../../../certs/src/keys.ts'
import { readCertificate } from '../../../certs/src/certificate-facts.ts'
import { authorityKeyIdentifier } from '../../../certs/src/extensions.ts'
import { certTime, addDays } from '../../../certs/src/time.ts'
import { engine } from '../../../certs/src/engine.ts'
import { toPem } from '../../../certs/src/der.ts'
import type { KenError } from '../../../proto/src/ken-error.ts'
import { certDer, leafOf, makePki } from './fixture.ts'

const pki = await makePki(t)
const other = await makePki(t)
const crlPath = join(pki.dir, 'crl.pem')

/** Publish a CRL the way an operator does: write elsewhere, rename into place (atomic). */
function publish (pem: string): void {
  const tmp = `${crlPath}.new`
  writeFileSync(tmp, pem)
  renameSync(tmp, crlPath)
}

publish((await pki.ca.generateCrl()).pem)

async function openStore (watch = false): Promise<CrlStore> {
  const store = await CrlStore.open({ path: crlPath, issuers: pki.issuingPem + pki.rootPem, watch, debounceMs: 20 })
  t.teardown(() => store.close())
  return store
}

t.test('open: loads and verifies the CRL; pem is the verified CRL', async (t) => {
  const store = await openStore()
  t.same(store.current().map((c) => c.revoked.size), [0, 0], 'the issuing CA\'s CRL and the root\'s')
  t.same(store.pems.join(''), readFileSync(crlPath, 'utf8'))
})

t.test('open fails closed on a missing or bad CRL', async (t) => {
  await t.rejects(CrlStore.open({ path: join(pki.dir, 'nope.pem'), issuers: pki.issuingPem, watch: false }), { code: 'KEN_ERR_CRL_UNAVAILABLE' })
  await t.rejects(CrlStore.open({ path: crlPath, issuers: other.issuingPem, watch: false }), { code: 'KEN_ERR_CRL_UNKNOWN_ISSUER' }, 'signed by a CA we were not given')
  await t.rejects(CrlStore.open({ path: crlPath, issuers: pki.rootPem, watch: false }), { code: 'KEN_ERR_CRL_UNKNOWN_ISSUER' }, 'the root did not sign the first')
})

t.test('revoked after an explicit reload, without restarting the verifier', async (t) => {
  const store = await openStore()
  const verifier = createVerifier({ trustAnchors: pki.rootPem, intermediates: pki.issuingPem, crl: store, expect: 'cs' })
  const victim = await pki.ca.issueCs({ municipalityCode: '401307' })
  t.equal((await verifier.verify(leafOf(victim))).municipalityCode, '401307')
  await pki.ca.revoke(victim.serialHex, 'keyCompromise')
  const gen = await pki.ca.generateCrl()
  publish(gen.pem)
  const loaded = once(store, 'loaded')
  const result = await store.reload()
  t.equal(result.status, 'loaded')
  const [event] = await loaded as [CrlLoadedEvent]
  t.same(event.crls.map((c) => [c.crlNumber, c.entries]), [[BigInt(gen.crlNumber), 1], [BigInt(gen.crlNumber), 0]])
  await t.rejects(verifier.verify(leafOf(victim)), { code: 'KEN_ERR_CERT_REVOKED' })
  t.same(await store.reload(), { status: 'unchanged' }, 'same file again: nothing to do')
})

t.test('reloads by itself when the file changes (fs.watch)', async (t) => {
  const store = await openStore(true)
  const verifier = createVerifier({ trustAnchors: pki.rootPem, intermediates: pki.issuingPem, crl: store, expect: 'cs' })
  const victim = await pki.ca.issueCs({ municipalityCode: '402036' })
  t.equal((await verifier.verify(leafOf(victim))).municipalityCode, '402036')
  await pki.ca.revoke(victim.serialHex, 'cessationOfOperation')
  const loaded = once(store, 'loaded')
  publish((await pki.ca.generateCrl()).pem)
  await loaded
  const err = await verifier.verify(leafOf(victim)).then(() => undefined, (e: KenError) => e)
  t.equal(err?.code, 'KEN_ERR_CERT_REVOKED')
  t.match(err?.message, /cessationOfOperation/)
})

t.test('a bad new CRL is refused with a coded event and the old one stays in force', async (t) => {
  const store = await openStore()
  const before = store.current()
  const refusals: string[] = []
  store.on('refused', (e) => refusals.push(e.code))

  publish('garbage')
  t.equal((await store.reload()).status, 'refused')
  publish((await other.ca.generateCrl()).pem)
  await store.reload()
  const good = await pki.ca.generateCrl()
  const der = Buffer.from(good.pems[0].replace(/-----[^-]+-----|\s/g, ''), 'base64')
  der[der.length - 3] = (der[der.length - 3] ?? 0) ^ 0xff
  publish(toPem('X509 CRL', der) + good.pems[1])
  await store.reload()
  publish(good.pems[0] + good.pems[0])
  await store.reload()
  publish(good.pems[0])
  await store.reload()
  t.same(refusals, ['KEN_ERR_CRL_MALFORMED', 'KEN_ERR_CRL_UNKNOWN_ISSUER', 'KEN_ERR_CRL_BAD_SIGNATURE', 'KEN_ERR_CRL_MALFORMED', 'KEN_ERR_CRL_MALFORMED'],
    'garbage; foreign CA; tampered signature; the same issuer twice; the root\'s CRL left out')
  t.equal(store.current(), before, 'the CRLs in force did not change')
  t.same(store.pems, before.map((c) => c.pem))
})

t.test('an older CRL replayed is refused (cRLNumber must increase)', async (t) => {
  const old = (await pki.ca.generateCrl()).pem
  publish((await pki.ca.generateCrl()).pem)
  const store = await openStore()
  publish(old)
  const r = await store.reload()
  t.equal(r.status === 'refused' ? r.error.code : r.status, 'KEN_ERR_CRL_ROLLBACK')
})

t.test('a CRL this PKI cannot fully process is malformed', async (t) => {
  const issuing = readCertificate(certDer(pki.issuingPem))
  const key = await importSigningKey(readFileSync(join(pki.caDir, 'issuing.key'), 'utf8'), 'issuing.key')
  async function signed (exts: Extension[], next = true): Promise<string> {
    const crl = new CertificateRevocationList({
      version: 1,
      issuer: issuing.cert.subject,
      thisUpdate: certTime(new Date()),
      ...(next ? { nextUpdate: certTime(addDays(new Date(), 7)) } : {}),
      crlExtensions: new Extensions({ extensions: exts })
    })
    delete crl.revokedCertificates
    await crl.sign(key, 'SHA-256', engine)
    return toPem('X509 CRL', new Uint8Array(crl.toSchema(true).toBER()))
  }
  const aki = authorityKeyIdentifier(Buffer.from(issuing.subjectKeyId ?? '', 'hex'))
  const number = new Extension({ extnID: '2.5.29.20', critical: false, extnValue: new asn1js.Integer({ value: 999 }).toBER() })
  const store = await openStore()
  const rootCrl = store.pems[1] ?? ''
  const codes: string[] = []
  for (const pem of [await signed([aki]), await signed([number]), await signed([aki, number], false),
    await signed([aki, number, new Extension({ extnID: '1.3.6.1.4.1.99999.2', critical: true, extnValue: new asn1js.Null().toBER() })])]) {
    publish(pem + rootCrl)
    const r = await store.reload()
    codes.push(r.status === 'refused' ? r.error.code : r.status)
  }
  t.same(codes, ['KEN_ERR_CRL_MALFORMED', 'KEN_ERR_CRL_MALFORMED', 'KEN_ERR_CRL_MALFORMED', 'KEN_ERR_CRL_MALFORMED'], 'no cRLNumber; no AKI; no nextUpdate; unknown critical extension')
  publish(await signed([aki, number]) + rootCrl)
  t.equal((await store.reload()).status, 'loaded', 'the same CRL with everything required is accepted')
})
