#!/usr/bin/env node
import { register } from 'tsx/esm/api'
register()
await import('../src/national/cli/ken-national.ts')
