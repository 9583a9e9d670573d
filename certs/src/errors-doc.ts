/**
 * Renders docs/errors-certs.md from the catalogue. Run as a script to rewrite the file; the test
 * tests/unit/certs/errors-doc.test.ts fails when the committed doc and the catalogue differ.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CERT_ERRORS } from './errors.ts'

/** The markdown of docs/errors-certs.md. */
export function renderCertErrorsDoc (): string {
  const rows = Object.entries(CERT_ERRORS).map(([code, e]) => `| \`${code}\` | ${e.area} | ${e.message} | ${e.source} |`)
  return [
    '# certs/ error codes',
    '',
    'Every error certs/ throws is a `KenError` with one of these codes (`err.code`); a refused',
    'certificate or CRL names its reason here, and `ken-pki` prints the code first. Codes are stable:',
    'never renamed or reused. Generated from `certs/src/errors.ts`',
    '(`node --import tsx certs/src/errors-doc.ts`).',
    '',
    'Areas: `certificate` — why a presented certificate is refused (verifier); `crl` — why a CRL is',
    'refused or no usable CRL is in force; `tooling` — the CA, credential files and the `ken-pki` CLI.',
    '',
    '| code | area | meaning | source |',
    '|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../../docs/errors-certs.md', import.meta.url), renderCertErrorsDoc())
}
