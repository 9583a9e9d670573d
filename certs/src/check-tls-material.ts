/**
 * What a daemon checks before it swaps TLS material live (SPEC §7, rotation without restart): the
 * certificate is one PEM certificate valid now, for the use the daemon puts it to (EKU serverAuth
 * for a listener, clientAuth for a link that dials out; RFC 5280 §4.2.1.12), and the key is its own;
 * a CA bundle is one or more CA certificates. Each returns why the material is unusable, or
 * undefined — the daemon wraps the reason in its own coded error and keeps the material in force.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto'

const EKU = { server: '1.3.6.1.5.5.7.3.1', client: '1.3.6.1.5.5.7.3.2' } as const
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Why `certPem` (its leaf first, then any chain) and `keyPem` cannot serve as `use`, or undefined. */
export function credentialProblem (certPem: string | Buffer, keyPem: string | Buffer, use: keyof typeof EKU, now = Date.now()): string | undefined {
  let leaf: X509Certificate
  try {
    leaf = new X509Certificate(certPem)
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) return 'the key does not match the certificate'
  } catch {
    return 'not a certificate and key in PEM'
  }
  if (Date.parse(leaf.validFrom) > now || Date.parse(leaf.validTo) < now) return 'the certificate is not valid now'
  // node gives the extended key usages as `keyUsage`; absent means any use (RFC 5280 §4.2.1.12).
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(EKU[use])) return `not a TLS ${use} certificate (EKU)`
  return undefined
}

/** Why `caPem` is not a bundle of CA certificates, or undefined. */
export function caBundleProblem (caPem: string): string | undefined {
  const blocks = caPem.match(PEM_CERTIFICATE) ?? []
  if (blocks.length === 0) return 'no PEM certificate in the CA bundle'
  for (const block of blocks) {
    try {
      if (!new X509Certificate(block).ca) return 'a certificate of the bundle is not a CA certificate'
    } catch {
      return 'a certificate of the bundle does not parse'
    }
  }
  return undefined
}
