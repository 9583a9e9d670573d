/**
 * How much of a process's resident memory is mapped LevelDB tables, per database of a store, and how
 * much is anonymous (V8 heaps, native allocations). LevelDB (env_posix.cc) mmaps each table file it
 * opens while the table is in its table cache; every page a read touched counts in RSS.
 *   node --import tsx bench/mapped-tables.ts PID STORE_DIR [--every SECONDS]
 * prints one line per sample until the process ends (or once without --every).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

export interface MappedTables {
  /** Per database (log, keys, views): Rss of its mapped *.ldb files, bytes, and how many are mapped. */
  readonly databases: ReadonlyMap<string, { rss: number, tables: number }>
  readonly rssAnon: number
  readonly rssFile: number
  readonly vmRss: number
}

/** /proc/PID/smaps summed per database directory of `location` (Linux). */
export function mappedTables (pid: number | 'self', location: string): MappedTables {
  const root = path.resolve(location) + path.sep
  const databases = new Map<string, { rss: number, tables: number }>()
  let current: { rss: number, tables: number } | undefined
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (header !== null) {
      const file = header[1] ?? ''
      current = undefined
      if (file.startsWith(root) && file.endsWith('.ldb')) {
        const database = file.slice(root.length).split(path.sep)[0] ?? '?'
        current = databases.get(database) ?? { rss: 0, tables: 0 }
        current.tables++
        databases.set(database, current)
      }
      continue
    }
    if (current !== undefined && line.startsWith('Rss:')) current.rss += kib(line)
  }
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string): number => kib(new RegExp(`^${name}:.*$`, 'm').exec(status)?.[0] ?? '')
  return { databases, rssAnon: field('RssAnon'), rssFile: field('RssFile'), vmRss: field('VmRSS') }
}

function kib (line: string): number {
  return Number(/(\d+) kB/.exec(line)?.[1] ?? Number.NaN) * 1024
}

/** One line: VmRSS, RssAnon, RssFile and each database's mapped tables, MB. */
export function formatMapped (m: MappedTables): string {
  const mb = (n: number): string => (n / 1e6).toFixed(0)
  const dbs = [...m.databases].sort(([a], [b]) => a.localeCompare(b)).map(([name, d]) => `${name} ${mb(d.rss)} (${d.tables} tables)`).join(', ')
  return `VmRSS ${mb(m.vmRss)} MB = anon ${mb(m.rssAnon)} + file ${mb(m.rssFile)}; mapped tables: ${dbs === '' ? 'none' : dbs}`
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { every: { type: 'string' } } })
  const [pid, location] = positionals
  if (pid === undefined || location === undefined) throw new Error('usage: mapped-tables.ts PID STORE_DIR [--every SECONDS]')
  const sample = (): boolean => {
    try {
      console.log(`${new Date().toISOString().slice(11, 19)} ${formatMapped(mappedTables(Number(pid), location))}`)
      return true
    } catch {
      return false
    }
  }
  if (values.every === undefined) sample()
  else {
    const timer = setInterval(() => { if (!sample()) clearInterval(timer) }, Number(values.every) * 1000)
  }
}
