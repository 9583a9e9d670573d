/**
 * The bare broker baseline (issue 6 §5): aedes over node:tls (TLS 1.3, mutual auth) with no
 * validation, no storage and no authorisation hooks — the cost of MQTT over TLS in Node on this
 * machine, against which the gateway's own work can be read. Run as its own process:
 *   node --import tsx bench/bare-aedes.ts PORT CA CERT KEY
 */
import { Aedes } from 'aedes'
import { readFileSync } from 'node:fs'
import tls from 'node:tls'

const [port, ca, cert, key] = process.argv.slice(2)
if (port === undefined || ca === undefined || cert === undefined || key === undefined) {
  process.stderr.write('usage: bare-aedes.ts PORT CA CERT KEY\n')
  process.exit(2)
}
const broker = await Aedes.createBroker()
const server = tls.createServer({
  ca: readFileSync(ca),
  cert: readFileSync(cert),
  key: readFileSync(key),
  requestCert: true,
  rejectUnauthorized: true,
  minVersion: 'TLSv1.3'
}, (socket) => broker.handle(socket))
server.listen(Number(port), '127.0.0.1')
process.on('SIGTERM', () => {
  server.close()
  broker.close(() => process.exit(0))
})
