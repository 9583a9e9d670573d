// ken-pki end to end: spawn the real command (certs/bin/ken-pki.js) for every subcommand.
import t from 'tap'
import { spawn } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runKenPki } from '../../../certs/src/cli/main.ts'
import { tempDir } from './fixture.ts'

const BIN = fileURLToPath(new URL('../../../certs/bin/ken-pki.js', import.meta.url))
const work = tempDir(t)

interface Run { code: number | null, out: string, err: string }

async function kenPki (args: string[], env: Record<string, string> = {}): Promise<Run> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, KEN_PKI_PIN: '', ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => { out += c.toString() })
    child.stderr.on('data', (c: Buffer) => { err += c.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

async function json (args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const r = await kenPki([...args, '--json'], env)
  return JSON.parse(r.out) as Record<string, unknown>
}

/** The same dispatcher in this process (fast), for the tables of cases; paths relative to `work`. */
async function inProcess (args: string[]): Promise<Run> {
  let out = ''
  let err = ''
  const abs = args.map((a) => (/^(ca|out|crl\.pem|nowhere|x)(\/|$)/.test(a) ? join(work, a) : a))
  const code = await runKenPki(abs, { out: (s) => { out += s }, err: (s) => { err += s }, env: {} })
  return { code, out, err }
}

async function inProcessJson (args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse((await inProcess([...args, '--json'])).out) as Record<string, unknown>
}

t.test('the shim is executable', async (t) => {
  t.ok((statSync(BIN).mode & 0o111) !== 0)
})

t.test('init, issue, crl, verify, revoke, crl, verify', async (t) => {
  const init = await kenPki(['init', '--out', 'ca', '--org', 'Fukuoka Prefecture'])
  t.equal(init.code, 0, init.err)
  t.equal(statSync(join(work, 'ca', 'issuing.key')).mode & 0o777, 0o600)
  t.equal((await inProcess(['init', '--ca', 'ca'])).code, 1, 'a second init refuses')

  const cs = await json(['issue', 'cs', '--municipality', '401307', '--ca', 'ca', '--out', 'out'])
  t.equal(cs.kind, 'cs')
  t.equal(statSync(join(work, 'out', '401307.key')).mode & 0o777, 0o600, 'key 0600')
  const server = await json(['issue', 'server', '--name', 'localhost', '--name', '127.0.0.1', '--ca', 'ca', '--out', 'out'])
  t.equal(server.kind, 'server')

  const crl1 = await json(['crl', '--ca', 'ca', '--out', 'crl.pem'])
  t.equal(crl1.crlNumber, 1)
  const ok = await json(['verify', 'out/401307.crt', '--ca', 'ca', '--crl', 'crl.pem'])
  t.same([ok.acceptable, ok.kind, ok.municipality], [true, 'cs', '401307'])
  const okHuman = await inProcess(['verify', 'out/401307.crt', '--ca', 'ca', '--crl', 'crl.pem'])
  t.equal(okHuman.code, 0)
  t.match(okHuman.out, /acceptable: true\nkind: cs\nmunicipality: 401307/)

  const rev = await json(['revoke', '--ca', 'ca', '--serial', String(cs.serial), '--reason', 'keyCompromise'])
  t.equal(rev.reason, 'keyCompromise')
  const crl2 = await json(['crl', '--ca', 'ca', '--out', 'crl.pem', '--days', '3'])
  t.same([crl2.crlNumber, crl2.entries], [2, 1])
  const refused = await kenPki(['verify', 'out/401307.crt', '--ca', 'ca', '--crl', 'crl.pem'])
  t.equal(refused.code, 1, 'non-zero when not acceptable')
  t.match(refused.out, /acceptable: false\ncode: KEN_ERR_CERT_REVOKED\nreason: .*keyCompromise/)

  const wrongUse = await inProcessJson(['verify', 'out/server.crt', '--trust', 'ca/ca.crt', '--crl', 'crl.pem', '--expect', 'cs'])
  t.same([wrongUse.acceptable, wrongUse.code], [false, 'KEN_ERR_CERT_WRONG_EKU'])
  const serverOk = await inProcessJson(['verify', 'out/server.crt', '--trust', 'ca/ca.crt', '--crl', 'crl.pem'])
  t.same([serverOk.acceptable, serverOk.kind, serverOk.dns], [true, 'server', ['localhost']])
  const future = await inProcessJson(['verify', 'out/server.crt', '--ca', 'ca', '--at', '2099-01-01T00:00:00Z'])
  t.same([future.acceptable, future.code], [false, 'KEN_ERR_CERT_EXPIRED'])
  const stale = await inProcessJson(['verify', 'out/server.crt', '--ca', 'ca', '--crl', 'crl.pem', '--at', new Date(Date.now() + 5 * 86_400_000).toISOString()])
  t.same([stale.acceptable, stale.code], [false, 'KEN_ERR_CRL_STALE'])
  const staleWarn = await inProcessJson(['verify', 'out/server.crt', '--ca', 'ca', '--crl', 'crl.pem', '--at', new Date(Date.now() + 5 * 86_400_000).toISOString(), '--stale-crl', 'warn'])
  t.equal(staleWarn.acceptable, true)
  t.match(staleWarn.warnings, [/KEN_ERR_CRL_STALE/])
})

t.test('operator and technician credentials: PIN from a file or the environment, never argv', async (t) => {
  writeFileSync(join(work, 'pin.txt'), 'file-pin-123\n', { mode: 0o600 })
  const op = await json(['issue', 'operator', '--id', 'OP001', '--role', 'operator', '--pin-file', 'pin.txt', '--ca', 'ca', '--out', 'operators'])
  t.equal(op.keyEncrypted, true)
  const tech = await json(['issue', 'operator', '--id', 'TE001', '--role', 'technician', '--ca', 'ca', '--out', 'operators'], { KEN_PKI_PIN: 'env-pin-456' })
  t.equal(tech.kind, 'operator')
  const { openOperatorCredential } = await import('../../../certs/src/operator-credential.ts')
  const read = (f: string): string => readFileSync(join(work, 'operators', f), 'utf8')
  t.ok(openOperatorCredential(read('OP001.crt'), read('OP001.key'), 'file-pin-123'), 'the trailing newline is not part of the PIN')
  t.ok(openOperatorCredential(read('TE001.crt'), read('TE001.key'), 'env-pin-456'))
  const techVerified = await inProcessJson(['verify', join(work, 'operators', 'TE001.crt'), '--ca', 'ca'])
  t.same([techVerified.kind, techVerified.id, techVerified.role], ['operator', 'TE001', 'technician'])
  const noPin = await inProcess(['issue', 'operator', '--id', 'OP002', '--role', 'admin', '--ca', 'ca', '--out', join(work, 'operators')])
  t.equal(noPin.code, 1)
  t.match(noPin.err, /KEN_ERR_PKI_NO_PIN/)
  const argvPin = await inProcess(['issue', 'operator', '--id', 'OP002', '--role', 'admin', '--pin', 'secret-pin', '--ca', 'ca', '--out', join(work, 'operators')])
  t.equal(argvPin.code, 2, 'there is no --pin option')
  t.match(argvPin.err, /KEN_ERR_PKI_USAGE/)
})

t.test('usage errors are coded, exit 2, and print the usage', async (t) => {
  const spawned = await kenPki(['issue', 'cs', '--municipality', '401307', '--out', 'x', '--ca', 'ca', '--bogus'])
  t.equal(spawned.code, 2, 'an unknown option, from the real process')
  t.match(spawned.err, /ken-pki: KEN_ERR_PKI_USAGE: .*--bogus/)
  for (const args of [['frobnicate'], ['issue', 'printer', '--out', 'x', '--ca', 'ca'], ['verify'], ['verify', 'a', 'b'], ['issue', 'cs', '--ca', 'ca'],
    ['issue', 'cs', '--municipality', '401307', '--id', 'OP001', '--out', 'x', '--ca', 'ca'], ['init', '--ca', 'a', '--out', 'b'], ['crl', '--days']]) {
    const r = await inProcess(args)
    t.equal(r.code, 2, args.join(' '))
    t.match(r.err, /ken-pki: KEN_ERR_PKI_USAGE/)
    t.match(r.err, /Usage:/)
  }
  const help = await inProcess(['--help'])
  t.equal(help.code, 0)
  t.match(help.out, /ken-pki issue operator/)
})

t.test('domain errors are coded and exit 1', async (t) => {
  const cases: Array<[string[], string]> = [
    [['issue', 'cs', '--municipality', '401308', '--ca', 'ca', '--out', 'out'], 'KEN_ERR_PKI_BAD_MUNICIPALITY_CODE'],
    [['issue', 'cs', '--municipality', '401307', '--ca', 'ca', '--out', 'out'], 'KEN_ERR_PKI_FILE_EXISTS'],
    [['revoke', '--ca', 'ca', '--serial', '99', '--reason', 'superseded'], 'KEN_ERR_PKI_UNKNOWN_SERIAL'],
    [['revoke', '--ca', 'ca', '--serial', '03', '--reason', 'whim'], 'KEN_ERR_PKI_BAD_REASON'],
    [['crl', '--ca', 'nowhere'], 'KEN_ERR_PKI_CA_NOT_FOUND'],
    [['verify', 'out/server.crt', '--ca', 'ca', '--at', 'yesterday'], 'KEN_ERR_PKI_BAD_DATE']
  ]
  for (const [args, code] of cases) {
    const r = await inProcess(args)
    t.equal(r.code, 1, args.join(' '))
    t.match(r.err, new RegExp(`ken-pki: ${code}`))
  }
  const issuedBefore = JSON.parse(readFileSync(join(work, 'ca', 'state.json'), 'utf8')) as { nextSerial: number }
  await inProcess(['issue', 'cs', '--municipality', '401307', '--ca', 'ca', '--out', 'out'])
  const issuedAfter = JSON.parse(readFileSync(join(work, 'ca', 'state.json'), 'utf8')) as { nextSerial: number }
  t.equal(issuedAfter.nextSerial, issuedBefore.nextSerial, 'nothing is issued when the output files already exist')
})

t.test('dev: the development PKI from the command line', async (t) => {
  const r = await inProcessJson(['dev', '--out', join(work, 'var', 'pki'), '--municipality', '401307', '--municipality', '402036'])
  t.ok(Array.isArray(r.created))
  t.equal(statSync(join(work, 'var', 'pki', 'cs', '402036.key')).mode & 0o777, 0o600)
})
