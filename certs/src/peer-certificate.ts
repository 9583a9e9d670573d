/**
 * Bridge from node:tls: the DER of the peer's certificate and of the chain node built for it,
 * from `socket.getPeerCertificate(true)`. node links each certificate to its issuer through
 * `issuerCertificate`, and a self-signed root links to itself.
 */
import type { DetailedPeerCertificate } from 'node:tls'
import { errors } from './errors.ts'

/** The leaf and the issuer chain of a TLS peer, as DER. */
export interface PeerChain {
  readonly leafDer: Uint8Array
  readonly chainDer: readonly Uint8Array[]
}

/** Read `getPeerCertificate(true)`; KEN_ERR_CERT_MALFORMED when the peer sent no certificate. */
export function peerChain (peer: DetailedPeerCertificate | Record<string, never>): PeerChain {
  if (!('raw' in peer) || !Buffer.isBuffer(peer.raw) || peer.raw.length === 0) throw errors.KEN_ERR_CERT_MALFORMED('the peer sent no certificate')
  const chainDer: Uint8Array[] = []
  const seen = new Set<string>([peer.fingerprint256])
  let next: DetailedPeerCertificate | undefined = peer.issuerCertificate
  while (next !== undefined && Buffer.isBuffer(next.raw) && !seen.has(next.fingerprint256) && chainDer.length < 8) {
    seen.add(next.fingerprint256)
    chainDer.push(new Uint8Array(next.raw))
    next = next.issuerCertificate
  }
  return { leafDer: new Uint8Array(peer.raw), chainDer }
}
