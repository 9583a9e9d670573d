// What the outbox reads of a log entry, as protobufjs decodes it (`expected`: outbox-reader.ts before
// forward-entry.ts) and as forward-entry.ts reads it (`read`), in one comparable shape
// (forward-entry.test.ts, outbox-entries.test.ts).
import { LogUpdateKind, ResultStatus, type LogEntry } from '../../../proto/src/types.ts'
import type { ForwardEntry } from '../../../server/src/store/forward-entry.ts'

const hex = (b: Uint8Array | undefined): string | undefined => b === undefined ? undefined : Buffer.from(b).toString('hex')

export function expected (entry: LogEntry): unknown {
  const u = entry.update
  const forward = u !== null && u !== undefined && u.status === ResultStatus.ACCEPTED && (u.kind === LogUpdateKind.IDENTITY || u.kind === LogUpdateKind.FUHYO)
  return {
    recordedAt: entry.recordedAt,
    update: !forward
      ? null
      : { municipalityCode: u.municipalityCode, kind: u.kind, keyId: hex(u.keyId), sealedUpdate: hex(u.sealedUpdate), sealedRecord: u.effect === null || u.effect === undefined ? undefined : hex(u.effect.sealedRecord) }
  }
}

export function read (entry: ForwardEntry): unknown {
  const u = entry.update
  return {
    recordedAt: entry.recordedAt,
    update: u === null ? null : { municipalityCode: u.municipalityCode, kind: u.kind, keyId: hex(u.keyId), sealedUpdate: hex(u.sealedUpdate), sealedRecord: hex(u.sealedRecord) }
  }
}
