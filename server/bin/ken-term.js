#!/usr/bin/env node
// Through tsx's CommonJS hook, as the daemons' bins (server/bin/ken-store.js).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
require('tsx/cjs/api').register()
const { run } = require('../src/terminal/cli/ken-term.ts')
run(process.argv.slice(2)).then(({ code, out }) => {
  process.stdout.write(`${JSON.stringify(out)}\n`)
  process.exit(code)
}, (err) => {
  process.stderr.write(`ken-term: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(2)
})
