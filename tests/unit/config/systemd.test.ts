import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../../../firmware-config/src/index.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import { DAEMON_MALLOC_ENV } from '../../../server/src/appliance/malloc-env.ts'
import { DAEMON_NODE_FLAGS } from '../../../server/src/appliance/daemon-process.ts'

/** `Key=value` lines of a unit file (comments dropped), key → every value. */
function directives (file: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(raw.trim())
    if (m === null) continue
    out.set(m[1] ?? '', [...(out.get(m[1] ?? '') ?? []), m[2] ?? ''])
  }
  return out
}

const appliance = loadConfig('firmware-config/ken.appliance.json', { env: {} })
const stateDir = appliance.paths.stateDir.replace(/\/$/, '')
const units = {
  store: { file: 'firmware-config/systemd/ken-store.service', user: 'ken-store' },
  gateway: { file: 'firmware-config/systemd/ken-gateway.service', user: 'ken-gw' },
  maint: { file: 'firmware-config/systemd/ken-maint.service', user: 'ken-maint' },
  terminal: { file: 'firmware-config/systemd/ken-terminal.service', user: 'ken-term' },
  national: { file: 'firmware-config/systemd/ken-national.service', user: 'ken-national' }
}

// Issue 18: every daemon runs with the malloc settings spawnDaemon gives it (malloc-env.ts).
for (const [name, unit] of Object.entries(units)) {
  t.test(`${name} unit sets the daemons' malloc environment`, async (t) => {
    const env = new Map((directives(unit.file).get('Environment') ?? []).flatMap((line) => line.split(/\s+/)).map((kv) => kv.split('=') as [string, string]))
    for (const [key, value] of Object.entries(DAEMON_MALLOC_ENV)) t.equal(env.get(key), value, key)
  })
  // Issue 18: and the Node flags spawnDaemon gives it (the store's young generation, heap-flags.ts).
  t.test(`${name} unit sets the daemon's Node flags`, async (t) => {
    const options = (directives(unit.file).get('Environment') ?? []).map((line) => /^NODE_OPTIONS=(.*)$/.exec(line)?.[1]).filter((v) => v !== undefined)
    const flags = DAEMON_NODE_FLAGS[name] ?? []
    t.same(options, flags.length === 0 ? [] : [flags.join(' ')])
  })
}

// Issue 16: every unit rated by systemd's own judge at an exposure of 2.0 or lower.
for (const [name, unit] of Object.entries(units)) {
  t.test(`${name} unit: systemd-analyze security --offline=true rates it 2.0 or lower`, async (t) => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=true', '--no-pager', unit.file.split('/').at(-1) as string], { cwd: 'firmware-config/systemd', encoding: 'utf8' })
    const exposure = Number(/Overall exposure level for [\w.-]+: ([0-9.]+)/.exec(out)?.[1])
    t.ok(exposure <= 2.0, `exposure ${exposure}`)
  })
}

