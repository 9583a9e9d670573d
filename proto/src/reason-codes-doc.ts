/**
 * Renders docs/reason-codes.md from the catalogue. Run as a script to rewrite the file; the test
 * tests/unit/proto/reason-codes.test.ts fails when the committed doc and the catalogue differ.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { REASONS } from './reason-codes.ts'

export function renderReasonCodesDoc (): string {
  const rows = Object.entries(REASONS).map(([code, r]) => `| \`${code}\` | ${r.stage} | ${r.message} | ${r.ja} | ${r.source} |`)
  return [
    '# Reason codes (拒否理由コード)',
    '',
    'Every update a CS sends gets a result; a REJECTED result carries one of these codes in',
    '`UpdateResult.reason_code` and, where one item is to blame, its wire name in `field`. The same codes',
    'are the `code` of the errors thrown by the decoder and the domain rules. Codes are stable: never',
    'renumbered, renamed or reused. Generated from `proto/src/reason-codes.ts`.',
    '',
    'Stages: `decode` — the payload itself (gateway); `field` — one update on its own (gateway);',
    '`logic` — the update against the prefectural file (store); `reconcile` — a reconciliation chunk',
    '(`ReconcileResult.reason_code`, docs/reconciliation.md), which also gets `decode` and `field` codes.',
    '',
    '| code | stage | meaning | 意味 | source |',
    '|---|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../../docs/reason-codes.md', import.meta.url), renderReasonCodesDoc())
}
