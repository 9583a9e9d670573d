// The small encoders the CA and the verifier share: key usage bits, serials, IP addresses, times, PEM.
import t from 'tap'
import * as asn1js from 'asn1js'
import { decodeKeyUsage, encodeKeyUsage } from '../../../certs/src/key-usage.ts'
import { parseSerialHex, serialHexOf, serialInteger } from '../../../certs/src/serial.ts'
import { formatIp, ipBytes } from '../../../certs/src/extensions.ts'
import { certTime, operatorRegistrationEnd } from '../../../certs/src/time.ts'
import { fromPemAll, toPem } from '../../../certs/src/der.ts'
import { csUrn, isOperatorId, parseCsUrn, parseOperatorUrn } from '../../../certs/src/identity-names.ts'
import { isRevocationReason, reasonName } from '../../../certs/src/revocation-reasons.ts'

t.test('keyUsage is DER: trailing zero bits dropped (X.690 §11.2.2)', async (t) => {
  t.equal(Buffer.from(encodeKeyUsage(['digitalSignature']).toBER()).toString('hex'), '03020780')
  t.equal(Buffer.from(encodeKeyUsage(['keyCertSign', 'cRLSign']).toBER()).toString('hex'), '03020106')
  t.equal(Buffer.from(encodeKeyUsage(['digitalSignature', 'decipherOnly']).toBER()).toString('hex'), '0303078080')
  t.same([...decodeKeyUsage(encodeKeyUsage(['keyCertSign', 'cRLSign']))].sort(), ['cRLSign', 'keyCertSign'])
  t.throws(() => encodeKeyUsage([]))
})

t.test('serial numbers stay positive and canonical', async (t) => {
  t.equal(Buffer.from(serialInteger(0x80n).toBER()).toString('hex'), '02020080', 'sign octet added')
  t.equal(serialHexOf(serialInteger(0x80n)), '80')
  t.equal(serialHexOf(serialInteger(3n)), '03')
  t.equal(parseSerialHex('0x1A4'), '01a4')
  t.equal(parseSerialHex('01:A4'), '01a4')
  t.equal(parseSerialHex('0003'), '03')
  for (const bad of ['', '0', '00', 'xyz', '-1', '1'.repeat(41)]) t.throws(() => parseSerialHex(bad), { code: 'KEN_ERR_PKI_BAD_SERIAL' }, bad)
  t.throws(() => serialInteger(0n))
})

t.test('IP addresses for iPAddress SAN entries', async (t) => {
  t.equal(Buffer.from(ipBytes('192.0.2.1')).toString('hex'), 'c0000201')
  t.equal(Buffer.from(ipBytes('2001:db8::1')).toString('hex'), '20010db8000000000000000000000001')
  t.equal(Buffer.from(ipBytes('::ffff:192.0.2.1')).toString('hex'), '00000000000000000000ffffc0000201')
  t.equal(formatIp(ipBytes('127.0.0.1')), '127.0.0.1')
  t.equal(formatIp(ipBytes('::1')), '0:0:0:0:0:0:0:1')
  t.throws(() => ipBytes('localhost'))
})

t.test('certificate times: UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', async (t) => {
  t.ok(certTime(new Date('2049-12-31T23:59:59Z')).toSchema() instanceof asn1js.UTCTime)
  t.ok(certTime(new Date('2050-01-01T00:00:00Z')).toSchema() instanceof asn1js.GeneralizedTime)
  t.equal(certTime(new Date('2030-01-01T00:00:00.789Z')).value.getUTCMilliseconds(), 0)
})

t.test('registrations end 30 April of the next fiscal year, JST (SPEC §6)', async (t) => {
  const end = (iso: string): string => operatorRegistrationEnd(new Date(iso)).toISOString()
  t.equal(end('2026-03-31T23:59:00+09:00'), '2026-04-30T14:59:59.000Z', 'last minute of FY2025')
  t.equal(end('2026-04-01T00:00:00+09:00'), '2027-04-30T14:59:59.000Z', 'first minute of FY2026')
  t.equal(end('2026-03-31T15:30:00Z'), '2027-04-30T14:59:59.000Z', 'already 1 April in Japan')
  t.equal(end('2027-01-10T12:00:00+09:00'), '2027-04-30T14:59:59.000Z')
})

t.test('PEM armour round trip; other labels ignored', async (t) => {
  const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i))
  const text = `junk\n${toPem('CERTIFICATE', der)}${toPem('X509 CRL', der.subarray(0, 3))}${toPem('CERTIFICATE', der.subarray(1))}`
  const certs = fromPemAll(text, 'CERTIFICATE')
  t.equal(certs.length, 2)
  t.same([...(certs[0] ?? [])], [...der])
  t.equal(toPem('CERTIFICATE', der).split('\n')[1]?.length, 64)
})

t.test('identity URNs and ids', async (t) => {
  t.same(parseCsUrn(csUrn('401307', '0a')), { code: '401307', serialHex: '0a' })
  t.equal(parseCsUrn('urn:ken:cs:40130:0a'), undefined)
  t.same(parseOperatorUrn('urn:ken:operator:OP001:admin'), { id: 'OP001', role: 'admin' })
  t.equal(parseOperatorUrn('urn:ken:operator:OP001'), undefined)
  t.ok(isOperatorId('OP001'))
  t.notOk(isOperatorId('op001'))
  t.notOk(isOperatorId('O'))
  t.notOk(isOperatorId('OP001:admin'))
})

t.test('revocation reasons (RFC 5280 §5.3.1)', async (t) => {
  t.ok(isRevocationReason('keyCompromise'))
  t.notOk(isRevocationReason('removeFromCRL'), 'delta-CRL only')
  t.notOk(isRevocationReason('toString'))
  t.equal(reasonName(6), 'certificateHold')
  t.equal(reasonName(8), 'unspecified')
})
