// Issue 13: the terminal socket has a group of its own (ken-terminal-sock) — ken-terminal reaches it,
// the gateway and ken-national do not — and the terminal keys (paths, socket mode, hardcopy) are
// validated once with the stricter defaults (A8.3, section G 1).
import t from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../../../firmware-config/src/index.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import { storeOptionsFrom } from '../../../server/src/store/from-config.ts'
import { terminalOptionsFrom } from '../../../server/src/terminal/from-config.ts'
import { parseDaemonOptions } from '../../../server/src/store/options.ts'

const sysusers = readFileSync('firmware-config/systemd/ken.sysusers.conf', 'utf8')
const tmpfiles = readFileSync('firmware-config/systemd/ken.tmpfiles.conf', 'utf8')
const unit = (name: string): string => readFileSync(`firmware-config/systemd/${name}.service`, 'utf8')
const directive = (text: string, key: string): string[] => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '')

t.test('only ken-term is in ken-terminal-sock; the socket directory is setgid to it', async (t) => {
  const members = [...sysusers.matchAll(/^m\s+(\S+)\s+ken-terminal-sock$/gm)].map((m) => m[1])
  t.same(members, ['ken-term'])
  t.match(sysusers, /^g\s+ken-terminal-sock\s/m)
  t.match(tmpfiles, /^d\s+\/var\/lib\/ken\/terminal\s+2750 ken-store ken-terminal-sock/m, 'setgid: the socket the store makes belongs to the group')
  t.match(tmpfiles, /^d\s+\/var\/lib\/ken\/accounts\s+0700 ken-store ken-store/m, 'the accounts file is the store\'s alone')
  const appliance = loadConfig('firmware-config/ken.appliance.json', { env: {} })
  const paths = resolvePaths(appliance)
  t.equal(path.dirname(paths.terminalSocket), '/var/lib/ken/terminal', 'the appliance puts the terminal socket there')
  t.equal(path.dirname(paths.terminalAccountsFile), '/var/lib/ken/accounts')
  t.equal(appliance.terminal.socketMode, 0o660, 'owner and group only')
  t.equal(appliance.terminal.hardcopy, 'prohibited', 'the stricter source by default (A8.3)')
})

t.test('ken-terminal runs from the configuration with the group; the gateway and ken-national do not get it', async (t) => {
  const terminal = unit('ken-terminal')
  t.same(directive(terminal, 'ExecStart'), ['/opt/ken-server/node_modules/.bin/ken-terminal serve --config /etc/ken/ken.json'])
  t.match(directive(terminal, 'SupplementaryGroups')[0] ?? '', /\bken-terminal-sock\b/)
  t.match(directive(terminal, 'InaccessiblePaths')[0] ?? '', /\/var\/lib\/ken\/accounts\b/, 'the accounts file is hidden from ken-terminal')
  t.same(directive(terminal, 'ReadWritePaths'), [], 'ken-terminal writes nothing')
  for (const other of ['ken-gateway', 'ken-national', 'ken-maint']) {
    t.notMatch(directive(unit(other), 'SupplementaryGroups').join(' '), /ken-terminal-sock/, `${other} is not given the group`)
  }
})

t.test('the store and ken-terminal take the same socket from one configuration', async (t) => {
  const config = loadConfig({ paths: { stateDir: '/srv/ken/', purposesRegistryFile: 'registry.json' }, terminal: { idleLockMinutes: 3, hardcopy: 'print-with-record' } }, { env: {} })
  const store = parseDaemonOptions(storeOptionsFrom(config))
  t.same(store.terminal, {
    socketPath: '/srv/ken/terminal/terminal.sock', accountsFile: '/srv/ken/accounts/terminal-accounts.json', registryFile: '/srv/ken/registry.json',
    idleLockSeconds: 180, maxFailures: 5, resultCap: 20, socketMode: 0o660, hardcopy: 'print-with-record', prefectureName: '福岡県', bootstrap: [],
    reviewRules: { businessHours: [8, 19], closedWeekdays: [0, 6], holidays: [], volumeFactor: 3, volumeMin: 30, fuzzyHits: 20, refusals: 3 }
  })
  const terminal = terminalOptionsFrom(config)
  t.equal(terminal.socketPath, store.terminal?.socketPath)
  t.equal(terminal.certFile, '/srv/ken/pki/server.crt')
  t.equal(parseDaemonOptions(storeOptionsFrom(loadConfig({ paths: { stateDir: '/srv/ken/' } }, { env: {} }))).terminal?.registryFile, undefined, '"" is the built-in registry')
})

t.test('refused: an unknown hardcopy policy, a socket mode open to others', async (t) => {
  for (const terminal of [{ hardcopy: 'allowed' }, { socketMode: '0666' }]) {
    t.throws(() => loadConfig({ terminal }, { env: {} }), { code: 'KEN_ERR_CONFIG_INVALID' }, JSON.stringify(terminal))
  }
})
