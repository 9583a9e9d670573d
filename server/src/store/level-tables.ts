/**
 * The tables of a LevelDB database, as its `leveldb.sstables` property lists them: leveldb-1.20
 * db/version_set.cc Version::DebugString writes, per level, `--- level N ---` and then one line per table,
 * ` NUMBER:SIZE['SMALLEST' @ SEQ : TYPE .. 'LARGEST' @ SEQ : TYPE]`, each key escaped by
 * util/logging.cc EscapeString (a byte outside ' '..'~' as `\xNN`, every other byte as itself).
 * The store opens the tables of its point-read databases at start from this list (level-store.ts
 * warm-up). A key that itself holds `' @ ` or a literal `\xNN` may be read back slightly wrong: it only
 * serves to reach its table, so such a key opens a neighbour instead, never anything worse.
 */

export interface TableEntry {
  readonly level: number
  readonly number: number
  readonly size: number
  /** The table's smallest user key. */
  readonly smallest: Buffer
}

const LEVEL = /^--- level (\d+) ---$/
const TABLE = /^ (\d+):(\d+)\['(.*)' @ \d+ : \d+ \.\. '.*' @ \d+ : \d+\]$/s
const ESCAPED = /\\x([0-9a-f]{2})/g

/** The user key EscapeString printed as `text`. */
export function unescapeKey (text: string): Buffer {
  return Buffer.from(text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1')
}

/** Every table of the listing, level by level, in the listing's order. */
export function parseSstables (listing: string): TableEntry[] {
  const tables: TableEntry[] = []
  let level = -1
  for (const line of listing.split('\n')) {
    const heading = LEVEL.exec(line)
    if (heading !== null) {
      level = Number(heading[1])
      continue
    }
    const table = TABLE.exec(line)
    if (table === null || level < 0) continue
    tables.push({ level, number: Number(table[1]), size: Number(table[2]), smallest: unescapeKey(table[3] as string) })
  }
  return tables
}
