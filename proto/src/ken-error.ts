/**
 * The base of every coded error in ken-server (STYLE.md: fastify-style catalogues).
 * Each package keeps its own `errors.ts` that builds its codes with {@link defineErrors};
 * tests assert on `err.code`, never on message text.
 */
export class KenError extends Error {
  readonly code: string
  /** The configuration key, wire field or argument to blame, when there is one. */
  readonly field: string | undefined

  constructor (code: string, message: string, options: { field?: string, cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'KenError'
    this.code = code
    this.field = options.field
  }
}

/** One entry of an error catalogue: what went wrong, in a sentence an operator can act on. */
export interface ErrorSpec {
  readonly message: string
}

/** A catalogue entry turned into a factory: `ERRORS.KEN_ERR_X(detail?, { field })`. */
export type ErrorFactory = ((detail?: string, options?: { field?: string, cause?: unknown }) => KenError) & { readonly code: string, readonly message: string }

/**
 * Build a catalogue: the export name equals the code, so `errors.KEN_ERR_X().code === 'KEN_ERR_X'`.
 * The detail is appended to the fixed message; it MUST NOT carry personal data (SPEC §7, STYLE.md).
 */
export function defineErrors<const T extends Record<string, ErrorSpec>> (specs: T): { readonly [K in keyof T]: ErrorFactory } {
  const out: Record<string, ErrorFactory> = {}
  for (const [code, spec] of Object.entries(specs)) {
    const make = (detail?: string, options: { field?: string, cause?: unknown } = {}): KenError =>
      new KenError(code, detail === undefined ? spec.message : `${spec.message}: ${detail}`, options)
    out[code] = Object.assign(make, { code, message: spec.message })
  }
  return Object.freeze(out) as { readonly [K in keyof T]: ErrorFactory }
}

/** True when `err` is a KenError with the given code (or any KenError when no code is given). */
export function isKenError (err: unknown, code?: string): err is KenError {
  return err instanceof KenError && (code === undefined || err.code === code)
}
