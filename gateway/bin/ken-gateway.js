#!/usr/bin/env node
// ken-gateway through tsx's CommonJS hook, which compiles each module in this thread. tsx's ESM hooks
// (module.register) run, on Node 20, in a thread of their own with its own V8 isolate: ~41 MB of RSS
// for the process's whole life (a bare script: 42 MB with plain node, 50 MB with tsx's CommonJS hook,
// 91 MB with --import tsx), against SPEC §8's "gateway RSS under 200 MB with 60 connections".
// The gateway's modules have no top-level await, which the CommonJS form cannot compile
// (tests/protocol/gateway/cli.test.ts starts this file).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
require('tsx/cjs/api').register()
require('../src/cli/ken-gateway.ts')
