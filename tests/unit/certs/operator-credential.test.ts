// Opening an operator / technician credential: the PIN is the second factor.
import t from 'tap'
import { createPublicKey, sign, verify, X509Certificate } from 'node:crypto'
import { openOperatorCredential } from '../../../certs/src/operator-credential.ts'
import { decryptPkcs8, encryptPkcs8 } from '../../../certs/src/keys.ts'
import { makePki } from './fixture.ts'

const pki = await makePki(t)
const op = await pki.ca.issueOperator({ id: 'OP001', role: 'operator', pin: 'right-pin-42' })
const tech = await pki.ca.issueOperator({ id: 'TE001', role: 'technician', pin: 'other-pin-42' })

t.test('the right PIN opens the key, and it belongs to the certificate', async (t) => {
  const cred = openOperatorCredential(op.chainPem, op.privateKeyPem, 'right-pin-42')
  t.equal(cred.chainDer.length, 1, 'the issuing CA follows the certificate')
  const challenge = Buffer.from('terminal login challenge')
  const signature = sign('sha256', challenge, cred.privateKey)
  const cert = new X509Certificate(Buffer.from(cred.certificateDer))
  t.ok(verify('sha256', challenge, cert.publicKey, signature), 'a signature by the key verifies with the certificate')
})

t.test('a wrong PIN is KEN_ERR_PKI_BAD_PIN', async (t) => {
  t.throws(() => openOperatorCredential(op.chainPem, op.privateKeyPem, 'wrong-pin-42'), { code: 'KEN_ERR_PKI_BAD_PIN' })
  t.throws(() => openOperatorCredential(op.chainPem, op.privateKeyPem, ''), { code: 'KEN_ERR_PKI_BAD_PIN' })
})

t.test('somebody else\'s key is KEN_ERR_PKI_KEY_MISMATCH', async (t) => {
  t.throws(() => openOperatorCredential(op.chainPem, tech.privateKeyPem, 'other-pin-42'), { code: 'KEN_ERR_PKI_KEY_MISMATCH' })
})

t.test('an unencrypted key or no certificate is refused', async (t) => {
  const cs = await pki.ca.issueCs({ municipalityCode: '401307' })
  t.throws(() => openOperatorCredential(op.chainPem, cs.privateKeyPem, 'right-pin-42'), { code: 'KEN_ERR_PKI_BAD_KEY' }, 'operator keys must be PIN-encrypted')
  t.throws(() => openOperatorCredential('', op.privateKeyPem, 'right-pin-42'), { code: 'KEN_ERR_CERT_MALFORMED' })
})

t.test('PKCS#8 encryption round trip and PIN length', async (t) => {
  const key = decryptPkcs8(op.privateKeyPem, 'right-pin-42')
  const der = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))
  const again = encryptPkcs8(der, 'a-new-pin-7')
  t.not(again, op.privateKeyPem, 'fresh salt and IV')
  t.same(createPublicKey(decryptPkcs8(again, 'a-new-pin-7')).export({ type: 'spki', format: 'der' }), createPublicKey(key).export({ type: 'spki', format: 'der' }))
  t.throws(() => encryptPkcs8(der, '12345'), { code: 'KEN_ERR_PKI_WEAK_PIN' })
  t.throws(() => encryptPkcs8(der, 'x'.repeat(65)), { code: 'KEN_ERR_PKI_WEAK_PIN' })
})
