// The daemon's options: unknown keys refused, the key named, defaults from firmware-config, frozen.
import t from 'tap'
import { DEFAULTS, parseDaemonOptions } from '../../../server/src/store/options.ts'
import { DEFAULTS as APPLIANCE } from '../../../firmware-config/src/defaults.ts'

const base = { dbPath: '/var/lib/ken/db', socketPath: '/run/ken/store.sock', keyFile: '/var/lib/ken/keys/appliance.key' }

t.test('defaults are the appliance\'s and the result is frozen', async (t) => {
  const options = parseDaemonOptions(base)
  t.equal(options.maxDelayMs, APPLIANCE.store.groupCommitMaxDelayMs)
  t.equal(options.maxEntries, APPLIANCE.store.groupCommitMaxEntries)
  t.equal(options.socketMode, 0o660)
  t.equal(options.maxFrameBytes, DEFAULTS.maxFrameBytes)
  t.ok(Object.isFrozen(options))
})

t.test('wrong options name the key', async (t) => {
  t.throws(() => parseDaemonOptions({ ...base, maxEntires: 5 }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS' })
  t.throws(() => parseDaemonOptions({ ...base, maxEntries: 0 }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS', field: 'maxEntries' })
  t.throws(() => parseDaemonOptions({ ...base, maxDelayMs: -1 }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS', field: 'maxDelayMs' })
  t.throws(() => parseDaemonOptions({ ...base, socketPath: `/tmp/${'x'.repeat(120)}` }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS', field: 'socketPath' })
  t.throws(() => parseDaemonOptions({ dbPath: '/x', socketPath: '/y' }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS', field: 'keyFile' })
})
