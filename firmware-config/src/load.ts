/**
 * `loadConfig`: the one place the appliance's configuration is read and validated, at start-up.
 * Order of precedence: DEFAULTS < the file (or object) < `KEN__section__key` environment variables.
 * The result is deep-frozen; nothing downstream re-validates or mutates it.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULTS } from './defaults.ts'
import { deepFreeze, deepMerge, type DeepReadonly } from './deep.ts'
import { errors } from './errors.ts'
import { formatIssues, type Problem, renderProblem } from './issues.ts'
import { loadMunicipalities, type Municipality } from './municipalities.ts'
import { configSchema, HINTS, type ParsedConfig } from './schema.ts'

/** The validated configuration, with the municipality list resolved. */
export type Config = DeepReadonly<Omit<ParsedConfig, 'prefecture'> & {
  prefecture: {
    code: string
    name: string
    /** The file the list came from (absolute), or "inline". */
    municipalitiesSource: string
    municipalities: Municipality[]
  }
}>

export interface LoadOptions {
  /** Environment to read `KEN__<section>__<key>` overrides from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Base of a relative municipality file path when the input is an object; default the working directory. */
  baseDir?: string
}

/** The prefix of environment overrides: `KEN__gateway__port=9883`, `KEN__gateway__keepalive__maxSeconds=60`. */
export const ENV_PREFIX = 'KEN__'

/**
 * Read a JSON configuration file (or take an object), merge it over {@link DEFAULTS} and the
 * environment overrides, validate once, read the municipality list, and deep-freeze the result.
 * @throws KenError KEN_ERR_CONFIG_UNREADABLE (file), KEN_ERR_CONFIG_INVALID (every offending key
 *   named with the fix, one per line), KEN_ERR_MUNICIPALITIES_INVALID (the list file)
 */
export function loadConfig (pathOrObject: string | Readonly<Record<string, unknown>>, options: LoadOptions = {}): Config {
  const fromFile = typeof pathOrObject === 'string'
  const input = fromFile ? readJson(pathOrObject) : pathOrObject
  const baseDir = fromFile ? path.dirname(path.resolve(pathOrObject)) : options.baseDir ?? process.cwd()
  const merged = deepMerge(deepMerge(DEFAULTS, input), envOverrides(options.env ?? process.env))
  const parsed = configSchema.safeParse(merged)
  if (!parsed.success) throw invalid(formatIssues(parsed.error, merged, configSchema, HINTS))
  const { prefecture, ...rest } = parsed.data
  let municipalities: Municipality[]
  let municipalitiesSource = 'inline'
  if (typeof prefecture.municipalities === 'string') {
    municipalitiesSource = path.resolve(baseDir, prefecture.municipalities)
    const file = loadMunicipalities(municipalitiesSource, { prefectureCode: prefecture.code })
    municipalities = [...file.municipalities]
  } else {
    municipalities = prefecture.municipalities
  }
  return deepFreeze({ ...rest, prefecture: { code: prefecture.code, name: prefecture.name, municipalitiesSource, municipalities } })
}

function readJson (file: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw errors.KEN_ERR_CONFIG_UNREADABLE(`${file}: ${(err as Error).message}`, { cause: err })
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.KEN_ERR_CONFIG_UNREADABLE(`${file}: the top level must be a JSON object`)
  }
  return value as Record<string, unknown>
}

/**
 * `KEN__a__b=v` becomes `{ a: { b: v } }`; v is read as JSON when it parses (numbers, booleans,
 * lists) and as a string otherwise. Names are case-sensitive, like the keys of the file.
 */
export function envOverrides (env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  let out: unknown = {}
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue
    const keys = name.slice(ENV_PREFIX.length).split('__')
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      value = raw
    }
    out = deepMerge(out, keys.reduceRight<unknown>((v, k) => Object.defineProperty({}, k, { value: v, enumerable: true, writable: true, configurable: true }), value))
  }
  return out as Record<string, unknown>
}

function invalid (problems: readonly Problem[]): Error {
  return errors.KEN_ERR_CONFIG_INVALID(`\n  ${problems.map(renderProblem).join('\n  ')}`, { field: problems[0]?.path })
}
