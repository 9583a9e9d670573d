// `ken-store serve --config FILE` (the systemd unit's command): the appliance configuration maps onto
// the daemon's options, backups only once the administrator's recipient key is in place.
import t from 'tap'
import path from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadConfig } from '../../../firmware-config/src/load.ts'
import { storeOptionsFrom } from '../../../server/src/store/from-config.ts'
import { parseDaemonOptions } from '../../../server/src/store/options.ts'
import { generateRecipientKey } from '../../../server/src/store/backup/recipient-key.ts'
import { tempDir } from './helpers.ts'

t.test('paths, group commit, maintenance socket; backups when the recipient key exists', async (t) => {
  const dir = tempDir(t)
  const config = loadConfig({ paths: { stateDir: dir }, backup: { dailyAt: '01:30' } }, { env: {} })
  const without = parseDaemonOptions(storeOptionsFrom(config))
  t.equal(without.dbPath, path.join(dir, 'db'))
  t.equal(without.maintSocketPath, path.join(dir, 'run', 'store-maint.sock'))
  t.equal(without.backup, undefined, 'no recipient key: no backups')
  mkdirSync(path.join(dir, 'keys'))
  writeFileSync(path.join(dir, 'keys', 'backup-recipient.pub'), generateRecipientKey().publicPem)
  const withKey = parseDaemonOptions(storeOptionsFrom(config))
  t.same(withKey.backup, { dir: path.join(dir, 'backups'), recipientFile: path.join(dir, 'keys', 'backup-recipient.pub'), dailyAt: '01:30', generations: 2, location: 'backup directory, server room', weeklyCheckDay: 1 })
})
