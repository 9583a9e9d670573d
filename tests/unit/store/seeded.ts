/** A small deterministic generator (an LCG, Numerical Recipes' constants), so a failure names a seed that reproduces it. */
export function rng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 4294967296
  }
}
