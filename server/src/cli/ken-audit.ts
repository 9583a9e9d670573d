/**
 * ken-audit — for an auditor (or a municipality) with nothing but the log's verifier key
 * (`ken-store public-key`): checks what the appliance hands out, with the verifier code of
 * server/src/log/ only — it never opens a store.
 *
 *   ken-audit checkpoint  --key KEY --checkpoint FILE             the signature and body
 *   ken-audit inclusion   --key KEY --proof FILE                  a `ken-store prove --position` answer
 *   ken-audit consistency --key KEY --old FILE --proof FILE       a `ken-store prove --from M` answer: its
 *                                                                 newer checkpoint extends the one kept in --old
 *
 * KEY is the verifier key line, or @FILE holding it. FILE may be - for stdin. Output: one JSON object
 * { ok, step, reason, size } on stdout; exit 0 when it holds, 1 when it does not (the reason named),
 * 2 on usage errors.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { parseVerifierKey, type NoteVerifier } from '../log/checkpoint/index.ts'
import { auditCheckpoint, auditConsistency, auditInclusion, type AuditVerdict } from '../log/audit.ts'
import type { Checkpoint } from '../log/checkpoint/index.ts'

const USAGE = 'usage: ken-audit checkpoint --key KEY --checkpoint FILE | inclusion --key KEY --proof FILE | consistency --key KEY --old FILE --proof FILE'

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).transform((s) => Buffer.from(s, 'base64'))
const inclusionSchema = z.object({ position: z.number().int(), leafIndex: z.number().int().min(0), treeSize: z.number().int().min(1), entry: b64.optional(), leafHash: b64, proof: z.array(b64), checkpoint: z.string() }).strict()
const consistencySchema = z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(b64), fromCheckpoint: z.string(), checkpoint: z.string() }).strict()

function read (file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8')
}

function main (argv: string[]): number {
  const [command, ...rest] = argv
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({ args: rest, strict: true, options: { key: { type: 'string' }, checkpoint: { type: 'string' }, proof: { type: 'string' }, old: { type: 'string' } } }).values
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.key === undefined) return usage('--key is required')
  let verifier: NoteVerifier
  try {
    verifier = parseVerifierKey(values.key.startsWith('@') ? read(values.key.slice(1)) : values.key)
  } catch (err) {
    return usage(`--key: ${(err as Error).message}`)
  }
  try {
    switch (command) {
      case 'checkpoint':
        if (values.checkpoint === undefined) return usage('checkpoint needs --checkpoint FILE')
        return report(auditCheckpoint(read(values.checkpoint), verifier))
      case 'inclusion': {
        if (values.proof === undefined) return usage('inclusion needs --proof FILE')
        const p = inclusionSchema.parse(JSON.parse(read(values.proof)))
        return report(auditInclusion({ checkpoint: p.checkpoint, leafIndex: p.leafIndex, treeSize: p.treeSize, proof: p.proof, leafHash: p.leafHash, ...(p.entry === undefined ? {} : { entry: p.entry }) }, verifier))
      }
      case 'consistency': {
        if (values.proof === undefined || values.old === undefined) return usage('consistency needs --old FILE --proof FILE')
        const p = consistencySchema.parse(JSON.parse(read(values.proof)))
        // The older checkpoint is the one the auditor kept, never the copy inside the answer.
        return report(auditConsistency(read(values.old), p.checkpoint, p.proof, verifier))
      }
      default:
        return usage(`unknown command ${command ?? ''}`)
    }
  } catch (err) {
    return usage(`unreadable input: ${(err as Error).message}`)
  }
}

function report (verdict: AuditVerdict<Checkpoint>): number {
  const out = verdict.ok ? { ok: true, size: verdict.value.size, root: verdict.value.root.toString('base64') } : { ok: false, step: verdict.step, reason: verdict.reason }
  process.stdout.write(`${JSON.stringify(out)}\n`)
  return verdict.ok ? 0 : 1
}

function usage (why: string): number {
  process.stderr.write(`${why}\n${USAGE}\n`)
  return 2
}

process.exitCode = main(process.argv.slice(2))
