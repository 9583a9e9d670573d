// SPEC §1.1: ken-national "may never read anything but the outbox". What it can say to the store is
// the OutboxRequest message, nothing else (the socket refuses any other frame: outbox-socket.test.ts);
// its requests name log positions and a peer — no message of it names a resident to look up.
import t from 'tap'
import { messageType } from '../../../proto/src/schema.ts'

t.test('OutboxRequest: read, confirm, and the answer to a query the store asked — nothing that selects a resident', async (t) => {
  t.same(messageType('OutboxRequest').fieldsArray.map((f) => [f.name, f.type]).sort(), [['confirm', 'OutboxConfirm'], ['queryAnswer', 'NationalSearchResponse'], ['read', 'OutboxRead']])
  t.same(messageType('OutboxRead').fieldsArray.map((f) => f.name).sort(), ['fromPosition', 'maxItems', 'waitMs'])
  t.same(messageType('OutboxConfirm').fieldsArray.map((f) => f.name).sort(), ['peer', 'upToPosition'])
  // The answer travels to the store; the store only accepts it for a query it sent (outbox-server.ts).
  t.same(messageType('NationalSearchResponse').fieldsArray.map((f) => f.name).sort(), ['queryId', 'reasonCode', 'records'])
})

t.test('the oneof members start at field 8: no other socket message decodes as an OutboxRequest', async (t) => {
  for (const f of messageType('OutboxRequest').fieldsArray) t.ok(f.id >= 8, `${f.name} = ${f.id}`)
  for (const f of messageType('OutboxMessage').fieldsArray) t.ok(f.id >= 8, `${f.name} = ${f.id}`)
})
