#!/usr/bin/env node
// ken-terminal through tsx's CommonJS hook, which compiles each module in this thread, not under tsx's ESM hooks
// and the thread of their own they take on Node 20 (~41 MB of RSS: gateway/bin/ken-gateway.js says how
// it was measured). Not ken-store (server/bin/ken-store.js says why).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
require('tsx/cjs/api').register()
require('../src/terminal/cli/ken-terminal.ts')
