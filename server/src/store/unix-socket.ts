/**
 * The store's Unix domain sockets (SPEC §1.1: one socket per capability): what every socket server
 * of the store does before it serves — clear a socket file left by a daemon that died, listen, and
 * set the file mode that decides which daemon's group may connect.
 */
import net from 'node:net'
import { chmod, lstat, unlink } from 'node:fs/promises'
import { errors } from './errors.ts'

/** A socket file left by a daemon that died is removed; one that answers belongs to a live daemon. */
export async function removeStaleSocket (socketPath: string): Promise<void> {
  let info
  try {
    info = await lstat(socketPath)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  if (!info.isSocket()) throw errors.KEN_ERR_STORE_SOCKET_PATH(undefined, { field: 'socketPath' })
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath)
    probe.once('connect', () => { probe.destroy(); resolve(true) })
    probe.once('error', () => resolve(false))
  })
  if (alive) throw errors.KEN_ERR_STORE_SOCKET_IN_USE(undefined, { field: 'socketPath' })
  await unlink(socketPath)
}

/** Listen on `socketPath` and give the socket file `mode`; rejects when the path cannot be bound. */
export async function listenUnixSocket (server: net.Server, socketPath: string, mode: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  await chmod(socketPath, mode)
}
