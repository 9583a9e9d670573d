/**
 * Loads the `.proto` files (the source of truth of the wire contract) once, with protobufjs.
 * 64-bit integers decode to JS numbers: 更新順番号 and log positions stay far below 2^53.
 */
import protobuf from 'protobufjs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

// Without Long, protobufjs represents (u)int64 as numbers; the codec rejects values above 2^53.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long
protobuf.configure()

const protoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Every file of wire contract v1. */
export const PROTO_FILES = ['common', 'update', 'result', 'reconcile', 'national', 'store', 'log', 'batch', 'transparency', 'outbox', 'reconcile_socket', 'maint', 'terminal_deletion', 'disclosure', 'correction', 'terminal_reports', 'terminal'].map((f) => `ken/v1/${f}.proto`)

function load (): protobuf.Root {
  const root = new protobuf.Root()
  root.resolvePath = (_origin, target) => path.join(protoDir, target)
  root.loadSync(PROTO_FILES, { keepCase: false })
  root.resolveAll()
  return root
}

/** The resolved protobuf root of ken.v1. */
export const root: protobuf.Root = load()

const typeCache = new Map<string, protobuf.Type>()

/**
 * Look up a message type of ken.v1 by its short name (memoised: the codecs call this per message);
 * throws if the contract has no such type.
 */
export function messageType (name: string): protobuf.Type {
  let type = typeCache.get(name)
  if (type === undefined) {
    type = root.lookupType(`ken.v1.${name}`)
    typeCache.set(name, type)
  }
  return type
}

/** Look up an enum of ken.v1 by its short name. */
export function enumType (name: string): protobuf.Enum {
  return root.lookupEnum(`ken.v1.${name}`)
}