for (const [name, unit] of Object.entries(units)) {
  t.test(`${name} unit is sandboxed`, async (t) => {
    const d = directives(unit.file)
    const one = (k: string): string | undefined => d.get(k)?.[0]
    t.equal(one('User'), unit.user)
    for (const [k, v] of Object.entries({ NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', PrivateDevices: 'yes', SystemCallFilter: '@system-service', RestrictNamespaces: 'yes' })) {
      t.equal(one(k), v, `${k}=${v}`)
    }
    t.same(d.get('CapabilityBoundingSet'), [''], 'no capabilities at all')
    t.equal(one('RestrictAddressFamilies'), 'AF_UNIX AF_INET AF_INET6')
    t.notOk(d.has('MemoryDenyWriteExecute'), 'MemoryDenyWriteExecute is off (V8 JIT)')
    t.match(readFileSync(unit.file, 'utf8'), /# MemoryDenyWriteExecute=yes is deliberately absent: V8/, 'and the unit says why')
  })
}

t.test('only the store writes, and only the state directory', async (t) => {
  t.same(directives(units.store.file).get('ReadWritePaths'), [stateDir])
  t.notOk(directives(units.gateway.file).has('ReadWritePaths'), 'the gateway writes nothing')
  t.same(directives(units.gateway.file).get('InaccessiblePaths'), [`${stateDir}/db ${stateDir}/keys`], 'the gateway cannot see the database or keys')
})

t.test('the users exist and the gateway reaches the socket through its group', async (t) => {
  const sysusers = readFileSync('firmware-config/systemd/ken.sysusers.conf', 'utf8')
  t.match(sysusers, /^u\s+ken-store\s/m)
  t.match(sysusers, /^u\s+ken-gw\s/m)
  t.match(sysusers, /^m\s+ken-gw\s+ken-append$/m)
  t.same(directives(units.gateway.file).get('SupplementaryGroups'), ['ken-append'])
  t.equal(appliance.store.socketMode & 0o007, 0, 'the socket is closed to others')
  const tmpfiles = readFileSync('firmware-config/systemd/ken.tmpfiles.conf', 'utf8')
  t.match(tmpfiles, new RegExp(`^d\\s+${stateDir}/db\\s+0700 ken-store ken-store`, 'm'))
})

t.test('ken-national reaches the outbox socket only, through its own group (issue 12)', async (t) => {
  const d = directives(units.national.file)
  t.same(d.get('SupplementaryGroups'), ['ken-outbox ken-config'])
  t.notOk(d.has('ReadWritePaths'), 'ken-national writes nothing')
  t.same(d.get('InaccessiblePaths'), [`${stateDir}/db ${stateDir}/keys ${stateDir}/run ${stateDir}/backups`], 'not the database, the keys, the append socket, nor the backups')
  const sysusers = readFileSync('firmware-config/systemd/ken.sysusers.conf', 'utf8')
  t.match(sysusers, /^m\s+ken-national\s+ken-outbox$/m)
  t.notMatch(sysusers, /^m\s+ken-gw\s+ken-outbox$/m, 'the gateway is not in ken-outbox')
  t.notMatch(sysusers, /^m\s+ken-national\s+ken-append$/m, 'ken-national is not in ken-append')
  const tmpfiles = readFileSync('firmware-config/systemd/ken.tmpfiles.conf', 'utf8')
  t.match(tmpfiles, new RegExp(`^d\\s+${stateDir}/outbox\\s+2750 ken-store ken-outbox`, 'm'), 'setgid: the socket belongs to ken-outbox')
  t.equal(path.dirname(resolvePaths(appliance).outboxSocket), `${stateDir}/outbox`, 'the appliance puts the outbox socket there')
})

t.test('every daemon has its user; ken-maint reaches only the maintenance sockets and /etc/ken', async (t) => {
  const sysusers = readFileSync('firmware-config/systemd/ken.sysusers.conf', 'utf8')
  for (const unit of Object.values(units)) t.match(sysusers, new RegExp(`^u\\s+${unit.user}\\s`, 'm'), unit.user)
  const maint = directives(units.maint.file)
  t.same(maint.get('ReadWritePaths'), ['/etc/ken'])
  t.same(maint.get('InaccessiblePaths'), ['/var/lib/ken'], 'the state directory, database and keys included, is hidden')
  t.notMatch(sysusers, /^m\s+ken-maint\s+ken-append$/m, 'ken-maint cannot reach the append socket')
  t.same(directives(units.store.file).get('RuntimeDirectory'), ['ken-store'])
  t.same(directives(units.gateway.file).get('RuntimeDirectory'), ['ken-gateway'])
  t.equal(appliance.paths.storeMaintSocket, '/run/ken-store/maint.sock')
  t.equal(appliance.paths.gatewayMaintSocket, '/run/ken-gateway/maint.sock')
  t.same(directives(units.terminal.file).get('RuntimeDirectory'), ['ken-terminal'])
  t.same(directives(units.national.file).get('RuntimeDirectory'), ['ken-national'])
  t.equal(appliance.paths.terminalMaintSocket, '/run/ken-terminal/maint.sock')
  t.equal(appliance.paths.nationalMaintSocket, '/run/ken-national/maint.sock')
  for (const group of ['ken-store', 'ken-gw', 'ken-term', 'ken-national']) t.match(sysusers, new RegExp(`^m\\s+ken-maint\\s+${group}$`, 'm'), `ken-maint is in ${group} (its daemon's maintenance socket)`)
  const tmpfiles = readFileSync('firmware-config/systemd/ken.tmpfiles.conf', 'utf8')
  t.match(tmpfiles, /^d\s+\/var\/lib\/ken\/backups\s+0750 ken-store ken-store/m)
  t.match(tmpfiles, /^d\s+\/etc\/ken\/pki\s+0750 ken-maint ken-config/m)
})
