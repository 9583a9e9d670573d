/**
 * Charts of the statistics screens (SPEC §6) drawn on the server as SVG (STYLE.md "charts as
 * server-drawn SVG": no script, nothing from a CDN, works under a strict CSP). A horizontal bar chart:
 * one labelled bar per row, the value at its end; text is escaped, sizes are fixed so the page lays
 * out before the chart is read. Accessible: role="img" with a <title> and one <title> per bar.
 */

export interface BarRow {
  readonly label: string
  readonly value: number
}

export interface BarChartOptions {
  readonly title: string
  /** Width of the whole chart, px. */
  readonly width?: number
  /** Width kept for the labels, px. */
  readonly labelWidth?: number
  readonly barHeight?: number
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe inside SVG/HTML content and attribute values. */
export function escapeXml (s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** The chart as an SVG document fragment (an <svg> element). */
export function barChartSvg (rows: readonly BarRow[], options: BarChartOptions): string {
  const width = options.width ?? 640
  const labelWidth = options.labelWidth ?? 180
  const barHeight = options.barHeight ?? 20
  const gap = 6
  const valueWidth = 70
  const plot = width - labelWidth - valueWidth
  const max = Math.max(1, ...rows.map((r) => r.value))
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap
  const bars = rows.map((r, i) => {
    if (!Number.isFinite(r.value) || r.value < 0) throw new RangeError('chart values are counts (≥ 0)')
    const y = gap + i * (barHeight + gap)
    const w = Math.round((r.value / max) * plot)
    const label = escapeXml(r.label)
    const value = r.value.toLocaleString('ja-JP')
    return `<g><title>${label}: ${value}</title>` +
      `<text x="${labelWidth - 8}" y="${y + barHeight * 0.75}" text-anchor="end" class="chart-label">${label}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${w}" height="${barHeight}" class="chart-bar"/>` +
      `<text x="${labelWidth + w + 6}" y="${y + barHeight * 0.75}" class="chart-value">${value}</text></g>`
  })
  const empty = rows.length === 0 ? `<text x="${labelWidth}" y="${gap + barHeight * 0.75}" class="chart-label">データなし</text>` : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="13">` +
    `<title>${escapeXml(options.title)}</title>${bars.join('')}${empty}</svg>`
}
