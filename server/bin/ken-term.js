#!/usr/bin/env node
import { register } from 'tsx/esm/api'
register()
const { run } = await import('../src/terminal/cli/ken-term.ts')
run(process.argv.slice(2)).then(({ code, out }) => {
  process.stdout.write(`${JSON.stringify(out)}\n`)
  process.exit(code)
}, (err) => {
  process.stderr.write(`ken-term: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(2)
})
