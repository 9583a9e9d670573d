/**
 * Who is asking (SPEC §7, sources D2, D3): every request comes over mutual TLS with a technician's
 * certificate from the prefecture's CA. node:tls checks the chain and the CRL in the handshake;
 * then, before any route runs, certs/'s verifier checks it again and reads the technician's id and
 * role — only the role `technician` is admitted. The first request of each TLS connection is
 * recorded as the technician's login.
 */
import type { TLSSocket } from 'node:tls'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { peerChain } from '../../../certs/src/peer-certificate.ts'
import type { Verifier } from '../../../certs/src/verifier.ts'
import { errors } from './errors.ts'
import type { Daemons } from './daemons.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The technician's id from the verified client certificate. */
    technician: string
  }
}

export function technicianAuth (app: FastifyInstance, verifier: Verifier<'operator'>, daemons: Daemons): void {
  const loggedIn = new WeakSet<TLSSocket>()
  app.decorateRequest('technician', '')
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const socket = request.raw.socket as TLSSocket
    let id: string
    try {
      const { leafDer, chainDer } = peerChain(socket.getPeerCertificate(true))
      id = (await verifier.verify(leafDer, chainDer)).id
    } catch (err) {
      throw errors.KEN_ERR_MAINT_NOT_TECHNICIAN(undefined, { cause: err })
    }
    request.technician = id
    if (!loggedIn.has(socket)) {
      loggedIn.add(socket)
      await daemons.recordAct(id, 'maint.login', { note: 'ken-maint, mutual TLS' })
      request.log.info({ event: 'maint.login', technician: id }, 'technician signed in')
    }
  })
}
