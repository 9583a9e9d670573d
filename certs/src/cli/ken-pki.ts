/** Entry point of the ken-pki command (certs/bin/ken-pki.js loads this through tsx). */
import { runKenPki } from './main.ts'

process.exitCode = await runKenPki(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env
})
