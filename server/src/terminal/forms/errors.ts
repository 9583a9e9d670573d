/** Error catalogue of the terminal's printed forms and exports (server/src/terminal/forms/). */
import { defineErrors } from '../../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_FORM_FONT: { message: 'no Japanese font for the printed forms was found (install fonts-ipaexfont or set the font path)' },
  KEN_ERR_FORM_INPUT: { message: 'the form data is incomplete or malformed' }
})
