/**
 * The dedicated line between a CS and the gateway, as a TCP relay on 127.0.0.1 that the test can cut
 * at a chosen moment. TLS stays end to end (the relay sees only ciphertext), so "cut before the
 * PUBACK arrives" is done by timing: once armed, the next bytes the gateway sends — after the CS's
 * CONNACK and SUBACK, that is the answer to the PUBLISH sent after arming — are dropped and both
 * ends of the connection are destroyed. The gateway sends a PUBACK only after the store committed
 * (SPEC §3), so the update is then committed but never acknowledged to the CS.
 */
import net from 'node:net'

export class CuttableLine {
  readonly port: number
  readonly #server: net.Server
  readonly #pairs = new Set<readonly [net.Socket, net.Socket]>()
  #armed: (() => void) | undefined

  private constructor (server: net.Server, port: number) {
    this.#server = server
    this.port = port
  }

  /** Relay 127.0.0.1:<free port> → 127.0.0.1:`target`. */
  static async open (target: number): Promise<CuttableLine> {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const line = new CuttableLine(server, (server.address() as net.AddressInfo).port)
    server.on('connection', (cs) => { line.#relay(cs, target) })
    return line
  }

  /** Resolves once the gateway's next bytes arrived, were dropped, and the connection was cut. */
  async cutOnNextAnswer (): Promise<void> {
    await new Promise<void>((resolve) => { this.#armed = resolve })
  }

  async close (): Promise<void> {
    for (const [a, b] of this.#pairs) { a.destroy(); b.destroy() }
    await new Promise<void>((resolve) => this.#server.close(() => { resolve() }))
  }

  #relay (cs: net.Socket, target: number): void {
    const gw = net.connect(target, '127.0.0.1')
    const pair = [cs, gw] as const
    this.#pairs.add(pair)
    const end = (): void => { cs.destroy(); gw.destroy(); this.#pairs.delete(pair) }
    cs.on('data', (chunk: Buffer) => { gw.write(chunk) })
    gw.on('data', (chunk: Buffer) => {
      const armed = this.#armed
      if (armed === undefined) {
        cs.write(chunk)
        return
      }
      this.#armed = undefined
      end()
      armed()
    })
    for (const s of pair) {
      s.on('error', end)
      s.on('close', end)
    }
  }
}
