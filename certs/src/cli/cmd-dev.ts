/** ken-pki dev: generate the development PKI (what the appliance does at first start). */
import { devPki, DEV_PIN } from '../dev-pki.ts'
import { errors } from '../errors.ts'
import { required, strictArgs, type CliResult } from './io.ts'

/** `dev --out DIR --municipality CODE [--municipality CODE …]` */
export async function cmdDev (args: readonly string[]): Promise<CliResult> {
  const { values } = strictArgs(args, { out: { type: 'string' }, municipality: { type: 'string', multiple: true }, json: { type: 'boolean' } })
  const codes = values.municipality ?? []
  if (codes.length === 0) throw errors.KEN_ERR_PKI_USAGE('--municipality is required', { field: 'municipality' })
  const r = await devPki(required(values.out, 'out'), codes)
  return { dir: r.dir, created: r.created, devPin: `${DEV_PIN} (see README.txt)` }
}
