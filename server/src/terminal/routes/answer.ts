/** How a route turns the store's TerminalResponse into HTTP (statuses from http-errors.ts only). */
import type { FastifyReply } from 'fastify'
import type { TerminalResponse } from '../../../../proto/src/types.ts'
import { httpStatus } from '../http-errors.ts'

/** A refusal as JSON `{ code, field, logPosition }`, or `ok(response)` as 200. */
export async function answer (reply: FastifyReply, response: TerminalResponse, ok: (r: TerminalResponse) => unknown): Promise<FastifyReply> {
  if (response.errorCode !== '') return await reply.code(httpStatus(response.errorCode)).send({ code: response.errorCode, field: response.errorField, logPosition: response.logPosition })
  return await reply.code(200).send(ok(response))
}

const b64 = { type: 'string', maxLength: 4096, pattern: '^[A-Za-z0-9+/_=-]*$' } as const
export const S = {
  b64,
  id: { type: 'string', minLength: 1, maxLength: 16, pattern: '^[A-Z][A-Z0-9]{1,15}$' },
  code: { type: 'string', maxLength: 32, pattern: '^[A-Z0-9-]*$' },
  text: (max: number) => ({ type: 'string', maxLength: max }) as const,
  strict: <P extends Record<string, unknown>>(properties: P, required: ReadonlyArray<keyof P & string>) => ({ type: 'object', additionalProperties: false, properties, required }) as const
}

/** The JSON schema of every API answer that is only a log position. */
export const POSITION_RESPONSE = { 200: { type: 'object', additionalProperties: false, properties: { logPosition: { type: 'integer' } } } } as const
