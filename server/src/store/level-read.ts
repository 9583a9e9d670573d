/**
 * How the store reads a LevelDB range (level-store.ts, and verify-directory.ts which opens the log
 * without the store): chunks of up to CHUNK entries, each read gathering at most
 * ITERATOR_HIGH_WATER_BYTES, the next chunk read ahead while the caller works on this one.
 */

export const ITERATOR_CHUNK = 1024

/**
 * Bytes one iterator read (nextv) gathers at most beyond its first entry. classic-level 3 keeps the
 * copies of an iterator's last read in native memory until V8 collects the closed iterator (binding.cc
 * Iterator::cache_, freed by its GC finalizer, unknown to V8): at 8 MiB a store daemon serving the
 * national link (a log iterator per outbox read) held GBs of it between major GCs (issue 18).
 */
export const ITERATOR_HIGH_WATER_BYTES = 256 << 10

type Rows = ReadonlyArray<readonly [Buffer, Buffer]>

/** An abstract-level iterator, as far as reading ahead needs it. */
export interface ChunkedIterator {
  nextv: (size: number) => Promise<Rows>
  seek: (target: Buffer) => void
  close: () => Promise<void>
}

/**
 * A key past every key of a forward range (keys of the store are a space prefix and at most a 32-byte
 * token and a position or suffix): a forward iterator seeked there finds nothing.
 */
export const PAST_EVERY_KEY = Buffer.alloc(64, 0xff)

/**
 * Entries asked of the first read; each next read asks four times more, up to ITERATOR_CHUNK. A read
 * of n entries reserves n slots of 64 bytes that classic-level keeps, like the copies, until V8
 * collects the iterator (binding.cc ReadMany: cache_.reserve): 64 KiB for every short read — an outbox
 * read, a block lookup — at 1,024 (issue 18).
 */
export const FIRST_CHUNK = 16

/**
 * The iterator's entries, chunk by chunk; closes it when done or abandoned. `reverse`: the iterator
 * reads its range backwards.
 */
export async function * readAhead (iterator: ChunkedIterator, reverse = false): AsyncGenerator<Rows> {
  let size = FIRST_CHUNK
  let read = false
  // Read ahead: LevelDB fetches the next chunk (in its thread pool) while the caller works on this one.
  let next = iterator.nextv(size)
  try {
    while (true) {
      const chunk = await next
      if (chunk.length === 0) return
      read = true
      size = Math.min(size * 4, ITERATOR_CHUNK)
      next = iterator.nextv(size)
      yield chunk
    }
  } finally {
    if ((await next.catch(() => [])).length > 0) read = true
    // The caller goes on at once; the copies are dropped and the iterator closed behind it. An iterator
    // that found nothing holds nothing (and its database may be empty, where a seek past the end fails).
    void (read ? release(iterator, reverse) : iterator.close().catch(() => undefined))
  }
}

/**
 * Drop the copies of the iterator's last read, then close it. classic-level frees them only when V8
 * collects the closed iterator, which a small object holding no JS memory does not hasten: a store
 * daemon feeding the national link (a log iterator per outbox read, each keeping up to a commit
 * group's block) held hundreds of MB of them between major GCs (issue 18). A read that finds nothing
 * clears them (binding.cc ReadMany): seek out of the range, read once — only after rows were read, so
 * the database holds a last key (classic-level's seek past a range steps from it: binding.cc
 * SeekToEnd). An iterator at its limit reads no more; it keeps its last rows until collected (ask for
 * keys only where the values are big).
 */
async function release (iterator: ChunkedIterator, reverse: boolean): Promise<void> {
  try {
    iterator.seek(reverse ? Buffer.alloc(0) : PAST_EVERY_KEY)
    await iterator.nextv(1)
  } catch {
    // Closed already (the database closing): nothing is kept then.
  } finally {
    await iterator.close().catch(() => undefined)
  }
}
