/**
 * The demo's live view: per-municipality accepted / rejected counts, the overall rate and the
 * commit latency (PUBACK, which the gateway sends only after the store's fsync: SPEC §3). Figures
 * only — no resident data is ever shown. Redrawn in place on a terminal, one line per tick otherwise.
 */
import type { CsStats, SimStats } from '../../../tests/sim/cs-sim/simulator.ts'

export interface ViewInput {
  readonly stats: SimStats
  readonly names: ReadonlyMap<string, string>
  readonly totals: ReadonlyMap<string, number>
  readonly done: ReadonlyMap<string, number>
  readonly elapsedMs: number
  /** Updates answered per second since the previous frame. */
  readonly rate: number
  readonly latency?: { readonly p50Ms: number, readonly p99Ms: number } | undefined
  readonly header: string
  readonly rows: number
  /** The CS receipts of the transparency log (docs/transparency-log.md), when the simulator checks them. */
  readonly receipts?: { readonly verified: number, readonly failed: number, readonly lastCheckpointSize: number } | undefined
  /** Lines of other activities (the national link's lag, the demo's reconciliations), figures only. */
  readonly extra?: readonly string[]
}

/** The transparency log's line: the newest checkpoint a CS verified, and its receipts. */
export function receiptsLine (r: NonNullable<ViewInput['receipts']>): string {
  return `transparency log: checkpoint ${fmt(r.lastCheckpointSize)} entries  receipts verified ${fmt(r.verified)}${r.failed > 0 ? `  RECEIPT FAILURES ${fmt(r.failed)}` : ''}`
}

const fmt = (n: number): string => n.toLocaleString('en-US')

function rejectedOf (s: CsStats): number {
  return Object.values(s.rejected).reduce((a, b) => a + b, 0)
}

/** Sum of every municipality's figures. */
export function sumStats (stats: SimStats): { sent: number, answered: number, accepted: number, duplicate: number, rejected: number, byReason: Map<string, number>, mismatches: number, reconnects: number } {
  const out = { sent: 0, answered: 0, accepted: 0, duplicate: 0, rejected: 0, byReason: new Map<string, number>(), mismatches: 0, reconnects: 0 }
  for (const s of Object.values(stats.municipalities)) {
    out.sent += s.sent
    out.answered += s.results
    out.accepted += s.accepted
    out.duplicate += s.duplicate
    out.rejected += rejectedOf(s)
    out.mismatches += s.mismatches
    out.reconnects += s.reconnects
    for (const [code, n] of Object.entries(s.rejected)) out.byReason.set(code, (out.byReason.get(code) ?? 0) + n)
  }
  return out
}

function clock (ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** One-line summary (non-terminal output, and the final line). */
export function summaryLine (v: ViewInput): string {
  const t = sumStats(v.stats)
  const lat = v.latency === undefined ? '' : `  commit p50 ${v.latency.p50Ms.toFixed(1)} ms p99 ${v.latency.p99Ms.toFixed(1)} ms`
  return `[${clock(v.elapsedMs)}] ${fmt(Math.round(v.rate))} updates/s  accepted ${fmt(t.accepted)}  duplicate ${fmt(t.duplicate)}  rejected ${fmt(t.rejected)}  mismatches ${fmt(t.mismatches)}${lat}`
}

/** The full frame for a terminal. */
export function renderFrame (v: ViewInput): string {
  const t = sumStats(v.stats)
  const lines = [v.header, '', summaryLine(v), ...(v.receipts === undefined ? [] : [receiptsLine(v.receipts)]), ...(v.extra ?? []), '']
  const reasons = [...t.byReason].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${fmt(n)}`)
  if (reasons.length > 0) lines.push(`rejected by reason (拒否理由): ${reasons.join(', ')}`, '')
  lines.push(`${'市町村'.padEnd(14)}${'code'.padEnd(8)}${'accepted'.padStart(10)}${'dup'.padStart(6)}${'rejected'.padStart(10)}${'progress'.padStart(10)}`)
  const entries = Object.entries(v.stats.municipalities).sort((a, b) => (b[1].results - a[1].results) || a[0].localeCompare(b[0]))
  for (const [code, s] of entries.slice(0, v.rows)) {
    const total = v.totals.get(code) ?? 0
    const done = (v.done.get(code) ?? 0) + s.results
    const pct = total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100))
    const name = v.names.get(code) ?? ''
    // Kanji are two columns wide on a terminal.
    lines.push(`${name}${' '.repeat(Math.max(1, 14 - name.length * 2))}${code.padEnd(8)}${fmt(s.accepted).padStart(10)}${fmt(s.duplicate).padStart(6)}${fmt(rejectedOf(s)).padStart(10)}${`${pct}%`.padStart(10)}`)
  }
  if (entries.length > v.rows) lines.push(`… and ${entries.length - v.rows} more municipalities`)
  lines.push('', 'Ctrl-C stops the simulator, the gateway and the store cleanly.')
  return lines.join('\n')
}
