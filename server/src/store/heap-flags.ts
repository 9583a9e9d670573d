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

/**
 * Node flags the store daemon must be started with (spawnDaemon adds them by the daemon's name,
 * ken-store.service by NODE_OPTIONS): V8 sizes each isolate's young generation when the isolate is
 * made (heap/heap.cc ConfigureHeap), so a flag set from JavaScript afterwards — as applyStoreV8Flags
 * does for the growing factor, which V8 reads at every mark-compact — leaves the main thread's young
 * generation as it was (measured: new space stayed 32 MB after setFlagsFromString('--max-semi-space-size=64')).
 *
 * Why semi-spaces of 32 MiB (V8's default for a 64-bit heap of this size: 16): what a scavenge copies
 * is what is still alive when the young generation fills, and the store's per-update garbage — decoded
 * requests, sealed records, ops, view keys, 13 KB per update — lives for one commit group; twice the
 * room lets twice as much of it die before a scavenge instead of being copied, promoted and marked
 * later. bench:store 200 k, default / 32 / 64 MiB alternating (bench/results/2026-12-01-session15-lead-ab.txt):
 * V8's threads 13.8, 12.3, 12.4, 12.7 → 11.3, 11.2, 11.7, 10.2 (32) → 9.2, 8.7 (64) µs per update. The cost is
 * memory: up to 2 × 16 MiB more new space (64 MiB would be 96 MB more, too near SPEC §8's 1 GB at 5.1 M).
 */
export const STORE_NODE_FLAGS: readonly string[] = Object.freeze(['--max-semi-space-size=32'])

export function applyStoreV8Flags (): void {
  for (const flag of STORE_V8_FLAGS) v8.setFlagsFromString(flag)
}
