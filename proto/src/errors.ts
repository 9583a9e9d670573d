/** Error catalogue of proto/ (framing and encoding); reasons to reject an update live in reason-codes.ts. */
import { defineErrors } from './ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_PROTO_ENCODE: { message: 'the message cannot be encoded against ken.v1' },
  KEN_ERR_FRAME_TOO_LARGE: { message: 'a length-prefixed frame exceeds the configured maximum' },
  KEN_ERR_FRAME_TRUNCATED: { message: 'the stream ended inside a frame' }
})
