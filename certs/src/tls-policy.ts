/**
 * The TLS policy of every listener of the appliance (gateway, terminal, maintenance; SPEC §3, §7):
 * TLS 1.3 only, and only the key-exchange groups X25519, P-256 and P-384. Without `ecdhCurve`
 * OpenSSL 3 also offers the finite-field groups (ffdhe2048 is a 112-bit group, below the 128-bit
 * level of the rest of the suite; testssl/sslscan reported it on the gateway, issue 16).
 *
 * Spread it into every SecureContextOptions — also those given to `setSecureContext`, which
 * replaces the whole context: a rotation that forgot it would let the old defaults back in.
 */
import type { SecureContextOptions } from 'node:tls'

/** The groups, in OpenSSL's list syntax (SSL_CTX_set1_groups_list), most preferred first. */
export const TLS_GROUPS = 'X25519:P-256:P-384'

/** The protocol bounds and groups every server context of the appliance carries. */
export const TLS_POLICY: Readonly<Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ecdhCurve'>> = Object.freeze({
  minVersion: 'TLSv1.3',
  maxVersion: 'TLSv1.3',
  ecdhCurve: TLS_GROUPS
})
