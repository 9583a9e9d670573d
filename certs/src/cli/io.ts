/** ken-pki's connection to the outside: output streams, environment, and result printing. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { errors } from '../errors.ts'

/** What a command may touch besides the file system. */
export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
}

/** A command's result: printed as `key: value` lines, or as JSON with --json. */
export type CliResult = Readonly<Record<string, string | number | boolean | readonly string[] | null>>

/** Print a result. */
export function printResult (io: CliIo, result: CliResult, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(result)}\n`)
    return
  }
  for (const [k, v] of Object.entries(result)) io.out(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}\n`)
}

/** The CA directory used when --ca is not given. */
export const DEFAULT_CA_DIR = 'var/pki/ca'

/** Shared options of every command. */
export const COMMON_OPTIONS = {
  ca: { type: 'string' },
  json: { type: 'boolean' }
} as const satisfies NonNullable<ParseArgsConfig['options']>

/**
 * node:util parseArgs in strict mode, with its errors (unknown option, missing value, stray
 * positional) turned into KEN_ERR_PKI_USAGE.
 */
export function strictArgs<const O extends NonNullable<ParseArgsConfig['options']>> (args: readonly string[], options: O, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[], options: O, strict: true, allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals })
  } catch (err) {
    throw errors.KEN_ERR_PKI_USAGE(err instanceof Error ? err.message : undefined, { cause: err })
  }
}

/** A required string option; KEN_ERR_PKI_USAGE when absent. */
export function required (value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw errors.KEN_ERR_PKI_USAGE(`--${name} is required`, { field: name })
  return value
}

/** A whole number of days, or undefined; KEN_ERR_PKI_BAD_VALIDITY when not one. */
export function days (value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]{1,5}$/.test(value)) throw errors.KEN_ERR_PKI_BAD_VALIDITY(value, { field: 'days' })
  return Number(value)
}
