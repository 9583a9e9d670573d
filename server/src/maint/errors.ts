/**
 * Error catalogue of ken-maint (STYLE.md: one coded catalogue per package, export name = code).
 * docs/maintenance.md carries the same table; tests/unit/maint/errors.test.ts keeps them in step.
 * A detail MUST NOT carry personal data (SPEC §7).
 */
import { defineErrors } from '../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_MAINT_OPTIONS: { message: 'the ken-maint options are invalid' },
  KEN_ERR_MAINT_NOT_TECHNICIAN: { message: 'the client certificate is not a valid technician credential of the prefecture\'s CA' },
  KEN_ERR_MAINT_NO_SUCH_ROUTE: { message: 'ken-maint offers no such route (it never serves a resident\'s data); the attempt is recorded' },
  KEN_ERR_MAINT_BAD_REQUEST: { message: 'the request does not match the route\'s schema' },
  KEN_ERR_MAINT_UNKNOWN_DAEMON: { message: 'no daemon of that name is reachable from ken-maint' },
  KEN_ERR_MAINT_DAEMON_UNREACHABLE: { message: 'the daemon\'s maintenance socket did not answer' },
  KEN_ERR_MAINT_CONFIG_INVALID: { message: 'the configuration change was refused by the schema; nothing was written' },
  KEN_ERR_MAINT_ROTATION_INVALID: { message: 'the rotation was refused; the files and the material in force are unchanged' }
})

export type MaintErrorCode = keyof typeof errors
