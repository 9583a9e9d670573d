/**
 * V8 heap settings of the store daemon (`ken-store serve`, from systemd or spawnDaemon alike), set
 * before the daemon's modules load so that every isolate it starts — the main thread and its
 * workers — runs with them (V8 flags are per process).
 *
 * Why: V8 sizes the old generation's next limit by a growing factor of up to 4× what survived the
 * last mark-compact (heap/memory-controller.cc, chosen from the GC and allocation speeds). The store
 * allocates fast while it ingests, so its main heap reached ~230 MB for 35–70 MB live at 1 M
 * residents (issue 18, note-s8.md "Store memory"). A fixed 2× bounds that. 1.5× cost CPU per update
 * (session 8); with 2× the lowest-quarter CPU per update did not rise
 * (bench/results/2026-11-30-session9-rss4-heap-flag-ab.txt).
 */
import v8 from 'node:v8'

export const STORE_V8_FLAGS: readonly string[] = Object.freeze(['--heap-growing-percent=100'])

export function applyStoreV8Flags (): void {
  for (const flag of STORE_V8_FLAGS) v8.setFlagsFromString(flag)
}
