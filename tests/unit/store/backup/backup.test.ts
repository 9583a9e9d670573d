// Backups (SPEC §7, sources D4–D6, D13, H22): a backup taken while appends go on restores into a
// fresh directory whose log verifies and ends at the recorded head; a backup altered by one byte,
// truncated or opened with anyone's key but the administrator's (the technician's included) is
// refused with nothing restored; two generations are kept and the older ones disposed in the
// register; the weekly check finds missing and unknown media.
import t from 'tap'
import { readFileSync, writeFileSync, existsSync, copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { LevelStore } from '../../../../server/src/store/level-store.ts'
import { takeBackup } from '../../../../server/src/store/backup/take-backup.ts'
import { restoreBackup } from '../../../../server/src/store/backup/restore-backup.ts'
import { MediaRegister } from '../../../../server/src/store/backup/media-register.ts'
import { generateRecipientKey, readIdentityKey, readRecipientPublicKey } from '../../../../server/src/store/backup/recipient-key.ts'
import { devPki, DEV_PIN } from '../../../../certs/src/dev-pki.ts'
import { Cs, FUKUOKA, item, person, tempDir, TEST_APPLIANCE_KEY } from '../helpers.ts'

const dir = tempDir(t, 'ken-backup-')
const admin = generateRecipientKey('admin-passphrase')
const recipient = readRecipientPublicKey(admin.publicPem)
const identity = readIdentityKey(admin.privatePem, 'admin-passphrase')
const store = new LevelStore({ location: path.join(dir, 'db'), applianceKey: TEST_APPLIANCE_KEY })
await store.open()
t.teardown(async () => { await store.close() })
const cs = new Cs(FUKUOKA)
for (let i = 0; i < 20; i++) await store.append(Array.from({ length: 50 }, (_, j) => item(cs.identity(person(i * 50 + j)))))
const backups = path.join(dir, 'backups')
mkdirSync(backups)
const register = new MediaRegister(backups)
const options = { register, recipient, applianceKey: TEST_APPLIANCE_KEY, generations: 2, location: 'backup directory (test)' }

let first: Awaited<ReturnType<typeof takeBackup>>
t.test('a backup taken while appends go on holds exactly the head of its snapshot', async (t) => {
  const progress: number[] = []
  let writing = true
  const load = (async () => {
    let i = 1000
    while (writing) await store.append([item(cs.identity(person(i++)))])
  })()
  first = await takeBackup(store, { ...options, onProgress: (p) => progress.push(p.position) })
  writing = false
  await load
  t.ok(first.logPosition >= 1000, `the backup holds ${first.logPosition} entries`)
  t.ok(store.head().position > first.logPosition || store.head().position === first.logPosition, 'appends went on')
  t.equal(first.generation, 1)
  t.ok(progress.length >= 1 && progress.at(-1) === first.logPosition, 'progress was reported up to the head')
  t.notOk(readFileSync(register.fileOf(first.mediaId)).includes(Buffer.from('山田')), 'no name in clear in the file')
})

t.test('restore into a fresh directory: the chain verifies to the recorded head, the data reads back', async (t) => {
  const target = path.join(dir, 'restored')
  const keyFile = path.join(dir, 'restored.key')
  const phases = new Set<string>()
  let checkpointAsked = 0
  const r = await restoreBackup({
    file: register.fileOf(first.mediaId), identity, target, applianceKeyFile: keyFile, actor: 'AD001',
    verifyCheckpoint: async (_store, head) => { checkpointAsked = head.position },
    onProgress: (p) => phases.add(p.phase)
  })
  t.equal(r.head.position, first.logPosition)
  t.equal(r.head.hash, first.logHeadHash)
  t.equal(checkpointAsked, first.logPosition, 'the injected checkpoint verifier was asked at the head')
  t.same([...phases].sort(), ['decrypt', 'rebuild', 'verify'])
  const restored = new LevelStore({ location: target, applianceKey: readFileSync(keyFile) })
  await restored.open()
  t.teardown(async () => { await restored.close() })
  t.ok((await restored.verify()).ok, 'ken-store verify passes on the restored store')
  t.equal(restored.head().position, first.logPosition + 1, 'the restore act follows the restored head')
  const original = await store.getCurrent(person(7).juminhyoCode)
  t.same(await restored.getCurrent(person(7).juminhyoCode), original, 'a resident reads back the same')
  const last = await restored.entries(restored.head().position).next()
  t.equal(last.done, false)
  if (last.done !== true) t.equal(last.value.entry.act?.kind, 'maint.restore')
})

t.test('a refused restore leaves nothing behind', async (t) => {
  const file = register.fileOf(first.mediaId)
  const bytes = readFileSync(file)
  const attempt = async (name: string, content: Buffer, key = identity): Promise<string | undefined> => {
    const altered = path.join(dir, `${name}.kbk`)
    writeFileSync(altered, content)
    const target = path.join(dir, `t-${name}`)
    try {
      await restoreBackup({ file: altered, identity: key, target, applianceKeyFile: path.join(dir, `${name}.key`), actor: 'AD001' })
      return undefined
    } catch (err) {
      t.notOk(existsSync(target) || existsSync(`${target}.restoring`) || existsSync(path.join(dir, `${name}.key`)), `${name}: nothing restored`)
      return (err as { code?: string }).code
    }
  }
  for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 1]) {
    const b = Buffer.from(bytes)
    b[at] = (b[at] as number) ^ 0x01
    t.match(await attempt(`flip-${at}`, b), /^KEN_ERR_STORE_BACKUP_(TAMPERED|FORMAT|KEY_MISMATCH)$/, `one byte altered at ${at} is refused`)
  }
  t.match(await attempt('truncated', bytes.subarray(0, bytes.length - 100)), /^KEN_ERR_STORE_BACKUP_(TAMPERED|FORMAT)$/)
  t.equal(await attempt('extended', Buffer.concat([bytes, Buffer.alloc(40, 1)])), 'KEN_ERR_STORE_BACKUP_TAMPERED')
  const other = generateRecipientKey()
  t.equal(await attempt('other-admin', bytes, readIdentityKey(other.privatePem)), 'KEN_ERR_STORE_BACKUP_KEY_MISMATCH')
})

