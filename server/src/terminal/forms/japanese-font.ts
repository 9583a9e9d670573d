/**
 * The Japanese font of the printed forms (SPEC §6: Japanese, A4). Installed by the project's own
 * set-up: Debian `fonts-ipaexfont` (IPAex明朝, IPA Font License) or `fonts-noto-cjk`. pdfkit embeds
 * only the glyphs a form uses (a subset), so a form stays small.
 * A character the font has no glyph for — a municipality's 外字 (U+E000–U+F8FF by our convention,
 * server/src/domain/gaiji.ts) above all — is printed as 〓 (げた) and the form says so.
 */
import { existsSync } from 'node:fs'
import * as fontkit from 'fontkit'
import { errors } from './errors.ts'

/** Where Debian puts the fonts, in order of preference. */
export const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf',
  '/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf',
  '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'
] as const

/** The mark printed for a character the font lacks (JIS X 0208 〓, used for 外字 on forms). */
export const GETA = '〓'

export class JapaneseFont {
  readonly path: string
  readonly #font: fontkit.Font

  /** @throws KEN_ERR_FORM_FONT */
  constructor (path?: string) {
    const found = path ?? FONT_CANDIDATES.find((p) => existsSync(p))
    if (found === undefined || !existsSync(found)) throw errors.KEN_ERR_FORM_FONT(path)
    const font = fontkit.openSync(found)
    if (!('hasGlyphForCodePoint' in font)) throw errors.KEN_ERR_FORM_FONT(`${found} is a collection; name one face`)
    this.path = found
    this.#font = font
  }

  /** `text` with every character the font cannot print replaced by 〓, and whether any was. */
  printable (text: string): { text: string, replaced: boolean } {
    let replaced = false
    let out = ''
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0
      if (cp >= 0xe000 && cp <= 0xf8ff ? true : !this.#font.hasGlyphForCodePoint(cp)) {
        out += GETA
        replaced = true
      } else {
        out += ch
      }
    }
    return { text: out, replaced }
  }
}
