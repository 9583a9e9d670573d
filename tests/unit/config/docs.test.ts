import t from 'tap'
import { readFileSync } from 'node:fs'
import { DEFAULTS, errors, HINTS, loadConfig } from '../../../firmware-config/src/index.ts'

const doc = readFileSync('docs/configuration.md', 'utf8')

/** Every leaf key path of an object: `gateway.keepalive.minSeconds`. */
function leaves (value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix]
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`))
}

const rows = new Map<string, string>()
for (const m of doc.matchAll(/^\| `([a-zA-Z.]+)` \| (.+?) \| .+ \|$/gm)) rows.set(m[1] ?? '', m[2] ?? '')

function valueAt (obj: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], obj)
}

function nest (key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>
}

t.test('every key of DEFAULTS has a hint and a documented default that loads to the same value', async (t) => {
  const keys = leaves(DEFAULTS)
  t.ok(keys.length >= 30, `${keys.length} keys`)
  for (const key of keys) {
    t.ok(HINTS[key], `hint for ${key}`)
    const cell = rows.get(key)
    if (cell === undefined) {
      t.fail(`docs/configuration.md documents ${key}`)
      continue
    }
    if (key === 'prefecture.municipalities') {
      t.match(cell, /fukuoka\.json/)
      continue
    }
    const literal = /^`(.*)`$/.exec(cell)?.[1]
    t.ok(literal, `${key}: default written as a literal`)
    const loaded = loadConfig(nest(key, JSON.parse(literal ?? 'null')), { env: {} })
    t.same(valueAt(loaded, key), valueAt(DEFAULTS, key), `${key}: documented default equals DEFAULTS`)
  }
  const documented = [...rows.keys()].filter((k) => k.includes('.'))
  t.same(documented.filter((k) => !keys.includes(k)), [], 'no documented key that does not exist')
})

t.test('the error table equals the catalogue', async (t) => {
  const table = [...doc.matchAll(/^\| `(KEN_ERR_[A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  const catalogue = Object.values(errors).map((e) => [e.code, e.message])
  t.same(table, catalogue)
  for (const [name, factory] of Object.entries(errors)) t.equal(factory().code, name, 'export name is the code')
})
