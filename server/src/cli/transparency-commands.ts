/**
 * `ken-store checkpoint | prove | public-key` (docs/transparency-log.md): the same questions on a
 * stopped store (`--db DIR`) or a running daemon (`--socket PATH`, its read-only transparency socket),
 * answered by the same code (transparency-answer.ts). Output: the checkpoint as the signed-note text
 * exactly; proofs as one JSON object with base64 hashes; the verifier key line.
 */
import type { Logger } from 'pino'
import type { TransparencyRequest, TransparencyResponse } from '../../../proto/src/types.ts'
import { LevelStore } from '../store/level-store.ts'
import { TransparencyClient } from '../store/transparency-client.ts'
import { answerTransparency } from '../store/transparency-answer.ts'
import { defaultLogKeyFile, loadLogSigningKey } from '../store/log-signing-key.ts'

export interface TransparencyArgs {
  readonly db?: string
  readonly socket?: string
  readonly key?: string
  readonly 'log-key'?: string
  readonly size?: string
  readonly position?: string
  readonly from?: string
  readonly to?: string
}

type Query = Omit<TransparencyRequest, 'requestId'>

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

/** Run one of the commands; returns the exit code (0 answered, 1 refused with a code, 2 usage). */
export async function runTransparencyCommand (command: 'checkpoint' | 'prove' | 'public-key', args: TransparencyArgs, logger: Logger, usage: (why: string) => number): Promise<number> {
  const num = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined
    if (!/^[1-9][0-9]{0,15}$/.test(s)) throw new RangeError(`--${name} must be a positive integer`)
    return Number(s)
  }
  let query: Query
  try {
    if (command === 'public-key') {
      const keyFile = args['log-key'] ?? (args.key === undefined ? undefined : defaultLogKeyFile(args.key))
      if (keyFile !== undefined) {
        process.stdout.write(`${(await loadLogSigningKey(keyFile)).verifier.line}\n`)
        return 0
      }
      query = { publicKey: true }
    } else if (command === 'checkpoint') {
      query = { checkpoint: { size: num(args.size, 'size') ?? 0 } }
    } else if (args.position !== undefined) {
      query = { inclusion: { position: num(args.position, 'position') ?? 0, size: num(args.size, 'size') ?? 0, municipalityCode: '', fromSize: 0 } }
    } else if (args.from !== undefined) {
      query = { consistency: { fromSize: num(args.from, 'from') ?? 0, toSize: num(args.to, 'to') ?? 0 } }
    } else {
      return usage('prove needs --position P or --from M')
    }
  } catch (err) {
    return usage((err as Error).message)
  }
  if ((args.db === undefined) === (args.socket === undefined)) return usage(`${command} needs --db DIR (a stopped store) or --socket PATH (the daemon's transparency socket)${command === 'public-key' ? ', or --key/--log-key FILE' : ''}`)
  const response = await ask(query, args, logger)
  if (response.errorCode !== '') {
    process.stdout.write(`${JSON.stringify({ ok: false, errorCode: response.errorCode })}\n`)
    logger.warn({ event: 'store.transparency.refused', code: response.errorCode }, `${command} refused`)
    return 1
  }
  process.stdout.write(format(command, query, response))
  return 0
}

async function ask (query: Query, args: TransparencyArgs, logger: Logger): Promise<TransparencyResponse> {
  if (args.socket !== undefined) {
    const client = await TransparencyClient.connect(args.socket)
    try {
      return await client.ask(query)
    } finally {
      client.close()
    }
  }
  // A stopped store: opened for writing only so that a missing tree view can be rebuilt; no appliance key.
  const store = new LevelStore({ location: args.db as string, logger, createIfMissing: false })
  await store.open()
  try {
    const verifier = args['log-key'] === undefined ? undefined : (await loadLogSigningKey(args['log-key'])).verifier.line
    return await answerTransparency(store.transparency, verifier, { requestId: 1, ...query })
  } finally {
    await store.close()
  }
}

function format (command: string, query: Query, r: TransparencyResponse): string {
  if (command === 'public-key') return `${r.verifierKey}\n`
  if (command === 'checkpoint') return r.checkpoint
  if (query.inclusion !== undefined) {
    return `${JSON.stringify({ position: r.position, leafIndex: r.leafIndex, treeSize: r.treeSize, entry: b64(r.entry), leafHash: b64(r.leafHash), proof: r.proof.map(b64), checkpoint: r.checkpoint })}\n`
  }
  return `${JSON.stringify({ from: r.fromSize, to: r.treeSize, proof: r.proof.map(b64), fromCheckpoint: r.fromCheckpoint, checkpoint: r.checkpoint })}\n`
}
