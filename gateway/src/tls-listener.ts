/**
 * The CS line's TLS endpoint (SPEC §3): TLS 1.3 only, mutual authentication against the
 * prefecture's CA and CRLs. node:tls refuses plaintext, TLS ≤ 1.2, a missing client certificate,
 * unknown CAs, expired, not yet valid and revoked certificates during the handshake. Then, before a
 * single MQTT byte is read, certs/'s verifier runs again on the presented chain (defense in depth:
 * path, validity, key usage, EKU, municipality code, revocation) and the identity is derived.
 *
 * node:tls's `crl` option sets OpenSSL's X509_V_FLAG_CRL_CHECK_ALL: it needs a CRL for every CA of
 * the path — the file carries the issuing CA's and the root's, and the CrlStore hands both over.
 * A CRL past its nextUpdate fails every OpenSSL handshake, so with `crlStale: 'warn'` node:tls gets
 * no CRL and revocation is the verifier's alone (it warns on a stale CRL and still applies it).
 *
 * CRLs reload without restart (SIGHUP, or the CrlStore seeing the file change): the TLS context is
 * replaced for new handshakes and every live link is verified again; refused ones are closed.
 * Connections over the per-source rate are closed before the handshake costs anything.
 */
import { constants as cryptoConstants } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { AddressInfo, Socket } from 'node:net'
import tls, { type TLSSocket } from 'node:tls'
import { credentialProblem } from '../../certs/src/check-tls-material.ts'
import type { CrlStore } from '../../certs/src/crl-store.ts'
import { peerChain } from '../../certs/src/peer-certificate.ts'
import { TLS_POLICY } from '../../certs/src/tls-policy.ts'
import { isKenError, type KenError } from '../../proto/src/ken-error.ts'
import { errors } from './errors.ts'
import { identityOf, type CsIdentity, type PeerVerifier } from './identity.ts'
import { ConnectionRateLimiter } from './limits.ts'
import type { GatewayLogger } from './logger.ts'
import type { GatewayMetrics } from './metrics.ts'

/** The PEM files of the server's side of the link; the CRLs come from the CrlStore. */
export interface PkiFiles {
  readonly caFile: string
  readonly certFile: string
  readonly keyFile: string
}

export interface TlsListenerOptions {
  readonly host: string
  readonly port: number
  readonly files: PkiFiles
  readonly handshakeTimeoutMs: number
  readonly maxConnections: number
  readonly maxConnectionsPerSecond: number
  readonly verifier: PeerVerifier
  /** certs/'s CrlStore: the verifier's CRL source, and node:tls's. */
  readonly crl: CrlStore
  /** Give node:tls the CRLs too ('fail' policy); false leaves revocation to the verifier ('warn'). */
  readonly crlInTls: boolean
  /** A verified CS link, ready for MQTT. */
  readonly onConnection: (socket: TLSSocket, identity: CsIdentity) => void
  readonly log: GatewayLogger
  readonly metrics: GatewayMetrics
}

interface LivePeer {
  readonly identity: CsIdentity
  readonly leaf: Uint8Array
  readonly chain: readonly Uint8Array[]
}

type StaticContext = Pick<tls.SecureContextOptions, 'ca' | 'cert' | 'key'>

export class TlsListener {
  readonly #server: tls.Server
  readonly #opts: TlsListenerOptions
  #static: StaticContext
  readonly #live = new Map<TLSSocket, LivePeer>()
  #applied: string
  readonly #onCrlLoaded = (): void => { void this.#applyCrl() }
  readonly #onCrlRefused = (err: KenError): void => { this.#opts.log.error('gateway.crl.reload_failed', { code: err.code }) }

  private constructor (server: tls.Server, opts: TlsListenerOptions, ctx: StaticContext) {
    this.#server = server
    this.#opts = opts
    this.#static = ctx
    this.#applied = crlKey(opts.crl)
  }

