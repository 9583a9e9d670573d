/**
 * The printed disclosure form of a store answer, with the Japanese font found once per process
 * (japanese-font.ts; the project's set-up installs fonts-ipaexfont).
 */
import type { DisclosureAnswer } from '../../../../proto/src/types.ts'
import { disclosureForm } from './disclosure-form.ts'
import { renderDisclosurePdf } from './disclosure-pdf.ts'
import { JapaneseFont } from './japanese-font.ts'

let font: JapaneseFont | undefined

/** The A4 PDF. @throws KEN_ERR_FORM_FONT when no Japanese font is installed */
export async function renderDisclosureFor (answer: DisclosureAnswer, documentReference: string): Promise<Buffer> {
  font ??= new JapaneseFont()
  return await renderDisclosurePdf(disclosureForm(answer, documentReference), font)
}
