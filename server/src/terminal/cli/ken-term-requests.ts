/**
 * ken-term's commands for residents' own requests (issue 14; 住基法30条の32, 30条の35):
 *
 *   ken-term disclose --purpose K-KAIJI --ref R --document driving-licence|my-number-card|passport|residence-card|two-documents
 *            --document-ref FORM-NO [--medium screen|paper] [--out form.pdf]     (paper: the A4 PDF is written to --out)
 *   ken-term correction receive --purpose K-TEISEI --ref R --text T [--reference FORM-NO]
 *   ken-term correction investigate|refer|updated|close --purpose K-TEISEI --case ID [--municipality C] [--position N] [--corrected] [--text REASON]
 *   ken-term corrections --purpose K-TEISEI [--all] [--case ID]                 (open cases by age; --all every case)
 */
import { writeFileSync } from 'node:fs'
import type { ApiAnswer, ApiClient } from './api-client.ts'

export const REQUEST_OPTIONS = {
  document: { type: 'string' }, 'document-ref': { type: 'string' }, medium: { type: 'string' }, out: { type: 'string' }, case: { type: 'string' },
  municipality: { type: 'string' }, position: { type: 'string' }, corrected: { type: 'boolean' }, text: { type: 'string' }, all: { type: 'boolean' }
} as const

export interface RequestValues {
  purpose?: string | undefined, ref?: string | undefined, reference?: string | undefined, document?: string | undefined, 'document-ref'?: string | undefined, medium?: string | undefined,
  out?: string | undefined, case?: string | undefined, municipality?: string | undefined, position?: string | undefined, corrected?: boolean | undefined, text?: string | undefined, all?: boolean | undefined
}

/** The answer of a request command, or undefined when `command` is not one. @throws Error (usage) */
export async function requestCommand (api: ApiClient, command: string | undefined, sub: string | undefined, v: RequestValues, need: (value: string | undefined, name: string) => string): Promise<ApiAnswer | undefined> {
  switch (command) {
    case 'disclose': {
      const medium = v.medium ?? 'screen'
      if (medium === 'paper') need(v.out, 'out')
      const answer = await api.call('POST', '/api/disclosure', { purpose: need(v.purpose, 'purpose'), ref: need(v.ref, 'ref'), document: need(v.document, 'document'), documentReference: need(v['document-ref'], 'document-ref'), medium })
      const pdf = answer.body.pdf
      if (typeof pdf !== 'string' || v.out === undefined) return answer
      writeFileSync(v.out, Buffer.from(pdf, 'base64'), { mode: 0o600 })
      const { pdf: _written, ...rest } = answer.body
      return { ...answer, body: { ...rest, pdfFile: v.out } }
    }
    case 'correction': {
      const kind = need(sub, 'step (receive|investigate|refer|updated|close)')
      return await api.call('POST', '/api/corrections/step', {
        purpose: need(v.purpose, 'purpose'),
        kind,
        ...(kind === 'receive' ? { ref: need(v.ref, 'ref'), text: need(v.text, 'text') } : { caseId: need(v.case, 'case') }),
        ...(kind === 'refer' ? { municipalityCode: need(v.municipality, 'municipality') } : {}),
        ...(kind === 'updated' ? { position: Number(need(v.position, 'position')) } : {}),
        ...(kind === 'close' ? { corrected: v.corrected === true, ...(v.text === undefined ? {} : { text: v.text }) } : {}),
        ...(v.reference === undefined ? {} : { reference: v.reference })
      })
    }
    case 'corrections': {
      const query = new URLSearchParams({ purpose: need(v.purpose, 'purpose'), open: v.all === true ? 'false' : 'true', ...(v.case === undefined ? {} : { caseId: v.case }) })
      return await api.call('GET', `/api/corrections?${query.toString()}`)
    }
    default: return undefined
  }
}
