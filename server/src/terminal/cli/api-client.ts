/** ken-term's HTTPS client: JSON in and out, TLS 1.3, the terminal's CA, the session as a bearer token. */
import https from 'node:https'

export interface ApiAnswer {
  readonly status: number
  readonly body: Record<string, unknown>
}

export class ApiClient {
  readonly #base: URL
  readonly #ca: string | undefined
  readonly #token: string | undefined

  constructor (base: string, ca: string | undefined, token: string | undefined) {
    this.#base = new URL(base)
    this.#ca = ca
    this.#token = token
  }

  async call (method: 'GET' | 'POST', route: string, body?: unknown): Promise<ApiAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    return await new Promise<ApiAnswer>((resolve, reject) => {
      const req = https.request(new URL(route, this.#base), {
        method,
        minVersion: 'TLSv1.3',
        ...(this.#ca === undefined ? {} : { ca: this.#ca }),
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }),
          ...(this.#token === undefined ? {} : { authorization: `Bearer ${this.#token}` })
        }
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          let parsed: unknown
          try { parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) } catch { parsed = {} }
          resolve({ status: res.statusCode ?? 0, body: typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {} })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
}
