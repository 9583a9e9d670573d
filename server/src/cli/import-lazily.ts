/**
 * A module of this package loaded when a command first needs it (ken-store.ts: `verify` and the other
 * one-shot commands do not pay for the modules they do not run), under either of tsx's loaders:
 *   - the bins (server/bin/*.js) register tsx's CommonJS hook, which compiles each module to CommonJS in
 *     the process's own thread: Node 20 runs tsx's ESM hooks (module.register) in a thread of their own
 *     with its own V8 isolate, ~41 MB of RSS for the process's whole life (issue 18: store RSS < 1 GB,
 *     gateway < 200 MB; gateway/bin/ken-gateway.js). There a dynamic import() goes to Node's ESM loader,
 *     which knows no .ts file (ERR_UNKNOWN_FILE_EXTENSION): the module is required.
 *   - `node --import tsx` (the tests, `npm start`'s supervisor) loads modules as ESM: there a require of
 *     the same file would load a second copy of it (its own classes, its own state), so it is imported.
 * The module's form tells which: `require` exists in a CommonJS module only.
 */
import { fileURLToPath } from 'node:url'

export async function importLazily<T> (url: URL): Promise<T> {
  if (typeof require === 'function') return require(fileURLToPath(url)) as T
  return await import(url.href) as T
}
