/**
 * Reads what a commit group will need in a few multi-key reads before planning it item by item, so
 * planning rarely waits for a single-key read. Only a performance step: planning reads through the
 * overlay anyway and stays correct if something was not prefetched.
 */
import { ChangeReason, type AppendItem } from '../../../proto/src/types.ts'
import { countsKey, dedupKey, streamKey } from './layout.ts'
import { decodeStored } from './codec.ts'
import { prefetchCurrent, readCurrent } from './current-view.ts'
import type { GroupState } from './planner.ts'

export async function prefetchGroup (g: GroupState, items: readonly AppendItem[]): Promise<void> {
  const keyring = g.keyring
  const want = { dedup: [] as Buffer[], lastseq: [] as Buffer[], counts: [] as Buffer[], current: [] as Buffer[], fuhyo: [] as Buffer[], kojin: [] as Buffer[] }
  for (const item of items) {
    const update = item.update ?? undefined
    const stream = update?.stream ?? item.rejection?.stream ?? 0
    const sequence = update?.sequence ?? item.rejection?.sequence ?? 0
    want.counts.push(countsKey(item.municipalityCode))
    if (stream !== 0 && sequence > 0) {
      want.dedup.push(dedupKey(item.municipalityCode, stream, sequence))
      want.lastseq.push(streamKey(item.municipalityCode, stream))
    }
    if (keyring === undefined || update === undefined) continue
    const identity = update.identity ?? undefined
    const code = identity?.juminhyoCode ?? update.fuhyo?.juminhyoCode
    if (code === undefined) continue
    const subject = keyring.subjectToken(code)
    want.current.push(subject)
    want.fuhyo.push(subject)
    if (identity !== undefined) {
      if (identity.changeReason === ChangeReason.JUMINHYO_CODE_HENKO) want.current.push(keyring.subjectToken(identity.previousJuminhyoCode))
      want.kojin.push(keyring.kojinToken(identity.kojinBango))
    }
  }
  const { current, ...bySubject } = want
  // The current records take two reads (the subjects' numbers, then the records: current-view.ts),
  // run beside the other spaces' one each.
  await Promise.all([prefetchCurrent(g.tx, current), ...Object.entries(bySubject).map(async ([space, keys]) => await g.tx.prefetch(space as keyof typeof bySubject, keys))])
  if (keyring === undefined) return
  // Second round: the wrapped data keys of the residents found, unless already in memory.
  const keyIds: Buffer[] = []
  for (const [space, keys] of [['current', want.current], ['fuhyo', want.fuhyo]] as const) {
    for (const key of keys) {
      // Fetched just above (or written by the group): known without I/O.
      const bytes = space === 'current' ? readCurrent(g.tx, key)?.bytes : g.tx.read(space, key)
      if (bytes === undefined) continue
      const keyId = (space === 'current' ? decodeStored('ResidentView', bytes) : decodeStored('FuhyoView', bytes)).keyId
      if (!keyring.has(keyId)) keyIds.push(Buffer.from(keyId))
    }
  }
  await g.tx.prefetch('keys', keyIds)
}
