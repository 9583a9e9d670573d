/**
 * Turns zod issues into lines an operator can act on: each names the key path, what was expected,
 * what was found and the fix (STYLE.md: "a message that names the key and the fix"). What each key
 * expects comes from a hint table next to the schema, so the wording does not depend on zod's.
 */
import type { ZodError, ZodIssue, ZodTypeAny } from 'zod'
import { z } from 'zod'

/** What a key expects, and how to fix a wrong value. */
export interface Hint {
  readonly expect: string
  readonly fix: string
}

/** One thing wrong with the input, before it is rendered. */
export type Problem =
  | { readonly path: string, readonly expect: string, readonly got: unknown, readonly fix: string }
  | { readonly path: string, readonly unknownKey: true, readonly allowed: readonly string[] }

/** `a.b[3].c` for display; `a.b[].c` to look up a hint. */
function displayPath (path: readonly (string | number)[]): string {
  return path.reduce<string>((out, seg) => typeof seg === 'number' ? `${out}[${seg}]` : out === '' ? seg : `${out}.${seg}`, '')
}

function hintKey (display: string): string {
  return display.replace(/\[[0-9]+\]/g, '[]')
}

function valueAt (input: unknown, path: readonly (string | number)[]): unknown {
  let v = input
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined
    v = (v as Record<string | number, unknown>)[seg]
  }
  return v
}

/** The schema of the object at `path`, to list the keys it allows. */
function objectAt (schema: ZodTypeAny, path: readonly (string | number)[]): z.AnyZodObject | undefined {
  let s: ZodTypeAny | undefined = schema
  const unwrap = (t: ZodTypeAny): ZodTypeAny => {
    if (t instanceof z.ZodEffects) return unwrap(t.innerType())
    if (t instanceof z.ZodDefault) return unwrap(t.removeDefault())
    if (t instanceof z.ZodOptional) return unwrap(t.unwrap())
    return t
  }
  for (const seg of [...path, undefined]) {
    if (s === undefined) return undefined
    s = unwrap(s)
    if (s instanceof z.ZodUnion) {
      const options = s.options as ZodTypeAny[]
      s = options.map(unwrap).find((o) => typeof seg === 'number' ? o instanceof z.ZodArray : o instanceof z.ZodObject)
      if (s === undefined) return undefined
    }
    if (seg === undefined) return s instanceof z.ZodObject ? s : undefined
    if (typeof seg === 'number') s = s instanceof z.ZodArray ? s.element as ZodTypeAny : undefined
    else s = s instanceof z.ZodObject ? (s.shape as Record<string, ZodTypeAny>)[seg] : undefined
  }
  return undefined
}

/** Show a found value briefly: JSON for scalars, the kind for containers. */
export function show (value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (value !== null && typeof value === 'object') return 'an object'
  const s = JSON.stringify(value) ?? String(value)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** The operator-facing line of a problem. */
export function renderProblem (p: Problem): string {
  if ('unknownKey' in p) return `unknown key "${p.path}": remove it (allowed keys: ${p.allowed.join(', ')})`
  return `${p.path}: expected ${p.expect} (got ${show(p.got)}); fix: ${p.fix}`
}

/**
 * Every issue of `error` as a problem, in the order zod reports them, one per key. A union's issues are those of
 * the branch that matches the input's kind (a list, or a file path), so the operator is told about
 * the entry at fault and not about the alternative they did not choose.
 */
export function formatIssues (error: ZodError, input: unknown, schema: ZodTypeAny, hints: Readonly<Record<string, Hint>>): Problem[] {
  const out: Problem[] = []
  const seen = new Set<string>()
  const add = (p: Problem): void => {
    const key = 'unknownKey' in p ? `?${p.path}` : p.path
    if (!seen.has(key)) {
      seen.add(key)
      out.push(p)
    }
  }
  const visit = (issue: ZodIssue): void => {
    const path = displayPath(issue.path)
    if (issue.code === 'unrecognized_keys') {
      const allowed = Object.keys(objectAt(schema, issue.path)?.shape ?? {})
      for (const k of issue.keys) add({ path: path === '' ? k : `${path}.${k}`, unknownKey: true, allowed })
      return
    }
    if (issue.code === 'invalid_union') {
      const chosen = issue.unionErrors.find((e) => e.issues.every((i) => !(i.code === 'invalid_type' && i.path.length === issue.path.length)))
      if (chosen !== undefined) {
        chosen.issues.forEach(visit)
        return
      }
    }
    const params = issue.code === 'custom' ? (issue.params as Partial<Hint> | undefined) : undefined
    const hint = hints[hintKey(path)]
    add({
      path: path === '' ? '(root)' : path,
      expect: params?.expect ?? hint?.expect ?? issue.message,
      got: valueAt(input, issue.path),
      fix: params?.fix ?? hint?.fix ?? 'see docs/configuration.md'
    })
  }
  error.issues.forEach(visit)
  return out
}
