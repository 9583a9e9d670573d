/**
 * A gateway on 127.0.0.1 (free port) with real certificates, for one test file, behind either the
 * real store daemon (LevelDB in a temporary directory) or — where a test must make the store fail,
 * stall, or show what it received — the store.proto test double. Both are reached the product's
 * way: AppendClient over the append socket. Logs are silent: tests assert on what the CS sees.
 */
import { join } from 'node:path'
import pino from 'pino'
import { startGateway, type Gateway, type GatewayDeps } from '../../../../gateway/src/daemon.ts'
import { silentLogger } from '../../../../gateway/src/logger.ts'
import type { GatewayOptionsInput } from '../../../../gateway/src/options.ts'
import { startStoreDaemon, type StoreDaemon } from '../../../../server/src/store/daemon.ts'
import { makeTestPki, type TestPki } from './pki.ts'
import { AppendServerDouble } from './store-double.ts'
import { tempDirUntilExit } from '../../../helpers/temp-dir.ts'

/** 福岡市, 北九州市, 久留米市. */
export const FUKUOKA = '401307'
export const KITAKYUSHU = '401005'
export const KURUME = '402036'

export interface TestGateway {
  readonly gw: Gateway
  readonly pki: TestPki
  readonly port: number
  close: () => Promise<void>
}

/** Behind the real store daemon. */
export interface RealStoreGateway extends TestGateway {
  readonly daemon: StoreDaemon
  /** Log position of the newest entry: unchanged means nothing was committed. */
  readonly position: () => number
}

/** Behind the store.proto test double. */
export interface DoubleStoreGateway extends TestGateway {
  readonly store: AppendServerDouble
}

async function start (codes: readonly string[], options: Partial<GatewayOptionsInput>, deps: Partial<GatewayDeps>, storeSocket: string, pki: TestPki): Promise<Gateway> {
  return await startGateway({
    host: '127.0.0.1',
    port: 0,
    storeSocket,
    tls: { caFile: pki.caFile, certFile: pki.certFile, keyFile: pki.keyFile, crlFile: pki.crlFile },
    municipalities: [...codes],
    // Every test client comes from 127.0.0.1; limits.test.ts sets its own low value.
    maxConnectionsPerSecond: 1000,
    ...options
  }, { logger: silentLogger, ...deps })
}

/** A gateway in front of the real store daemon. */
export async function startTestGateway (codes: readonly string[] = [FUKUOKA, KITAKYUSHU], options: Partial<GatewayOptionsInput> = {}, deps: Partial<GatewayDeps> = {}): Promise<RealStoreGateway> {
  const pki = await makeTestPki(codes)
  const dir = tempDirUntilExit('ken-gw-')
  const daemon = await startStoreDaemon(
    { dbPath: join(dir, 'db'), socketPath: join(dir, 'store.sock'), keyFile: join(dir, 'appliance.key') },
    { logger: pino({ level: 'silent' }) }
  )
  const gw = await start(codes, options, deps, daemon.socketPath, pki).catch(async (err: unknown) => {
    await daemon.close()
    throw err
  })
  return {
    gw,
    pki,
    daemon,
    port: gw.port,
    position: () => daemon.store.head().position,
    close: async () => {
      await gw.close()
      await daemon.close()
    }
  }
}

/** A gateway in front of the store.proto test double. */
export async function startGatewayWithDouble (codes: readonly string[] = [FUKUOKA, KITAKYUSHU], options: Partial<GatewayOptionsInput> = {}, deps: Partial<GatewayDeps> = {}): Promise<DoubleStoreGateway> {
  const pki = await makeTestPki(codes)
  const store = await AppendServerDouble.listen(join(tempDirUntilExit('ken-gw-'), 'store.sock'))
  const gw = await start(codes, options, deps, store.path, pki).catch(async (err: unknown) => {
    await store.close()
    throw err
  })
  return {
    gw,
    pki,
    store,
    port: gw.port,
    close: async () => {
      await gw.close()
      await store.close()
    }
  }
}
