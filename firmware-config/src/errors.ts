/**
 * Error catalogue of firmware-config/ (STYLE.md: one catalogue per package, the export name is the
 * code). docs/configuration.md carries the same table; tests/unit/config/errors.test.ts keeps them in step.
 */
import { defineErrors } from '../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_CONFIG_INVALID: { message: 'the configuration is invalid' },
  KEN_ERR_CONFIG_UNREADABLE: { message: 'the configuration file cannot be read or is not a JSON object' },
  KEN_ERR_MUNICIPALITIES_INVALID: { message: 'the municipality list is invalid' }
})
