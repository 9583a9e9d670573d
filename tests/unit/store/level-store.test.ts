// The conformance suite against the LevelDB store.
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { conformance } from './conformance.ts'
import { TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

conformance(t, (t) => new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY }))
