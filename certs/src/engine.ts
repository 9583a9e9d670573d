/**
 * The one pkijs crypto engine certs/ uses: pkijs's CryptoEngine over node's WebCrypto. Every
 * sign/verify call passes it explicitly, so nothing depends on a global another package may set;
 * it is also registered with `setEngine` for pkijs internals that look the engine up themselves.
 */
import { webcrypto } from 'node:crypto'
import { CryptoEngine, setEngine } from 'pkijs'

/** node's WebCrypto, typed from node's own declarations. */
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle

/** The pkijs engine over node's WebCrypto. */
export const engine = new CryptoEngine({ name: 'ken-node-webcrypto', crypto: webcrypto })

setEngine('ken-node-webcrypto', engine)
