// The conformance suite against the in-memory store.
import t from 'tap'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { conformance } from './conformance.ts'
import { TEST_APPLIANCE_KEY } from './helpers.ts'

conformance(t, () => new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY }))
