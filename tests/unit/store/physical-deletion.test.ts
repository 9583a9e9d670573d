// 物理削除 (SPEC §2.5, requirements E5, H24) and the 附票 temporary area (SPEC §2.2, E6, H25), on the
// LevelDB store: after the act no trace of the person is recoverable — no name, number or code in any
// file, the destroyed wrapped keys gone from the files too, and no remaining key opens their records.
import t from 'tap'
import path from 'node:path'
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { ChangeReason, LogAdminKind } from '../../../proto/src/types.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Keyring } from '../../../server/src/store/keyring.ts'
import { open as openSeal, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import { Cs, FUKUOKA, fuhyo, item, juminhyoCode, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces } from './raw.ts'
import { takeBackup } from '../../../server/src/store/backup/take-backup.ts'
import { restoreBackup } from '../../../server/src/store/backup/restore-backup.ts'
import { MediaRegister } from '../../../server/src/store/backup/media-register.ts'
import { generateRecipientKey, readIdentityKey, readRecipientPublicKey } from '../../../server/src/store/backup/recipient-key.ts'

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

function found (dir: string, needles: readonly Buffer[]): number {
  const contents = files(dir).map((f) => readFileSync(f))
  return needles.filter((needle) => contents.some((c) => c.includes(needle))).length
}

/** Sealed records of the person in entries 1…to: what no remaining key may open. */
async function sealedOf (store: LevelStore, to: number): Promise<Array<{ position: number, purpose: SealPurpose, keyId: Uint8Array, bytes: Uint8Array }>> {
  const sealed = []
  for await (const e of store.entries(1, to)) {
    const u = e.entry.update
    if (u === undefined || u === null) continue
    if (u.effect?.sealedRecord !== undefined && u.effect.sealedRecord.length > 0) sealed.push({ position: e.position, purpose: u.kind === 2 ? SealPurpose.FUHYO : SealPurpose.RESIDENT, keyId: u.keyId, bytes: u.effect.sealedRecord })
    if (u.sealedUpdate.length > 0) sealed.push({ position: e.position, purpose: SealPurpose.UPDATE, keyId: u.keyId, bytes: u.sealedUpdate })
  }
  return sealed
}

/** How many sealed records of GONE any of the `keys` rows (hex `id=wrapped`) opens, and how many were tried. */
function opened (rows: readonly string[], sealed: Awaited<ReturnType<typeof sealedOf>>): { opened: number, tried: number } {
  const keyring = new Keyring(TEST_APPLIANCE_KEY)
  let n = 0
  let tried = 0
  for (const row of rows) {
    const [id = '', w = ''] = row.split('=')
    let dataKey: Buffer
    try { dataKey = keyring.dataKey(Buffer.from(id, 'hex'), Buffer.from(w, 'hex')) } catch { continue }
    for (const s of sealed) {
      tried++
      try {
        const plain = openSeal(dataKey, sealAad(s.purpose, s.keyId, s.position), s.bytes)
        if (plain.includes(Buffer.from(GONE.kojinBango)) || plain.includes(Buffer.from(GONE.nameKanji))) n++
      } catch { /* expected: authentication fails */ }
    }
  }
  return { opened: n, tried }
}

const GONE = person(7, { nameKanji: '削除対象花子', nameKana: 'サクジョタイショウハナコ', address: '福岡県福岡市東区消去町7番地' })
const STAYS = person(8)

t.test('a physical deletion needs a second approver who is not the requester; refusals are recorded', async (t) => {
  const store = new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => await store.close())
  await store.append([item(new Cs(FUKUOKA).identity(GONE))])
  await t.rejects(store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: '', note: 'REQ-401307-0001' }), { code: 'KEN_ERR_STORE_APPROVER' })
  await t.rejects(store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: 'admin01', note: 'REQ-401307-0001' }), { code: 'KEN_ERR_STORE_APPROVER' })
  await t.rejects(store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: 'secoff01' }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' }, 'the request reference is required')
  await t.rejects(store.eraseResident(juminhyoCode(99), { actor: 'admin01', approver: 'secoff01', note: 'REQ-1' }), { code: 'KEN_ERR_STORE_UNKNOWN_RESIDENT' })
  const refusals = []
  for await (const e of store.entries(2)) refusals.push(e.entry.act)
  t.equal(refusals.length, 2, 'each refused attempt is one entry')
  t.ok(refusals.every((a) => a?.kind === 'store.physical-deletion-refused' && a.refused && a.reasonCode === 'KEN_ERR_STORE_APPROVER'))
  t.equal((await store.getCurrent(GONE.juminhyoCode))?.nameKanji, GONE.nameKanji, 'nothing was erased')
})

