// Who can reach which store socket on the appliance, judged by systemd's own tools: systemd-sysusers
// creates the users and groups of ken.sysusers.conf, systemd-tmpfiles creates the directories of
// ken.tmpfiles.conf (modes, owners, setgid) under a scratch root; a small evaluator of the Unix
// permission rules then walks each path as each daemon user. Issue 13: the terminal socket has its own
// group — ken-terminal reaches it, the gateway and ken-national do not; and each keeps its own socket.
import t from 'tap'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { loadConfig } from '../../../firmware-config/src/index.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import { tempDir } from '../store/helpers.ts'

const root = tempDir(t, 'ken-sysroot-')
mkdirSync(path.join(root, 'usr/lib/sysusers.d'), { recursive: true })
mkdirSync(path.join(root, 'usr/lib/tmpfiles.d'), { recursive: true })
mkdirSync(path.join(root, 'etc'), { recursive: true })
copyFileSync('firmware-config/systemd/ken.sysusers.conf', path.join(root, 'usr/lib/sysusers.d/ken.conf'))
copyFileSync('firmware-config/systemd/ken.tmpfiles.conf', path.join(root, 'usr/lib/tmpfiles.d/ken.conf'))
execFileSync('systemd-sysusers', [`--root=${root}`], { stdio: 'ignore' })
execFileSync('systemd-tmpfiles', ['--create', `--root=${root}`], { stdio: 'ignore' })

const uid = new Map<string, number>()
const primary = new Map<string, number>()
for (const line of readFileSync(path.join(root, 'etc/passwd'), 'utf8').split('\n')) {
  const [name, , u, g] = line.split(':')
  if (name !== undefined && u !== undefined && g !== undefined) { uid.set(name, Number(u)); primary.set(name, Number(g)) }
}
const gid = new Map<string, number>()
const members = new Map<number, string[]>()
for (const line of readFileSync(path.join(root, 'etc/group'), 'utf8').split('\n')) {
  const [name, , g, list] = line.split(':')
  if (name === undefined || g === undefined) continue
  gid.set(name, Number(g))
  members.set(Number(g), (list ?? '').split(',').filter((s) => s !== ''))
}

/** The groups a daemon runs with: its primary group, its sysusers memberships, and the unit's SupplementaryGroups. */
function groupsOf (user: string, unitFile: string): Set<number> {
  const out = new Set<number>([primary.get(user) ?? -1])
  for (const [g, list] of members) if (list.includes(user)) out.add(g)
  const supplementary = /^SupplementaryGroups=(.*)$/m.exec(readFileSync(unitFile, 'utf8'))?.[1] ?? ''
  for (const name of supplementary.split(/\s+/).filter((s) => s !== '')) out.add(gid.get(name) ?? -1)
  return out
}

/** The permission bits (rwx, 0–7) that apply to this user on a file of owner `ou`, group `og` and mode `mode`. */
function bits (user: string, groups: Set<number>, ou: number, og: number, mode: number): number {
  if (uid.get(user) === ou) return (mode >> 6) & 7
  if (groups.has(og)) return (mode >> 3) & 7
  return mode & 7
}

/**
 * connect(2) to a Unix socket needs search (x) on every directory of the path and write on the socket.
 * The store creates the socket (owner ken-store) with `socketMode`; in a setgid directory it takes the
 * directory's group, otherwise ken-store's primary group.
 */
function canConnect (user: string, unit: string, socketPath: string, socketMode: number): boolean {
  const groups = groupsOf(user, `firmware-config/systemd/${unit}.service`)
  const dirs: string[] = []
  for (let d = path.dirname(socketPath); d !== '/'; d = path.dirname(d)) dirs.unshift(d)
  for (const d of dirs) {
    const st = statSync(path.join(root, d))
    if ((bits(user, groups, st.uid, st.gid, st.mode & 0o777) & 1) === 0) return false
  }
  const dir = statSync(path.join(root, path.dirname(socketPath)))
  const socketGroup = (dir.mode & 0o2000) !== 0 ? dir.gid : primary.get('ken-store') ?? -1
  return (bits(user, groups, uid.get('ken-store') ?? -1, socketGroup, socketMode) & 2) !== 0
}

const appliance = loadConfig('firmware-config/ken.appliance.json', { env: {} })
const paths = resolvePaths(appliance)
const DAEMONS = [['ken-gw', 'ken-gateway'], ['ken-national', 'ken-national'], ['ken-term', 'ken-terminal'], ['ken-maint', 'ken-maint']] as const

t.test('the terminal socket: ken-terminal only', async (t) => {
  const reach = DAEMONS.filter(([user, unit]) => canConnect(user, unit, paths.terminalSocket, appliance.terminal.socketMode)).map(([user]) => user)
  t.same(reach, ['ken-term'])
})

t.test('the append socket: the gateway only; the outbox socket: ken-national only', async (t) => {
  t.same(DAEMONS.filter(([user, unit]) => canConnect(user, unit, paths.storeSocket, appliance.store.socketMode)).map(([user]) => user), ['ken-gw'])
  t.same(DAEMONS.filter(([user, unit]) => canConnect(user, unit, paths.outboxSocket, appliance.store.socketMode)).map(([user]) => user), ['ken-national'])
})

t.test('the accounts file\'s directory is the store\'s alone', async (t) => {
  const st = statSync(path.join(root, path.dirname(paths.terminalAccountsFile)))
  t.equal(st.mode & 0o7777, 0o700)
  t.equal(st.uid, uid.get('ken-store'))
})
