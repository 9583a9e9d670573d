/**
 * V8 heap settings of the store daemon (`ken-store serve`, from systemd or spawnDaemon alike), set
 * before the daemon's modules load so that every isolate it starts — the main thread and its
 * workers — runs with them (V8 flags are per process).
 *
 * Why: V8 sizes the old generation's next limit by a growing factor of up to 4× what survived the
 * last mark-compact (heap/memory-controller.cc, chosen from the GC and allocation speeds). The store
 * allocates fast while it ingests, so its main heap reached ~230 MB for 35–70 MB live at 1 M
 * residents (issue 18, note-s8.md "Store memory"). A fixed factor bounds that. 1.5× cost CPU per update
 * (session 8); 2× (sessions 9–12) kept the store at 842 MB of its 1 GB at 5.1 M residents but cost V8's
 * GC threads ~7.5 µs per update against V8's own factor. 3× takes back ~6 µs of that (bench:store at
 * 200 k: V8's threads 24.1 / 26.1 → 18.9 / 18.7 µs per update, peak RSS +36 MB;
 * bench/results/2026-11-30-session13-lead-heap-growing-ab.txt); marking work per allocated byte goes
 * as 1 / (factor − 1).
 */
import v8 from 'node:v8'

/** The old generation's growing factor of the store daemon (V8's --heap-growing-percent = (f − 1) · 100). */
export const STORE_HEAP_GROWING_FACTOR = 3

export const STORE_V8_FLAGS: readonly string[] = Object.freeze([`--heap-growing-percent=${(STORE_HEAP_GROWING_FACTOR - 1) * 100}`])

export function applyStoreV8Flags (): void {
  for (const flag of STORE_V8_FLAGS) v8.setFlagsFromString(flag)
}
