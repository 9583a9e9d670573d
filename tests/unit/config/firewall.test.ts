import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { DEFAULTS } from '../../../firmware-config/src/index.ts'

// firmware-config/nftables/ken.nft is a static file; its ports must be the configuration's defaults.
const nft = readFileSync('firmware-config/nftables/ken.nft', 'utf8')
const lines = nft.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '')
const defines = new Map([...nft.matchAll(/^define (\w+) = "?([^"\n]+)"?$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']))

/** The rules of one chain, in order. */
function chain (name: string): string[] {
  const start = lines.findIndex((l) => l === `chain ${name} {`)
  const end = lines.indexOf('}', start)
  return lines.slice(start + 1, end)
}

t.test('the ports named are the defaults', async (t) => {
  t.equal(Number(defines.get('GATEWAY_PORT')), DEFAULTS.gateway.port)
  t.equal(Number(defines.get('TERMINAL_PORT')), DEFAULTS.terminal.port)
  t.equal(Number(defines.get('METRICS_PORT')), DEFAULTS.management.port)
  t.equal(Number(defines.get('SSH_PORT')), 22)
})

t.test('default drop on input, forward and output', async (t) => {
  for (const name of ['input', 'forward', 'output']) {
    t.match(chain(name)[0] ?? '', /policy drop;$/, `${name} drops by default`)
  }
  t.match(nft, /^flush ruleset$/m, 'no rule of another file survives')
})

t.test('each interface opens only its own ports', async (t) => {
  const input = chain('input')
  const opened = (iface: string): string[] => input.filter((l) => l.startsWith(`iifname $${iface} `) && / dport /.test(l)).map((l) => / dport (\{[^}]*\}|\S+)/.exec(l)?.[1] ?? '')
  t.same(opened('CS_IF'), ['$GATEWAY_PORT'], 'CS line: the gateway only')
  t.same(opened('TERM_IF'), ['$TERMINAL_PORT'], 'terminal LAN: the terminal API only')
  t.same(opened('MGMT_IF'), ['{ $METRICS_PORT, $SSH_PORT }'], 'management: metrics and ssh')
  t.notOk(input.some((l) => l.startsWith('iifname $CS_IF') && !/ dport \$GATEWAY_PORT /.test(l)), 'nothing else on the CS line')
  t.notOk(input.some((l) => /^(tcp|udp) dport/.test(l)), 'no port opened on every interface')
})

// nftables itself judges the file (issue 16): `nft -c` parses and checks it against the kernel's
// netlink without applying it. It needs CAP_NET_ADMIN; without it, in a user and network namespace
// of its own (unshare -rn), where it has that capability over nothing but an empty namespace.
t.test('nft -c accepts the ruleset', async (t) => {
  let r = spawnSync('nft', ['-c', '-f', 'firmware-config/nftables/ken.nft'], { encoding: 'utf8' })
  if (r.status !== 0 && /Operation not permitted/i.test(r.stderr)) r = spawnSync('unshare', ['-rn', 'nft', '-c', '-f', 'firmware-config/nftables/ken.nft'], { encoding: 'utf8' })
  t.equal(r.status, 0, r.stderr)
  const broken = spawnSync('unshare', ['-rn', 'nft', '-c', '-f', '/dev/stdin'], { input: nft.replace('policy drop;', 'policy dorp;'), encoding: 'utf8' })
  t.not(broken.status, 0, 'and refuses a broken one (the check is real)')
})
