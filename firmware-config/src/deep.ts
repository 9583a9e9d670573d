/**
 * Deep merge and deep freeze for configuration objects. The merge copies keys as own data
 * properties, so a `"__proto__"` key in a file stays an (unknown, refused) key and never reaches a
 * prototype.
 */

/** Deeply readonly view of a value. */
export type DeepReadonly<T> =
  T extends (infer E)[] ? readonly DeepReadonly<E>[]
    : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T

function isPlainObject (v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

function define (target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * `over` merged onto `base`: plain objects merge key by key, anything else (lists included)
 * replaces; `undefined` in `over` leaves the base value. Neither argument is modified.
 */
export function deepMerge (base: unknown, over: unknown): unknown {
  if (over === undefined) return base
  if (!isPlainObject(base) || !isPlainObject(over)) return over
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(base)) define(out, k, v)
  for (const [k, v] of Object.entries(over)) define(out, k, deepMerge(Object.hasOwn(out, k) ? out[k] : undefined, v))
  return out
}

/** Freeze `value` and everything reachable from it; returns it typed as deeply readonly. */
export function deepFreeze<T> (value: T): DeepReadonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value as DeepReadonly<T>
}