t.test('after a physical deletion no trace of the person is recoverable', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(GONE)), item(cs.identity(STAYS))])
  await store.append([item(cs.identity({ ...GONE, changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: '福岡県福岡市東区消去町8番地' }))])
  await store.append([item(cs.fuhyo({ ...fuhyo(7, FUKUOKA), nameKanji: GONE.nameKanji, address: GONE.address, lastAddress: GONE.address }))])
  // A rejected update about the person is sealed under their key and dies with them.
  await store.append([item(cs.identity({ ...GONE, changeReason: ChangeReason.SHUSSEI }))])
  await store.close()
  const keysBefore = (await dumpSpaces(location, ['keys'])).keys ?? []
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const { head, keys } = await store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: 'secoff01', note: 'REQ-401307-0007' })
  t.equal(keys, 3, 'current, history and 附票 records: a key each')
  let act
  for await (const e of store.entries(head.position, head.position)) act = e.entry.admin
  t.equal(act?.kind, LogAdminKind.PHYSICAL_DELETION)
  t.equal(act?.actor, 'admin01')
  t.equal(act?.approver, 'secoff01')
  t.equal(act?.note, 'REQ-401307-0007', 'who, when and the reference — not the content')
  await t.rejects(store.getCurrent(GONE.juminhyoCode), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  t.same(await store.getHistory(GONE.juminhyoCode), [])
  await t.rejects(store.getFuhyo(GONE.juminhyoCode), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  t.equal((await store.getCurrent(STAYS.juminhyoCode))?.nameKanji, STAYS.nameKanji, 'others are untouched')
  t.equal((await store.verify()).ok, true)
  await t.rejects(store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: 'secoff01', note: 'REQ-401307-0007' }), { code: 'KEN_ERR_STORE_KEY_UNKNOWN' })
  const sealed = await sealedOf(store, head.position - 1)
  await store.close()

  const keysAfter = (await dumpSpaces(location, ['keys'])).keys ?? []
  const erased = keysBefore.filter((row) => !keysAfter.includes(row))
  t.equal(erased.length, 3)
  const wrapped = erased.map((row) => Buffer.from(row.split('=')[1] ?? '', 'hex'))
  t.equal(found(location, wrapped), 0, 'the destroyed wrapped keys are in no file (compacted away)')
  const needles = [GONE.nameKanji, GONE.nameKana, GONE.address, GONE.kojinBango, GONE.juminhyoCode].map((s) => Buffer.from(s, 'utf8'))
  t.equal(found(location, needles), 0, 'no name, number or code in clear')
  // Every remaining key, unwrapped with the appliance key, tried on every sealed record of the person.
  const r = opened(keysAfter, sealed)
  t.ok(r.tried > 0)
  t.equal(r.opened, 0, 'no remaining key opens any sealed record of the person')
})