t.test('the technician\'s credential cannot open a backup', async (t) => {
  const pki = path.join(dir, 'pki')
  await devPki(pki, [FUKUOKA])
  const technicianKey = readFileSync(path.join(pki, 'operators', 'TE001.key'))
  t.throws(() => readIdentityKey(technicianKey, DEV_PIN), { code: 'KEN_ERR_STORE_BACKUP_KEY_MISMATCH' })
  t.throws(() => readRecipientPublicKey(readFileSync(path.join(pki, 'operators', 'TE001.crt'))), { code: 'KEN_ERR_STORE_BACKUP_RECIPIENT' })
})

t.test('two generations are kept; older media are disposed and entered with the reason', async (t) => {
  const second = await takeBackup(store, options)
  const third = await takeBackup(store, options)
  const list = await register.list()
  t.same(list.filter((m) => m.disposedAt === '').map((m) => [m.mediaId, m.generation]), [[third.mediaId, 1], [second.mediaId, 2]])
  const old = list.find((m) => m.mediaId === first.mediaId)
  t.match(old?.disposalReason, /superseded/)
  t.notOk(existsSync(register.fileOf(first.mediaId)), 'the disposed medium is gone')
})

t.test('the weekly check lists media missing from the store room and files the register does not know', async (t) => {
  const kept = (await register.list()).filter((m) => m.disposedAt === '')
  const gone = kept[1]?.mediaId as string
  copyFileSync(register.fileOf(gone), path.join(backups, 'stray.kbk'))
  writeFileSync(register.fileOf(gone), 'overwritten')
  const check = await register.check(new Date())
  t.same(check.missing, [gone], 'the altered medium counts as missing')
  t.same(check.unknown, ['stray.kbk'])
})
