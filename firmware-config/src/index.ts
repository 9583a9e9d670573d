/** firmware-config: the appliance's configuration — schema, hardened defaults, loader, municipalities. */
export { loadConfig, envOverrides, ENV_PREFIX, type Config, type LoadOptions } from './load.ts'
export { DEFAULTS, FUKUOKA_MUNICIPALITIES_FILE } from './defaults.ts'
export { configSchema, HINTS, LOG_LEVELS, isLoopback, type ParsedConfig } from './schema.ts'
export { errors } from './errors.ts'
export { resolvePaths, type ResolvedPaths } from './paths.ts'
export {
  loadMunicipalities,
  checkMunicipalities,
  municipalitySchema,
  municipalityFileSchema,
  MUNICIPALITY_KINDS,
  type Municipality,
  type MunicipalityFile,
  type MunicipalityKind,
  type Ward
} from './municipalities.ts'
export { deepFreeze, deepMerge, type DeepReadonly } from './deep.ts'
