/**
 * The working state of reconciliation runs (SPEC §5.3): what a run has made durable so far — its
 * state, each acknowledged chunk's result (sealed), the blind indexes it has seen — and the index of
 * reconciliation acts in the log. Not a view (it is not a function of the log alone: an open run is
 * in no entry yet) and not the log: a LevelDB database of its own, `reconcile/` beside log/keys/views,
 * so rebuild never drops it and the log's contract is untouched. Values holding personal data are
 * sealed (reconciler.ts); keys are blind.
 */
import path from 'node:path'
import { ClassicLevel } from 'classic-level'

export interface WorkOp {
  readonly key: Buffer
  readonly value: Buffer | null
}

export interface WorkDb {
  getMany: (keys: readonly Buffer[]) => Promise<Array<Buffer | undefined>>
  /** One atomic batch, durable (fsync) before it resolves. */
  write: (ops: readonly WorkOp[]) => Promise<void>
  /** Keys and values with gte ≤ key < lt, in key order, in chunks. */
  iterate: (gte: Buffer, lt: Buffer) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
  clearRange: (gte: Buffer, lt: Buffer) => Promise<void>
  close: () => Promise<void>
}

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const CHUNK = 1024

/** The reconcile/ database of a LevelStore directory. */
export async function openLevelWorkDb (storeLocation: string): Promise<WorkDb> {
  const db = new ClassicLevel<Buffer, Buffer>(path.join(storeLocation, 'reconcile'), { ...ENCODING, createIfMissing: true })
  await db.open()
  return {
    getMany: async (keys) => keys.length === 0 ? [] : await db.getMany([...keys]),
    write: async (ops) => {
      if (ops.length === 0) return
      const batch = db.batch()
      for (const op of ops) {
        if (op.value === null) batch.del(op.key)
        else batch.put(op.key, op.value)
      }
      await batch.write({ sync: true })
    },
    iterate: async function * (gte, lt) {
      const it = db.iterator({ gte, lt })
      try {
        while (true) {
          const chunk = await it.nextv(CHUNK)
          if (chunk.length === 0) return
          yield chunk
        }
      } finally {
        await it.close()
      }
    },
    clearRange: async (gte, lt) => { await db.clear({ gte, lt }) },
    close: async () => { await db.close() }
  }
}

/** The same in memory (MemoryStore tests); "durable" means applied atomically. */
export function memoryWorkDb (): WorkDb {
  const map = new Map<string, Buffer>()
  const inRange = (id: string, gte: Buffer, lt: Buffer): boolean => id >= gte.toString('latin1') && id < lt.toString('latin1')
  return {
    getMany: async (keys) => keys.map((k) => map.get(k.toString('latin1'))),
    write: async (ops) => {
      for (const op of ops) {
        if (op.value === null) map.delete(op.key.toString('latin1'))
        else map.set(op.key.toString('latin1'), op.value)
      }
    },
    iterate: async function * (gte, lt) {
      const ids = [...map.keys()].filter((id) => inRange(id, gte, lt)).sort()
      for (let i = 0; i < ids.length; i += CHUNK) {
        yield ids.slice(i, i + CHUNK).map((id) => [Buffer.from(id, 'latin1'), map.get(id) ?? Buffer.alloc(0)] as const)
      }
    },
    clearRange: async (gte, lt) => {
      for (const id of [...map.keys()]) if (inRange(id, gte, lt)) map.delete(id)
    },
    close: async () => undefined
  }
}
