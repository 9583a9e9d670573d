/**
 * ken-pki's dispatcher: pick the command, run it, print its result, map errors to exit codes
 * (0 success, 1 refused or failed, 2 usage). Errors print their code first, so scripts and
 * technicians can act on `KEN_ERR_…` without parsing prose.
 */
import { isKenError } from '../../../proto/src/ken-error.ts'
import { errors } from '../errors.ts'
import { USAGE } from './usage.ts'
import { printResult, type CliIo, type CliResult } from './io.ts'
import { cmdCrl, cmdInit, cmdRevoke } from './cmd-ca.ts'
import { cmdIssue } from './cmd-issue.ts'
import { cmdVerify } from './cmd-verify.ts'
import { cmdDev } from './cmd-dev.ts'

type Command = (args: readonly string[], io: CliIo) => Promise<CliResult>

/** The commands, by name. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  init: cmdInit,
  issue: cmdIssue,
  revoke: cmdRevoke,
  crl: cmdCrl,
  verify: cmdVerify,
  dev: cmdDev
}

/** Run ken-pki with `argv` (without node and the script); resolves to the exit status. */
export async function runKenPki (argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === 'help' || rest.includes('--help')) {
    io.out(USAGE)
    return name === undefined ? 2 : 0
  }
  const json = rest.includes('--json')
  try {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
    if (command === undefined) throw errors.KEN_ERR_PKI_USAGE(`unknown command ${name}`)
    const result = await command(rest, io)
    printResult(io, result, json)
    return result.acceptable === false ? 1 : 0
  } catch (err) {
    if (!isKenError(err)) throw err
    if (json) io.out(`${JSON.stringify({ error: err.code, message: err.message, field: err.field ?? null })}\n`)
    io.err(`ken-pki: ${err.code}: ${err.message}\n`)
    if (err.code === errors.KEN_ERR_PKI_USAGE.code) {
      io.err(USAGE)
      return 2
    }
    return 1
  }
}
