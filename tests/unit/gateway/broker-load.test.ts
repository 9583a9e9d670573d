// How the gateway loads aedes (broker.ts): by Node's own ES module loader, not compiled by tsx's
// CommonJS hook, which the daemon runs under (gateway/bin/ken-gateway.js). tsx compiles what passes
// through `require` with esbuild's keepNames, and the `__name` call it puts on each named closure
// cost the gateway ~5 % of its CPU at single updates (bench/results/2026-12-01-session14-gw9-ab.txt).
import t from 'tap'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

t.test('under tsx\'s CommonJS hook, as the daemon runs, its modules and the broker run aedes as Node loaded it, not compiled by tsx', async (t) => {
  // The same hook as gateway/bin/ken-gateway.js, then a broker; what tsx compiled is in require.cache.
  const script = `
    require('tsx/cjs/api').register()
    // Every module of the daemon (cli/ken-gateway.ts loads daemon.ts): none may require aedes either.
    require(${JSON.stringify(path.join(root, 'gateway/src/daemon.ts'))})
    const { createBroker } = require(${JSON.stringify(path.join(root, 'gateway/src/broker.ts'))})
    const { createLogger } = require(${JSON.stringify(path.join(root, 'gateway/src/logger.ts'))})
    const { GatewayMetrics } = require(${JSON.stringify(path.join(root, 'gateway/src/metrics.ts'))})
    createBroker({
      ingest: async () => { throw new Error('not called') },
      connectTimeoutMs: 1000, maxInflightPerCs: 8, maxBatchUpdates: 8,
      keepalive: { minSeconds: 5, maxSeconds: 300 },
      log: createLogger(require('pino')({ level: 'silent' })), metrics: new GatewayMetrics()
    }).then((broker) => {
      const compiled = Object.keys(require.cache).filter((f) => f.includes('/node_modules/aedes/'))
      process.stdout.write(JSON.stringify({ compiled, broker: typeof broker.handle }))
      broker.close(() => {})
    })
  `
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 })) as { compiled: string[], broker: string }
  t.equal(out.broker, 'function', 'a working aedes broker')
  t.same(out.compiled.filter((f) => f.endsWith('.js')), [], 'no aedes module went through tsx (require)')
})
