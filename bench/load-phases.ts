/**
 * The initial load in phases, by how many links are still sending (SPEC §8 "5.1 M in under 5
 * minutes"). Links end at very different times — in the bench's prefecture 福岡市 alone holds about
 * a third of the residents on one CS connection — so the wall time is the sum of a phase where many
 * links share the appliance and a tail where one or two links, each limited by its in-flight window
 * and the commit latency, are all that is left. One overall rate hides which of the two to work on.
 */
import type { LinkFinish } from './loadgen/protocol.ts'

export interface LoadPhase {
  /** Links still sending during the phase: "3+" (or more), "2" or "1". */
  readonly busyLinks: string
  /** The link whose end closed this phase (empty for the first phase, which many links end). */
  readonly endedBy: readonly string[]
  readonly fromSeconds: number
  readonly toSeconds: number
  readonly updates: number
  readonly ratePerSec: number
}

/**
 * Split a run at the moments the last `tail` links became the only ones left.
 * @param ackedPerSecond PUBACKs counted in each second after the start
 * @param links when each link's last update was acknowledged (any order)
 */
export function loadPhases (ackedPerSecond: readonly number[], links: readonly LinkFinish[], tail = 2): LoadPhase[] {
  const ends = [...links].filter((l) => l.updates > 0).sort((a, b) => a.seconds - b.seconds)
  const lead = Math.max(0, ends.length - tail - 1)
  // Each phase ends with one link: the first with the last link that is not one of the tail's, then each of those.
  let from = 0
  return ends.slice(lead).map((end, p) => {
    const to = end.seconds
    const updates = Math.round(ackedBetween(ackedPerSecond, from, to))
    const busy = p === 0 ? ends.length : ends.length - lead - p
    const phase: LoadPhase = {
      busyLinks: p === 0 && busy > tail + 1 ? `${tail + 1}+` : String(busy),
      endedBy: p === 0 ? [] : [end.code],
      fromSeconds: round1(from),
      toSeconds: round1(to),
      updates,
      ratePerSec: to > from ? Math.round(updates / (to - from)) : 0
    }
    from = to
    return phase
  })
}

/** One phase as the bench prints it. */
export function describePhase (ph: LoadPhase): string {
  return `${ph.fromSeconds}–${ph.toSeconds} s, ${ph.updates.toLocaleString('en-US')} updates, ${ph.ratePerSec.toLocaleString('en-US')}/s${ph.endedBy.length > 0 ? ` (until ${ph.endedBy.join(', ')} ended)` : ''}`
}

/** PUBACKs between two instants, spreading each second's count evenly over that second. */
export function ackedBetween (perSecond: readonly number[], from: number, to: number): number {
  let total = 0
  for (let s = Math.floor(from); s < Math.ceil(to) && s < perSecond.length; s++) {
    const overlap = Math.min(to, s + 1) - Math.max(from, s)
    if (overlap > 0) total += (perSecond[s] ?? 0) * overlap
  }
  return total
}

function round1 (x: number): number {
  return Math.round(x * 10) / 10
}
