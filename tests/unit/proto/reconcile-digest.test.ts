// The reconciliation digest a CS vendor computes from docs/reconciliation.md: the known answer printed
// there, and openssl (an independent SHA-256) over bytes built here from the page's description.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { contentDigest, differingItems, DIGEST_ITEMS, itemDigests } from '../../../proto/src/reconcile-digest.ts'

const sample = { juminhyoCode: '12345678901', nameKanji: '試験太郎', nameKana: 'シケン　タロウ', birthDate: '1980-02-29', sex: 1, address: '福岡県福岡市中央区天神一丁目１番１号', kojinBango: '123456789018', changeReason: 1, changeDate: '2024-04-01' }

/** The page's `item(name, value)`, written out again here. */
function item (name: string, value: string): Buffer {
  const v = Buffer.from(value, 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(v.length)
  return Buffer.concat([Buffer.from(name, 'ascii'), Buffer.from([0x1f]), len, v])
}

function openssl (bytes: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ken-digest-'))
  try {
    const file = path.join(dir, 'in.bin')
    writeFileSync(file, bytes)
    return execFileSync('openssl', ['dgst', '-sha256', '-binary', file]).toString('hex')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const values = ['12345678901', '試験太郎', 'シケン　タロウ', '1980-02-29', '1', '福岡県福岡市中央区天神一丁目１番１号', '123456789018', '1', '2024-04-01']

t.test('the known answer of docs/reconciliation.md', async (t) => {
  const doc = readFileSync(new URL('../../../docs/reconciliation.md', import.meta.url), 'utf8')
  const content = contentDigest(sample).toString('hex')
  const items = itemDigests(sample).toString('hex')
  t.match(doc, `content_digest = ${content}`)
  t.match(doc.replace(/\s+/g, ''), items, 'the item digests printed on the page')
})

t.test('openssl over the encoding the page describes gives the same digests', async (t) => {
  const encoded = Buffer.concat([Buffer.from('ken/v1 reconcile-digest\n', 'ascii'), ...DIGEST_ITEMS.map((name, i) => item(name, values[i] ?? ''))])
  t.equal(openssl(encoded), contentDigest(sample).toString('hex'))
  const address = DIGEST_ITEMS.indexOf('address')
  const one = Buffer.concat([Buffer.from('ken/v1 reconcile-item\n', 'ascii'), Buffer.from(sample.juminhyoCode, 'ascii'), item('address', sample.address)])
  t.equal(openssl(one).slice(0, 16), itemDigests(sample).subarray(address * 8, address * 8 + 8).toString('hex'))
})

t.test('differing items name exactly the items changed', async (t) => {
  const ours = itemDigests(sample)
  t.same(differingItems(ours, itemDigests({ ...sample, address: sample.address + '２', sex: 2 })), ['sex', 'address'])
  t.same(differingItems(ours, ours), [])
  t.same(differingItems(ours, new Uint8Array(0)), [], 'no item digests: no names')
  // The same values under another 住民票コード give other item digests (the code salts them).
  t.not(itemDigests({ ...sample, juminhyoCode: '12345678902' }).subarray(8, 16).toString('hex'), ours.subarray(8, 16).toString('hex'))
})
