import t from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { isValidMunicipalityCode } from '../../../server/src/domain/identifiers.ts'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities, type Municipality } from '../../../firmware-config/src/index.ts'
import { tempDirUntilExit } from '../../helpers/temp-dir.ts'

const file = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE, { prefectureCode: '40' })
const list = file.municipalities

t.test('福岡県 has 60 municipalities: 29 市, 29 町, 2 村', async (t) => {
  t.equal(list.length, 60)
  const count = (f: (m: Municipality) => boolean): number => list.filter(f).length
  t.equal(count((m) => m.kind === 'city' || m.kind === 'designated-city'), 29)
  t.equal(count((m) => m.kind === 'town'), 29)
  t.equal(count((m) => m.kind === 'village'), 2)
  t.same(list.filter((m) => m.kind === 'designated-city').map((m) => m.name), ['北九州市', '福岡市'])
})

t.test('every code is unique, starts with 40 and has a valid check digit', async (t) => {
  const codes = list.map((m) => m.code)
  t.equal(new Set(codes).size, 60)
  t.equal(new Set(list.map((m) => m.name)).size, 60)
  for (const m of list) {
    t.ok(isValidMunicipalityCode(m.code), `${m.name} ${m.code}`)
    t.ok(m.code.startsWith('40'), `${m.name} in 40`)
    t.match(m.kana, /^[ァ-ヶー]+$/u)
  }
})

t.test('known codes', async (t) => {
  const byName = new Map(list.map((m) => [m.name, m.code]))
  t.equal(byName.get('北九州市'), '401005')
  t.equal(byName.get('福岡市'), '401307')
  t.equal(byName.get('大牟田市'), '402028')
  t.equal(byName.get('久留米市'), '402036')
  t.equal(byName.get('那珂川市'), '402311')
  t.equal(byName.get('東峰村'), '404489')
  t.equal(byName.get('築上町'), '406473')
})

t.test('wards of the designated cities are listed under them, not as CS', async (t) => {
  for (const city of list.filter((m) => m.kind === 'designated-city')) {
    t.equal(city.wards?.length, 7, `${city.name} has 7 wards`)
    for (const w of city.wards ?? []) {
      t.ok(isValidMunicipalityCode(w.code), `${w.name} ${w.code}`)
      t.equal(w.code.slice(0, 4), city.code.slice(0, 4))
      t.notOk(list.some((m) => m.code === w.code), `${w.name} is not a municipality entry`)
    }
  }
  t.ok(Object.isFrozen(file) && Object.isFrozen(list) && Object.isFrozen(list[0]), 'frozen')
})

function writeList (municipalities: unknown[], extra: Record<string, unknown> = {}): string {
  const dir = tempDirUntilExit('ken-muni-')
  const p = path.join(dir, 'list.json')
  writeFileSync(p, JSON.stringify({ prefectureCode: '40', prefectureName: '福岡県', asOf: '2018-10-01', source: 'test', municipalities, ...extra }))
  return p
}

const kurume = { code: '402036', name: '久留米市', kana: 'クルメシ', kind: 'city' }
const refusals: Array<[string, string, string]> = [
  ['a wrong check digit', writeList([{ ...kurume, code: '402037' }]), 'municipalities[0].code'],
  ['a code of another prefecture', writeList([{ ...kurume, code: '131016' }]), 'municipalities[0].code'],
  ['a duplicate code', writeList([kurume, { ...kurume, name: '新久留米市' }]), 'municipalities[1].code'],
  ['a duplicate name', writeList([kurume, { code: '402044', name: '久留米市', kana: 'ノオガタシ', kind: 'city' }]), 'municipalities[1].name'],
  ['an unknown key', writeList([{ ...kurume, population: 303316 }]), 'municipalities[0].population'],
  ['a kind that does not match the name', writeList([{ ...kurume, kind: 'town' }]), 'municipalities[0].kind'],
  ['wards under a plain city', writeList([{ ...kurume, wards: [{ code: '401315', name: '東区', kana: 'ヒガシク' }] }]), 'municipalities[0].wards'],
  ['a ward code of another city', writeList([{ code: '401307', name: '福岡市', kana: 'フクオカシ', kind: 'designated-city', wards: [{ code: '401013', name: '門司区', kana: 'モジク' }] }]), 'municipalities[0].wards[0].code'],
  ['a reading in hiragana', writeList([{ ...kurume, kana: 'くるめし' }]), 'municipalities[0].kana'],
  ['an empty list', writeList([]), 'municipalities'],
  ['another prefecture than configured', writeList([kurume], { prefectureCode: '13' }), 'prefectureCode']
]

for (const [what, p, field] of refusals) {
  t.test(`refused: ${what}`, async (t) => {
    t.throws(() => loadMunicipalities(p, { prefectureCode: '40' }), { code: 'KEN_ERR_MUNICIPALITIES_INVALID', field })
  })
}

t.test('a missing file', async (t) => {
  t.throws(() => loadMunicipalities('/nonexistent/list.json'), { code: 'KEN_ERR_CONFIG_UNREADABLE' })
})
