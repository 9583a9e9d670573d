/**
 * ken-national (SPEC §1.1, §5.1): its own unprivileged process between the store's outbox socket and
 * the national server. It may read the outbox in order, confirm delivery, and relay the queries the
 * store asks for — nothing else of the store is reachable to it. `lag()` is what the metrics read;
 * with `statusFile` the same JSON is written there (atomically) for the live view.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { Forwarder, type NationalLag } from './forwarder.ts'
import { NationalLink } from './national-link.ts'
import { OutboxClient } from './outbox-client.ts'
import { nationalLogger, type NationalLogger } from './logger.ts'
import { parseNationalOptions, type NationalInput } from './options.ts'
import { NationalMetrics } from './maint/national-metrics.ts'
import { rotateNationalTls, startNationalMaint } from './maint/national-maint.ts'
import type { TlsMaterial } from '../../../proto/src/types.ts'
import type { MaintSocket } from '../store/maint-socket.ts'

export interface NationalDaemon {
  /** Outbox lag and link state (no personal data). */
  lag: () => NationalLag
  readonly metrics: NationalMetrics
  /** New client credential and/or national CA for the next connection (also on the maintenance socket). @throws KEN_ERR_NATIONAL_ROTATION_INVALID */
  rotateTls: (material: Partial<TlsMaterial>) => void
  close: () => Promise<void>
}

export interface NationalDaemonDeps {
  readonly logger?: NationalLogger
}

/** Start ken-national. @throws KEN_ERR_NATIONAL_INVALID_OPTIONS, or the error reading a credential file */
export async function startNationalDaemon (input: NationalInput, deps: NationalDaemonDeps = {}): Promise<NationalDaemon> {
  const o = parseNationalOptions(input)
  const log = deps.logger ?? nationalLogger()
  const [ca, cert, key] = await Promise.all([o.caFile, o.certFile, o.keyFile].map(async (f) => await readFile(f)))
  const link = new NationalLink({
    url: o.nationalUrl,
    prefectureCode: o.prefectureCode,
    ca: ca as Buffer,
    cert: cert as Buffer,
    key: key as Buffer,
    reconnectMinMs: o.reconnectMinMs,
    reconnectMaxMs: o.reconnectMaxMs,
    connectTimeoutMs: o.connectTimeoutMs,
    keepaliveSeconds: o.keepaliveSeconds
  }, log)
  const forwarder = new Forwarder(link, log, {
    window: o.window,
    batch: o.batch,
    readWaitMs: o.readWaitMs,
    reconnectMinMs: o.reconnectMinMs,
    reconnectMaxMs: o.reconnectMaxMs,
    queryTimeoutMs: o.queryTimeoutMs,
    connectOutbox: async () => await OutboxClient.connect(o.outboxSocketPath)
  })
  const metrics = new NationalMetrics(() => forwarder.lag())
  const rotate = (next: Parameters<NationalLink['rotate']>[0]): void => { link.rotate(next) }
  const maint: MaintSocket | undefined = o.maintSocket === undefined ? undefined : await startNationalMaint({ rotate, lag: () => forwarder.lag(), metrics, log }, o.maintSocket)
  log.info('national.start', { prefecture: o.prefectureCode, url: o.nationalUrl, window: o.window, batch: o.batch })
  forwarder.start()
  link.start()
  const statusFile = o.statusFile
  let writing = Promise.resolve()
  const status = statusFile === undefined
    ? undefined
    : setInterval(() => {
      writing = writing.then(async () => {
        const tmp = `${statusFile}.tmp`
        await writeFile(tmp, `${JSON.stringify({ at: new Date().toISOString(), ...forwarder.lag() })}\n`)
        await rename(tmp, statusFile)
      }).catch(() => undefined)
    }, o.statusIntervalMs)
  let closing: Promise<void> | undefined
  return {
    lag: () => forwarder.lag(),
    metrics,
    rotateTls: (material) => { rotateNationalTls(rotate, material) },
    close: async () => {
      closing ??= (async () => {
        await maint?.close()
        clearInterval(status)
        await writing
        await forwarder.stop()
        await link.stop()
        log.info('national.stopped', { ...forwarder.lag() })
      })()
      await closing
    }
  }
}
