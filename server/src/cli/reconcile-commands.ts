/**
 * ken-store's reconciliation commands (SPEC §5.3, requirements C4–C6, H16, H17), over the store
 * daemon's reconcile admin socket (the daemon owns the database while it runs):
 *
 *   reconcile  --socket ADMIN --actor ID --municipality CODE --file F [--out R]
 *              a run from a file on media: F is the CS's chunks, each a 4-byte big-endian length and
 *              an encoded ReconcileChunk (docs/reconciliation.md); R gets the result file (CSV, mode 0600)
 *   mismatches --socket ADMIN --actor ID [--municipality CODE] [--month YYYY-MM] [--open]
 *   resolve    --socket ADMIN --actor ID --run P --index I --status explained|fixed [--fixed-at P] --approver ID --note REF
 *   monthly    --socket ADMIN --actor ID --month YYYY-MM      the 統計情報不一致リスト
 *
 * Output: JSON on stdout (the result file holds the 住民票コード; stdout of reconcile carries only counts).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { decode, encode } from '../../../proto/src/codec.ts'
import { FrameDecoder } from '../../../proto/src/framing.ts'
import { DifferenceKind, MismatchStatus, type ReconcileAdminRequest, type ReconcileAdminResponse, type ReconcileResult } from '../../../proto/src/types.ts'
import { FramedClient } from '../store/reconcile/reconcile-client.ts'

type Values = Record<string, string | boolean | undefined>

const KIND_NAMES: Record<number, string> = { [DifferenceKind.MISSING_HERE]: 'missing_here', [DifferenceKind.MISSING_AT_CS]: 'missing_at_cs', [DifferenceKind.DIFFERS]: 'differs' }

export const RECONCILE_COMMANDS = ['reconcile', 'mismatches', 'resolve', 'monthly'] as const

export async function reconcileCommand (command: string, values: Values, out: (s: string) => void): Promise<number> {
  const str = (k: string): string | undefined => typeof values[k] === 'string' ? values[k] : undefined
  const socket = str('socket')
  const actor = str('actor')
  if (socket === undefined || actor === undefined) throw usage('--socket (the reconcile admin socket) and --actor are required')
  const client = await FramedClient.connect(socket)
  let requestId = 0
  const ask = async (op: Omit<ReconcileAdminRequest, 'requestId' | 'actor'>): Promise<ReconcileAdminResponse> => {
    const response = decode('ReconcileAdminResponse', await client.request(encode('ReconcileAdminRequest', { requestId: ++requestId, actor, ...op })))
    if (response.errorCode !== '') throw Object.assign(new Error(response.errorCode), { code: response.errorCode })
    return response
  }
  try {
    return await run(command, values, str, actor, ask, out)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code !== 'string' || !code.startsWith('KEN_')) throw err
    out(JSON.stringify({ error: code }))
    return 1
  } finally {
    await client.close()
  }
}

async function run (command: string, values: Values, str: (k: string) => string | undefined, actor: string, ask: (op: Omit<ReconcileAdminRequest, 'requestId' | 'actor'>) => Promise<ReconcileAdminResponse>, out: (s: string) => void): Promise<number> {
  switch (command) {
    case 'reconcile': {
      const file = str('file')
      const municipalityCode = str('municipality')
      if (file === undefined || municipalityCode === undefined) throw usage('reconcile needs --file and --municipality')
      const frames = new FrameDecoder().push(await readFile(file))
      const results: ReconcileResult[] = []
      for (const chunk of frames) {
        const r = await ask({ mediaChunk: { requestId: results.length + 1, municipalityCode, chunk } })
        const result = decode('ReconcileResult', r.mediaResult?.result ?? new Uint8Array(0))
        if (result.reasonCode !== '') {
          out(JSON.stringify({ refused: result.reasonCode, chunkIndex: result.chunkIndex }))
          return 1
        }
        results.push(result)
      }
      const final = results.at(-1)
      if (final?.complete !== true) {
        out(JSON.stringify({ complete: false, chunks: results.length }))
        return 1
      }
      const outFile = str('out')
      if (outFile !== undefined) {
        const rows = results.flatMap((r) => r.differences.map((d) => `${d.juminhyoCode},${KIND_NAMES[d.kind] ?? d.kind},${d.fields.join(' ')}`))
        await writeFile(outFile, ['juminhyo_code,kind,items', ...rows, ''].join('\n'), { mode: 0o600 })
      }
      out(JSON.stringify({ complete: true, chunks: results.length, summary: final.summary }))
      return 0
    }
    case 'mismatches': {
      const r = await ask({ list: { municipalityCode: str('municipality') ?? '', month: str('month') ?? '', openOnly: values.open === true } })
      out(JSON.stringify(r.list?.items ?? []))
      return 0
    }
    case 'resolve': {
      const status = str('status') === 'fixed' ? MismatchStatus.FIXED : str('status') === 'explained' ? MismatchStatus.EXPLAINED : undefined
      if (status === undefined || str('run') === undefined || str('index') === undefined) throw usage('resolve needs --run, --index and --status explained|fixed')
      const r = await ask({ resolve: { runPosition: Number(str('run')), index: Number(str('index')), status, fixedAt: Number(str('fixed-at') ?? 0), actor, approver: str('approver') ?? '', note: str('note') ?? '' } })
      out(JSON.stringify(r.resolved))
      return 0
    }
    case 'monthly': {
      const month = str('month')
      if (month === undefined) throw usage('monthly needs --month YYYY-MM')
      out(JSON.stringify((await ask({ monthly: month })).monthly))
      return 0
    }
    default:
      throw usage(`unknown command ${command}`)
  }
}

function usage (why: string): Error {
  return Object.assign(new Error(why), { usage: true })
}
