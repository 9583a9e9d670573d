/**
 * Judges of the Prometheus text format that are not our code: Prometheus's own `promtool check
 * metrics` (Debian package prometheus; it parses the exposition and lints names, units and help)
 * and the parse-prometheus-text-format npm parser (to read values back).
 */
import { spawn } from 'node:child_process'
import parse, { type ParsedFamily } from 'parse-prometheus-text-format'

/** promtool's verdict: exit code and what it printed (lint problems, one a line). */
export async function promtoolCheck (text: string): Promise<{ code: number | null, output: string }> {
  return await new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (b: Buffer) => { output += b.toString() })
    child.stderr.on('data', (b: Buffer) => { output += b.toString() })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
    child.stdin.end(text)
  })
}

/**
 * promtool's verdict on our series: it must parse (exit 0, or 3 for lint findings only) and have no
 * finding on a `ken_` series. prom-client's own default series `nodejs_active_*_total` are gauges
 * whose names promtool lints; they are the library's, kept as Node.js users know them.
 */
export async function promtoolProblems (text: string): Promise<string[]> {
  const { code, output } = await promtoolCheck(text)
  if (code !== 0 && code !== 3) return [`promtool exit ${code}: ${output}`]
  return output.split('\n').filter((l) => l.trim() !== '' && !/^nodejs_active_[a-z]+_total /.test(l))
}

export function parseMetrics (text: string): ParsedFamily[] {
  return parse(text)
}

/** The value of the first sample of `name` whose labels include `labels`. */
export function sampleValue (families: readonly ParsedFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name)
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
  return sample?.value === undefined ? (sample?.count === undefined ? undefined : Number(sample.count)) : Number(sample.value)
}
