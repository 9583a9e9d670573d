#!/usr/bin/env node
// ken-store under tsx's ESM hooks, unlike the other daemons' bins (tsx's CommonJS hook, gateway/bin/ken-gateway.js):
// the hooks' thread costs ~30 MB of RSS (idle after open: RssAnon 72–78 MB by the CommonJS hook against 98–105 MB),
// but the CommonJS form reads every binding imported from another module through an export getter
// (esbuild's CommonJS output), and on the store's commit path that cost CPU: bench/ingest-ken.ts --batch 64,
// 3 alternating pairs, store main thread 37.6–40.1 → 40.0–41.5 µs per update, all threads 80.4–84.7 →
// 83.4–86.0 (bench/results/2026-12-01-session14-lead-ab.txt). SPEC §8: the store's RSS is within its 1 GB
// (830 MB at 5.1 M), its CPU per update is not yet within issue 18's target. ken-store's CLI loads its
// commands' modules with import(), which only the ESM hooks serve for .ts files.
import { register } from 'tsx/esm/api'
register()
await import('../src/cli/ken-store.ts')
