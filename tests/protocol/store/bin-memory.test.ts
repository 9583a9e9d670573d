/**
 * The store daemon's bin compiles its modules in its own thread (tsx's CommonJS hook,
 * server/bin/ken-store.js), not under tsx's ESM hooks, which take a thread of their own with a V8
 * isolate on Node 20 for the process's whole life (issue 18: store RSS < 1 GB at 5.1 M; measured idle
 * after open: RssAnon 72–78 MB by the bin against 98–105 MB with --import tsx, 3 runs each).
 * Its commands' modules still load when first used (server/src/cli/import-lazily.ts).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DAEMON_MALLOC_ENV } from '../../../server/src/appliance/malloc-env.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { spawnDaemon } from './daemon-process.ts'

const MiB = 1024 * 1024

function rssAnon (pid: number | undefined): number {
  const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 0}/status`, 'utf8'))?.[1]
  return Number(kb) * 1024
}

t.test('ken-store serve from its bin: no tsx ESM hooks thread and its isolate', async (t) => {
  // tap passes its own --import (a loader with hooks of its own) to child processes in NODE_OPTIONS;
  // the appliance starts the store without it (firmware-config/systemd/ken-store.service), and with
  // the daemons' malloc settings (server/src/appliance/malloc-env.ts).
  const { NODE_OPTIONS: _tapOptions, ...inherited } = process.env
  const env = { ...inherited, ...DAEMON_MALLOC_ENV }
  const dir = tempDir(t, 'ken-store-bin-')
  const anonWhenReady = async (name: string, argv: readonly string[]): Promise<number> => {
    const paths = { dbPath: path.join(dir, name, 'db'), socketPath: path.join(dir, `${name}.sock`), keyFile: path.join(dir, `${name}.key`) }
    const daemon = await spawnDaemon(paths, 60_000, { argv, env })
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      return rssAnon(daemon.child.pid)
    } finally {
      daemon.child.kill('SIGTERM')
      t.equal(await daemon.exited, 0, `${name}: SIGTERM, clean exit`)
    }
  }
  const viaBin = await anonWhenReady('bin', ['server/bin/ken-store.js'])
  const viaEsmHooks = await anonWhenReady('esm', ['--import', 'tsx', 'server/src/cli/ken-store.ts'])
  t.ok(viaBin + 15 * MiB < viaEsmHooks, `anonymous memory when ready: bin ${Math.round(viaBin / MiB)} MB, --import tsx ${Math.round(viaEsmHooks / MiB)} MB`)
})
