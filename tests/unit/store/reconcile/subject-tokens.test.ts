// The bulk blind indexes of a reconciliation chunk are the store's own (keyring.ts subjectToken):
// otherwise no code a CS sends would meet its resident in the views.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { Keyring } from '../../../../server/src/store/keyring.ts'

t.test('subjectTokens equals subjectToken, code by code', async (t) => {
  const keyring = new Keyring(randomBytes(32))
  const other = new Keyring(randomBytes(32))
  const codes = Array.from({ length: 500 }, (_, i) => String(10_000_000_000 + i * 7_919_003).slice(-11))
  const bulk = keyring.subjectTokens(codes)
  t.same(bulk.map((b) => b.toString('hex')), codes.map((c) => keyring.subjectToken(c).toString('hex')))
  t.not(bulk[0]?.toString('hex'), other.subjectTokens(codes.slice(0, 1))[0]?.toString('hex'), 'another appliance key, another index')
  t.equal(new Set(bulk.map((b) => b.toString('hex'))).size, codes.length, 'each its own, also from reused scratch buffers')
})
