/**
 * Keys of a space as its database holds them: abstract-level's sublevel prefix (`!space!`) ‖ the key
 * (abstract-level lib/abstract-sublevel.js prefixKey). The store reads and writes the databases with
 * the prefix put on itself (level-batch.ts writes it into the batch), not through a sublevel: a
 * sublevel's getMany joins the prefix to each key in a Buffer of its own and then passes the keys
 * through the database's getMany again (~380 B per update on the commit path, issue 18).
 */

/** `keys` each under `prefix`, written once into one buffer: the keys are views of it. */
export function prefixedKeys (prefix: Uint8Array, keys: readonly Uint8Array[]): Buffer[] {
  let size = 0
  for (const key of keys) size += prefix.length + key.length
  const bytes = Buffer.allocUnsafe(size)
  const out = new Array<Buffer>(keys.length)
  let at = 0
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as Uint8Array
    const start = at
    bytes.set(prefix, at)
    at += prefix.length
    bytes.set(key, at)
    at += key.length
    out[i] = bytes.subarray(start, at)
  }
  return out
}
