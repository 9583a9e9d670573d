// The certs/ error catalogue and docs/errors-certs.md stay in step (STYLE.md, fastify-style).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { CERT_ERRORS, errors } from '../../../certs/src/errors.ts'
import { renderCertErrorsDoc } from '../../../certs/src/errors-doc.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'

const doc = readFileSync(new URL('../../../docs/errors-certs.md', import.meta.url), 'utf8')

t.test('the committed doc is what the catalogue renders (run certs/src/errors-doc.ts to update)', async (t) => {
  t.equal(doc, renderCertErrorsDoc())
})

t.test('every code has exactly one row in the doc, and every row is a code', async (t) => {
  const rows = [...doc.matchAll(/^\| `(KEN_[A-Z_]+)` \|/gm)].map((m) => m[1])
  t.same(rows, Object.keys(CERT_ERRORS))
})

t.test('export name = code, codes are KEN_ERR_CERT/CRL/PKI_*, factories make coded KenErrors', async (t) => {
  for (const [name, factory] of Object.entries(errors)) {
    t.equal(factory.code, name)
    t.match(name, /^KEN_ERR_(CERT|CRL|PKI)_[A-Z_]+$/)
    const err = factory('detail', { field: 'f' })
    t.ok(isKenError(err, name))
    t.equal(err.field, 'f')
    t.equal(err.message, `${CERT_ERRORS[name as keyof typeof CERT_ERRORS].message}: detail`)
  }
})

t.test('the refusals the brief names are all in the catalogue', async (t) => {
  for (const code of ['KEN_ERR_CERT_UNKNOWN_CA', 'KEN_ERR_CERT_EXPIRED', 'KEN_ERR_CERT_NOT_YET_VALID', 'KEN_ERR_CERT_REVOKED', 'KEN_ERR_CRL_STALE',
    'KEN_ERR_CRL_BAD_SIGNATURE', 'KEN_ERR_CERT_WRONG_EKU', 'KEN_ERR_CERT_WRONG_KEY_USAGE', 'KEN_ERR_CERT_NO_MUNICIPALITY',
    'KEN_ERR_CERT_MUNICIPALITY_NOT_CONFIGURED', 'KEN_ERR_CERT_BAD_SIGNATURE', 'KEN_ERR_PKI_BAD_PIN']) {
    t.ok(Object.hasOwn(CERT_ERRORS, code), code)
  }
})
