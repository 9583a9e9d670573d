/** Server-rendered HTML: escaping and the page shell (one stylesheet, one script for the idle lock). */
import type { SessionInfo } from '../../../../proto/src/types.ts'
import type { Lang } from '../request-context.ts'
import { errorText, words, type Word } from './i18n.ts'
import { reportLinks } from './nav-reports.ts'

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe in element content and in quoted attributes. */
export function h (value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

export interface Page {
  readonly lang: Lang
  readonly title: Word
  readonly body: string
  readonly who?: SessionInfo | undefined
  /** A refusal code to explain at the top of the page. */
  readonly error?: string | undefined
  readonly notice?: string | undefined
}

export function page (p: Page): string {
  const w = words(p.lang)
  const who = p.who
  const nav = who === undefined
    ? ''
    : `<nav aria-label="menu">
  ${who.role === 'operator' ? `<a href="/search" accesskey="s">${h(w.search)}</a>` : ''}
  ${who.role === 'operator' && who.purposes.includes('K-TEISEI') ? `<a href="/corrections" id="nav-corrections">${h(w.corrections)}</a>` : ''}
  ${['system-admin', 'branch-admin', 'security-officer', 'auditor'].includes(who.role) ? `<a href="/admin/accounts" accesskey="a">${h(w.accounts)}</a>` : ''}
  ${['system-admin', 'security-officer'].includes(who.role) ? `<a href="/admin/deletions" accesskey="d" id="nav-deletions">${h(w.deletions)}</a>` : ''}
  ${reportLinks(who.role, w)}
  <form method="post" action="/lock"><button type="submit" accesskey="l">${h(w.lock)}</button></form>
  <form method="post" action="/logout"><button type="submit">${h(w.logout)}</button></form>
</nav>`
  const idle = who === undefined || who.locked ? '' : ` data-idle="${who.idleLockSeconds}"`
  return `<!doctype html>
<html lang="${p.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${h(w[p.title])} — ${h(w.title)}</title>
<link rel="stylesheet" href="/static/console.css">${idle === '' ? '' : '\n<script src="/static/idle.js" defer></script>'}${who?.hardcopy === 'print-with-record' ? '\n<script src="/static/print.js" defer></script>' : ''}</head>
<body${idle}>
<header><span class="brand">${h(w.title)}</span>${who === undefined ? '' : `<span class="who">${h(who.accountId)} · ${h(w[`role_${who.role}` as Word] ?? who.role)} · ${h(who.department)}</span>`}
${nav}<a class="lang" href="/lang/${p.lang === 'ja' ? 'en' : 'ja'}">${h(w.lang)}</a></header>
<main id="main">
<h1>${h(w[p.title])}</h1>
${p.error === undefined || p.error === '' ? '' : `<p class="error" role="alert" id="error" data-code="${h(p.error)}">${h(errorText(p.lang, p.error))}</p>`}
${p.notice === undefined ? '' : `<p class="notice" role="status" id="notice">${h(p.notice)}</p>`}
${p.body}
</main>
${idle === '' ? '' : '<form id="idle-lock" method="post" action="/lock" hidden></form>'}
</body>
</html>`
}
