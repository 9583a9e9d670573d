/**
 * Looking at a LevelStore's databases behind its back (tests only): every key of each space, as the
 * bytes LevelDB holds, and putting them back — for rebuild, recovery and tamper tests.
 */
import { ClassicLevel } from 'classic-level'
import { databaseOf, SPACES, VIEW_SPACES, type Database, type Space } from '../../../server/src/store/layout.ts'
import { databasePath } from '../../../server/src/store/level-store.ts'

type Raw = ClassicLevel<Buffer, Buffer>
const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const

/** Hex `key=value` rows of each space, in key order. */
export type RawDump = Record<string, string[]>

/** Open one of the store's databases (default: the one holding the views). */
export async function withRaw<T> (location: string, fn: (raw: Raw) => Promise<T>, database: Database = 'views'): Promise<T> {
  const raw: Raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, database), { ...ENCODING, createIfMissing: false })
  await raw.open()
  try {
    return await fn(raw)
  } finally {
    await raw.close()
  }
}

/** Rows of the given spaces (default: the views). */
export async function dumpSpaces (location: string, spaces: readonly Space[] = VIEW_SPACES): Promise<RawDump> {
  const out: RawDump = {}
  for (const space of spaces) {
    await withRaw(location, async (raw) => {
      const rows: string[] = []
      for await (const [key, value] of raw.sublevel<Buffer, Buffer>(space, ENCODING).iterator()) rows.push(`${key.toString('hex')}=${value.toString('hex')}`)
      out[space] = rows
    }, databaseOf(space))
  }
  return out
}

/** Replace the given spaces' contents with `dump`. */
export async function restoreSpaces (location: string, dump: RawDump): Promise<void> {
  for (const [space, rows] of Object.entries(dump)) {
    if (!(SPACES as readonly string[]).includes(space)) throw new Error(`unknown space ${space}`)
    await withRaw(location, async (raw) => {
      const sub = raw.sublevel<Buffer, Buffer>(space, ENCODING)
      await sub.clear()
      for (const row of rows) {
        const [key = '', value = ''] = row.split('=')
        await sub.put(Buffer.from(key, 'hex'), Buffer.from(value, 'hex'))
      }
    }, databaseOf(space as Space))
  }
}