t.test('the 附票 temporary area: a 個人番号 lives only there and is gone after confirmation or its limit', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let now = new Date('2026-11-29T03:00:00Z')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  const cs = new Cs(FUKUOKA)
  const abroad = person(9)
  await store.append([item(cs.identity(abroad)), item(cs.fuhyo(fuhyo(9, FUKUOKA)))])
  const fuhyoView = async (): Promise<string[]> => { const rows = []; for await (const [k, v] of store.scanView('fuhyo')) rows.push(`${k.toString('hex')}=${v.toString('hex')}`); return rows }
  const fuhyoBefore = await fuhyoView()
  const slot = await store.drawFuhyoKojin(abroad.juminhyoCode, { actor: 'op-0001', purpose: 'FUHYO-ABROAD' })
  t.equal(await store.readFuhyoKojin(slot), abroad.kojinBango)
  t.same(await fuhyoView(), fuhyoBefore, 'nothing reaches the 附票 keyspace')
  await store.close()
  const temp = (await dumpSpaces(location, ['temp'])).temp ?? []
  t.equal(temp.length, 1)
  const slotValue = Buffer.from(temp[0]?.split('=')[1] ?? '', 'hex')
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  for await (const e of store.entries()) t.notOk(Buffer.from(JSON.stringify(e.entry)).includes(Buffer.from(abroad.kojinBango)), 'not in the log')
  await store.confirmFuhyoKojinDelivery(slot, { actor: 'op-0001' })
  await t.rejects(store.readFuhyoKojin(slot), { code: 'KEN_ERR_STORE_TEMP_UNKNOWN' })
  await t.rejects(store.confirmFuhyoKojinDelivery(slot, { actor: 'op-0001' }), { code: 'KEN_ERR_STORE_TEMP_UNKNOWN' })
  // Unconfirmed slots expire with the retention job after the configured limit.
  const late = await store.drawFuhyoKojin(abroad.juminhyoCode, { actor: 'op-0001', purpose: 'FUHYO-ABROAD' })
  now = new Date(now.getTime() + 71 * 3600_000)
  t.equal((await store.runRetention({ actor: 'retention-job' })).tempExpired, 0)
  now = new Date(now.getTime() + 2 * 3600_000)
  t.equal((await store.runRetention({ actor: 'retention-job' })).tempExpired, 1)
  await t.rejects(store.readFuhyoKojin(late), { code: 'KEN_ERR_STORE_TEMP_UNKNOWN' })
  const kinds = []
  for await (const e of store.entries()) if (e.entry.act !== undefined && e.entry.act !== null) kinds.push(`${e.entry.act.kind}:${e.entry.act.note}`)
  t.same(kinds, ['store.fuhyo-kojin-drawn:', 'store.fuhyo-kojin-erased:delivered', 'store.fuhyo-kojin-drawn:', 'store.fuhyo-kojin-erased:expired'])
  await store.close()
  t.same((await dumpSpaces(location, ['temp'])).temp, [])
  t.equal(found(location, [slotValue, Buffer.from(abroad.kojinBango)]), 0, 'the slot is in no file')
})

t.test('a backup taken after a physical deletion holds no trace of the person once restored', async (t) => {
  const dir = tempDir(t, 'ken-erase-backup-')
  const store = new LevelStore({ location: path.join(dir, 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(GONE)), item(cs.identity(STAYS))])
  await store.append([item(cs.identity({ ...GONE, changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: '福岡県福岡市東区消去町8番地' }))])
  await store.append([item(cs.fuhyo({ ...fuhyo(7, FUKUOKA), nameKanji: GONE.nameKanji, address: GONE.address, lastAddress: GONE.address }))])
  const { head } = await store.eraseResident(GONE.juminhyoCode, { actor: 'admin01', approver: 'secoff01', note: 'REQ-401307-0008' })
  const sealed = await sealedOf(store, head.position - 1)
  const admin = generateRecipientKey()
  mkdirSync(path.join(dir, 'backups'), { recursive: true })
  const register = new MediaRegister(path.join(dir, 'backups'))
  const medium = await takeBackup(store, { register, recipient: readRecipientPublicKey(admin.publicPem), applianceKey: TEST_APPLIANCE_KEY, generations: 2, location: 'test' })
  await store.close()
  const target = path.join(dir, 'restored')
  await restoreBackup({ file: register.fileOf(medium.mediaId), identity: readIdentityKey(admin.privatePem), target, applianceKeyFile: path.join(dir, 'restored.key'), actor: 'AD001' })
  const needles = [GONE.nameKanji, GONE.nameKana, GONE.address, GONE.kojinBango, GONE.juminhyoCode].map((s) => Buffer.from(s, 'utf8'))
  t.equal(found(target, needles), 0, 'no name, number or code in clear in the restored files')
  const rows = (await dumpSpaces(target, ['keys'])).keys ?? []
  const r = opened(rows, sealed)
  t.ok(r.tried > 0)
  t.equal(r.opened, 0, 'no key of the backup opens a sealed record of the person')
  const restored = new LevelStore({ location: target, applianceKey: TEST_APPLIANCE_KEY })
  await restored.open()
  t.teardown(async () => await restored.close())
  await t.rejects(restored.getCurrent(GONE.juminhyoCode), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  t.equal((await restored.getCurrent(STAYS.juminhyoCode))?.nameKanji, STAYS.nameKanji, 'the others are in the backup')
})