  /** Read the PKI files, listen, and resolve once the port is bound. */
  static async listen (opts: TlsListenerOptions): Promise<TlsListener> {
    const [ca, cert, key] = await Promise.all([opts.files.caFile, opts.files.certFile, opts.files.keyFile].map(async (f) => await readFile(f)))
    const ctx: StaticContext = { ca, cert, key }
    const server = tls.createServer({
      ...secureContext(ctx, opts.crlInTls ? opts.crl.pems : undefined),
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: opts.handshakeTimeoutMs
    })
    server.maxConnections = opts.maxConnections
    const listener = new TlsListener(server, opts, ctx)
    const rate = new ConnectionRateLimiter(opts.maxConnectionsPerSecond)
    server.on('connection', (raw: Socket) => {
      if (rate.admit(raw.remoteAddress ?? '')) return
      opts.metrics.refused(errors.KEN_ERR_GW_CONNECTION_RATE.code)
      opts.log.warn('gateway.connection.rate_limited', { remote: raw.remoteAddress, limit: opts.maxConnectionsPerSecond })
      raw.destroy()
    })
    server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
      opts.metrics.refused(errors.KEN_ERR_GW_TLS_HANDSHAKE.code)
      opts.log.warn('gateway.connection.tls_failed', { remote: socket.remoteAddress, code: errors.KEN_ERR_GW_TLS_HANDSHAKE.code, reason: err.code ?? err.message })
    })
    server.on('secureConnection', (socket: TLSSocket) => { void listener.#admit(socket) })
    opts.crl.on('loaded', listener.#onCrlLoaded)
    opts.crl.on('refused', listener.#onCrlRefused)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return listener
  }

  get port (): number {
    return (this.#server.address() as AddressInfo).port
  }

  /**
   * Load the CRL file again (SIGHUP): the CrlStore verifies it and refuses a bad or rolled-back
   * one (the old CRLs stay in force); then new handshakes use it and live links are checked.
   * @throws the CrlStore's coded error when the new file was refused
   */
  async reloadCrl (): Promise<void> {
    const outcome = await this.#opts.crl.reload()
    if (outcome.status === 'refused') throw outcome.error
    await this.#applyCrl()
  }

  /**
   * Swap the server certificate and key and/or the CA bundle without a restart (SPEC §7): new
   * handshakes use them, links already up are kept until they reconnect. Checked first — a key that
   * does not match, a certificate that is not a server's or not valid now — so a bad rotation
   * leaves the material in force.
   * @throws KEN_ERR_GW_ROTATION_INVALID
   */
  rotate (material: { readonly cert?: string, readonly key?: string, readonly ca?: string }): void {
    const next: StaticContext = { ca: material.ca ?? this.#static.ca, cert: material.cert ?? this.#static.cert, key: material.key ?? this.#static.key }
    checkServerMaterial(next)
    const ctx = secureContext(next, this.#opts.crlInTls ? this.#opts.crl.pems : undefined)
    try {
      tls.createSecureContext(ctx)
    } catch (err) {
      throw errors.KEN_ERR_GW_ROTATION_INVALID((err as { code?: string }).code ?? 'unusable', { cause: err })
    }
    this.#static = next
    this.#server.setSecureContext(ctx)
    this.#opts.log.info('gateway.tls.rotated', { reason: [material.cert === undefined ? '' : 'cert', material.ca === undefined ? '' : 'ca'].filter((s) => s !== '').join(','), count: this.#live.size })
  }

  /** Stop accepting and close every live link. */
  async close (): Promise<void> {
    this.#opts.crl.off('loaded', this.#onCrlLoaded)
    this.#opts.crl.off('refused', this.#onCrlRefused)
    const closed = new Promise<void>((resolve) => this.#server.close(() => { resolve() }))
    for (const socket of this.#live.keys()) socket.destroy()
    await closed
  }

  /** Put the CRLs now in force into the TLS context and verify every live link again (once per set). */
  async #applyCrl (): Promise<void> {
    const key = crlKey(this.#opts.crl)
    if (key === this.#applied) return
    this.#applied = key
    if (this.#opts.crlInTls) this.#server.setSecureContext(secureContext(this.#static, this.#opts.crl.pems))
    this.#opts.log.info('gateway.crl.reloaded', { count: this.#opts.crl.current().reduce((n, c) => n + c.revoked.size, 0) })
    for (const [socket, peer] of this.#live) {
      try {
        await this.#opts.verifier.verify(peer.leaf, peer.chain)
      } catch (err) {
        this.#opts.metrics.refused(codeOf(err) ?? errors.KEN_ERR_GW_PEER_REFUSED.code)
        this.#opts.log.warn('gateway.connection.revoked', { municipality: peer.identity.municipalityCode, serial: peer.identity.serialHex, code: codeOf(err) })
        socket.destroy()
      }
    }
  }

  async #admit (socket: TLSSocket): Promise<void> {
    const { log, metrics } = this.#opts
    let peer: LivePeer
    try {
      const { leafDer, chainDer } = peerChain(socket.getPeerCertificate(true))
      const verified = await this.#opts.verifier.verify(leafDer, chainDer)
      peer = { identity: identityOf(verified), leaf: leafDer, chain: chainDer }
    } catch (err) {
      const code = codeOf(err) ?? errors.KEN_ERR_GW_PEER_REFUSED.code
      metrics.refused(code)
      log.warn('gateway.connection.refused', { remote: socket.remoteAddress, code })
      socket.destroy()
      return
    }
    if (socket.destroyed) return
    this.#live.set(socket, peer)
    socket.once('close', () => this.#live.delete(socket))
    socket.setNoDelay(true)
    socket.setKeepAlive(true, 30_000)
    log.info('gateway.connection.accepted', { municipality: peer.identity.municipalityCode, serial: peer.identity.serialHex, remote: socket.remoteAddress })
    this.#opts.onConnection(socket, peer.identity)
  }
}

/**
 * Everything of the secure context — setSecureContext replaces all of it on a CRL reload, so the
 * protocol bounds must be here, not only in createServer, or a reload would let TLS 1.2 back in.
 */
function secureContext (ctx: StaticContext, crls: string[] | undefined): tls.SecureContextOptions {
  return {
    ...ctx,
    ...(crls === undefined ? {} : { crl: crls }),
    ...TLS_POLICY,
    // No session resumption: every link makes a full handshake and meets today's CRLs.
    secureOptions: cryptoConstants.SSL_OP_NO_TICKET
  }
}

/** The certificate is a server's, valid now, and the key is its own. @throws KEN_ERR_GW_ROTATION_INVALID */
function checkServerMaterial (ctx: StaticContext): void {
  const pem = (v: StaticContext['cert']): string | Buffer => typeof v === 'string' || Buffer.isBuffer(v) ? v : ''
  const problem = credentialProblem(pem(ctx.cert), pem(ctx.key as StaticContext['cert']), 'server')
  if (problem !== undefined) throw errors.KEN_ERR_GW_ROTATION_INVALID(problem)
}

function crlKey (crl: CrlStore): string {
  return crl.current().map((c) => c.sha256).join(',')
}

function codeOf (err: unknown): string | undefined {
  return isKenError(err) ? err.code : undefined
}
