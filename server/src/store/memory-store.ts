/**
 * The in-memory store: the same Store, with Maps for I/O. For tests and the simulator; it holds the
 * same bytes LevelStore would (ciphertext, blind indexes), and passes the same conformance suite.
 * "Durable" here means "applied atomically"; nothing survives the process.
 */
import { Store, type Range, type StoreOptions } from './store.ts'
import { SPACES, type Space, type WriteOp } from './layout.ts'

const CHUNK = 1000

export class MemoryStore extends Store {
  readonly #spaces = new Map<Space, Map<string, Buffer>>(SPACES.map((space) => [space, new Map()]))

  constructor (options: StoreOptions = {}) {
    super(options)
  }

  protected override async _open (): Promise<void> {}

  protected override async _close (): Promise<void> {}

  protected override async _getMany (space: Space, keys: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    const map = this.#space(space)
    return keys.map((key) => map.get(key.toString('latin1')))
  }

  protected override async _write (ops: readonly WriteOp[]): Promise<void> {
    // All or nothing, in one turn of the event loop: nothing can observe half a batch.
    for (const op of ops) {
      const map = this.#space(op.space)
      const id = op.key.toString('latin1')
      if (op.value === null) map.delete(id)
      else map.set(id, op.value)
    }
  }

  protected override async * _iterate (space: Space, range: Range): AsyncGenerator<ReadonlyArray<readonly [Buffer, Buffer]>> {
    // latin1 maps each byte to one UTF-16 unit, so string order is LevelDB's byte order.
    const gte = range.gte?.toString('latin1')
    const lt = range.lt?.toString('latin1')
    const lte = range.lte?.toString('latin1')
    const map = this.#space(space)
    let ids = [...map.keys()].filter((id) => (gte === undefined || id >= gte) && (lt === undefined || id < lt) && (lte === undefined || id <= lte)).sort()
    if (range.reverse === true) ids.reverse()
    if (range.limit !== undefined) ids = ids.slice(0, range.limit)
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk: Array<readonly [Buffer, Buffer]> = []
      for (const id of ids.slice(i, i + CHUNK)) {
        const value = map.get(id)
        if (value !== undefined) chunk.push([Buffer.from(id, 'latin1'), value])
      }
      yield chunk
    }
  }

  protected override async _clear (space: Space): Promise<void> {
    this.#space(space).clear()
  }

  #space (space: Space): Map<string, Buffer> {
    const map = this.#spaces.get(space)
    if (map === undefined) throw new RangeError(`unknown space ${space}`)
    return map
  }
}
