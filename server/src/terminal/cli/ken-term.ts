/**
 * ken-term — the command line over ken-terminal's HTTPS API (SPEC §6), for administrators and scripts.
 * The operator key never leaves this machine: login signs the terminal's challenge here.
 *
 *   ken-term login --id ID --cert FILE --key FILE [--pin-file F]   prints the session token
 *   (then --session=TOKEN or $KEN_TERM_SESSION: a random token may begin with '-', which the
 *   spaced form `--session TOKEN` would read as an option)
 *   ken-term whoami | lock | logout | purposes
 *   ken-term search --purpose P (--juminhyo C | --kojin N | [--name S] [--address S] [--birth YYYY-MM-DD] [--sex male|female] [--fuzzy])
 *   ken-term view --purpose P --ref R
 *   ken-term provide --purpose P --kind teikyo|iten --recipient R --refs R1,R2 --items a,b [--channel terminal] [--reference DOC]
 *   ken-term accounts [--unreported]
 *   ken-term disclose | correction STEP | corrections  (ken-term-requests.ts: 開示 and 訂正, issue 14)
 *   ken-term account register|approve|revoke|delete|unlock|reported --id ID [--role R --department D --branch B --purposes P1,P2 --pin-file F --cert FILE] [--reason T]
 *   ken-term deletions                                              物理削除 requests (pending first)
 *   ken-term deletion file --juminhyo C --reference REF            a system administrator files the municipality's request
 *   ken-term deletion approve|reject --request ID [--reason T]          a security officer, not the requester, decides
 *   ken-term print --purpose P --ref R                             record a print (terminal.hardcopy print-with-record)
 *   ken-term statistics --month YYYY-MM [--reason REF]
 *   ken-term review [--from D] [--to D] [--actor ID] [--terminal T] [--kind K] [--purpose P] [--flagged]
 *   ken-term sample --fiscal-year Y --size N [--seed HEX] [--up-to POSITION]
 *   ken-term bulk-approve --requester ID --recipient R --recipient-key age1… --purpose P --expected N --expires YYYY-MM-DD [--reference DOC]
 *
 * Common: --url (or $KEN_TERM_URL, default https://127.0.0.1:8443/), --ca FILE (or $KEN_TERM_CA),
 * --session TOKEN (or $KEN_TERM_SESSION). The PIN comes from --pin-file or $KEN_TERM_PIN, never from
 * the command line. Output: one JSON object on stdout. Exit 0 answered, 1 refused (the body names
 * the KEN_ERR_TERM_* code), 2 usage or connection errors.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { KEY_FILE_ADAPTER } from '../auth/possession.ts'
import { ApiClient, type ApiAnswer } from './api-client.ts'
import { REQUEST_OPTIONS, requestCommand } from './ken-term-requests.ts'

const OPTIONS = {
  url: { type: 'string' }, ca: { type: 'string' }, session: { type: 'string' }, id: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
  'pin-file': { type: 'string' }, purpose: { type: 'string' }, juminhyo: { type: 'string' }, kojin: { type: 'string' }, name: { type: 'string' },
  address: { type: 'string' }, birth: { type: 'string' }, sex: { type: 'string' }, fuzzy: { type: 'boolean' }, ref: { type: 'string' }, kind: { type: 'string' },
  recipient: { type: 'string' }, refs: { type: 'string' }, items: { type: 'string' }, channel: { type: 'string' }, reference: { type: 'string' },
  unreported: { type: 'boolean' }, role: { type: 'string' }, department: { type: 'string' }, branch: { type: 'string' }, purposes: { type: 'string' }, reason: { type: 'string' }, request: { type: 'string' },
  month: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, terminal: { type: 'string' }, flagged: { type: 'boolean' },
  'fiscal-year': { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' }, 'up-to': { type: 'string' }, requester: { type: 'string' },
  'recipient-key': { type: 'string' }, expected: { type: 'string' }, expires: { type: 'string' },
  ...REQUEST_OPTIONS
} as const

class Usage extends Error {}

function need (value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Usage(`--${name} is required`)
  return value
}

function list (value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function pin (file: string | undefined): string {
  if (file !== undefined) return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  const env = process.env.KEN_TERM_PIN
  if (env === undefined) throw new Usage('the PIN: --pin-file F or $KEN_TERM_PIN')
  return env
}

export async function run (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number, out: unknown }> {
  const { values: v, positionals } = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: OPTIONS })
  const [command, sub] = positionals
  const caFile = v.ca ?? env.KEN_TERM_CA
  const api = new ApiClient(v.url ?? env.KEN_TERM_URL ?? 'https://127.0.0.1:8443/', caFile === undefined ? undefined : readFileSync(caFile, 'utf8'), v.session ?? env.KEN_TERM_SESSION)
  let answer: ApiAnswer
  switch (command) {
    case 'login': {
      const id = need(v.id, 'id')
      const certificatePem = readFileSync(need(v.cert, 'cert'), 'utf8')
      const keyPem = readFileSync(need(v.key, 'key'), 'utf8')
      const thePin = pin(v['pin-file'])
      const begin = await api.call('POST', '/api/login/challenge', { accountId: id })
      if (begin.status !== 200) return { code: 1, out: begin.body }
      const challenge = Buffer.from(String(begin.body.challenge), 'base64')
      const signature = await KEY_FILE_ADAPTER.signChallenge(challenge, { certificatePem, keyPem, pin: thePin })
      answer = await api.call('POST', '/api/login', { accountId: id, challenge: challenge.toString('base64'), signature: Buffer.from(signature).toString('base64'), pin: thePin, adapter: 'key-file' })
      break
    }
    case 'whoami': answer = await api.call('GET', '/api/session'); break
    case 'lock': answer = await api.call('POST', '/api/lock'); break
    case 'logout': answer = await api.call('POST', '/api/logout'); break
    case 'purposes': answer = await api.call('GET', '/api/purposes'); break
    case 'search':
      answer = await api.call('POST', '/api/search', {
        purpose: need(v.purpose, 'purpose'),
        ...(v.juminhyo === undefined ? {} : { juminhyoCode: v.juminhyo }),
        ...(v.kojin === undefined ? {} : { kojinBango: v.kojin }),
        ...(v.name === undefined ? {} : { name: v.name }),
        ...(v.address === undefined ? {} : { address: v.address }),
        ...(v.birth === undefined ? {} : { birthDate: v.birth }),
        ...(v.sex === undefined ? {} : { sex: v.sex }),
        ...(v.fuzzy === true ? { fuzzy: true } : {})
      })
      break
    case 'view': answer = await api.call('POST', '/api/view', { purpose: need(v.purpose, 'purpose'), ref: need(v.ref, 'ref') }); break
    case 'provide':
      answer = await api.call('POST', '/api/provide', {
        purpose: need(v.purpose, 'purpose'), kind: need(v.kind, 'kind'), recipient: need(v.recipient, 'recipient'), refs: list(v.refs), items: list(v.items),
        channel: v.channel ?? 'terminal', ...(v.reference === undefined ? {} : { reference: v.reference })
      })
      break
    case 'accounts': answer = await api.call('GET', `/api/accounts?listing=${v.unreported === true ? 'unreported' : 'all'}`); break
    case 'account': {
      const action = need(sub, 'action (register|approve|revoke|delete|unlock|reported)')
      const register = action === 'register'
      answer = await api.call('POST', '/api/accounts', {
        action,
        accountId: need(v.id, 'id'),
        ...(register ? { role: need(v.role, 'role'), department: need(v.department, 'department'), branch: need(v.branch, 'branch'), purposes: list(v.purposes), pin: pin(v['pin-file']), certificatePem: readFileSync(need(v.cert, 'cert'), 'utf8') } : {}),
        ...(v.reason === undefined ? {} : { reason: v.reason })
      })
      break
    }
    case 'deletions': answer = await api.call('GET', '/api/deletions'); break
    case 'deletion': {
      const action = need(sub, 'action (file|approve|reject)')
      if (!['file', 'approve', 'reject'].includes(action)) throw new Usage(`unknown deletion action ${action}`)
      answer = await api.call('POST', '/api/deletions', action === 'file'
        ? { action, juminhyoCode: need(v.juminhyo, 'juminhyo'), reference: need(v.reference, 'reference') }
        : { action, requestId: need(v.request, 'request'), ...(v.reason === undefined ? {} : { reason: v.reason }) })
      break
    }
    case 'print': answer = await api.call('POST', '/api/print', { purpose: need(v.purpose, 'purpose'), ref: need(v.ref, 'ref') }); break
    case 'statistics': answer = await api.call('GET', `/api/statistics?${new URLSearchParams({ month: need(v.month, 'month'), ...(v.reason === undefined ? {} : { reason: v.reason }) }).toString()}`); break
    case 'review': {
      const q = { from: v.from, to: v.to, actor: v.actor, terminal: v.terminal, kind: v.kind, purpose: v.purpose, flagged: v.flagged === true ? 'true' : undefined }
      answer = await api.call('GET', `/api/review?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)).toString()}`)
      break
    }
    case 'sample':
      answer = await api.call('GET', `/api/review/sample?${new URLSearchParams({ fiscalYear: need(v['fiscal-year'], 'fiscal-year'), size: need(v.size, 'size'), ...(v.seed === undefined ? {} : { seed: v.seed }), ...(v['up-to'] === undefined ? {} : { upTo: v['up-to'] }) }).toString()}`)
      break
    case 'bulk-approve':
      answer = await api.call('POST', '/api/bulk/approvals', {
        requester: need(v.requester, 'requester'), recipient: need(v.recipient, 'recipient'), recipientKey: need(v['recipient-key'], 'recipient-key'), purpose: need(v.purpose, 'purpose'),
        expectedCount: Number(need(v.expected, 'expected')), expires: need(v.expires, 'expires'), ...(v.reference === undefined ? {} : { reason: v.reference })
      })
      break
    default: {
      const request = await requestCommand(api, command, sub, v, need)
      if (request === undefined) throw new Usage(`unknown command ${command ?? ''}`)
      answer = request
    }
  }
  return { code: answer.status >= 200 && answer.status < 300 ? 0 : 1, out: answer.body }
}
