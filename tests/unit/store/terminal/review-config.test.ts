// The review's anomaly rules as appliance configuration (firmware-config terminal.review, A7.6): a
// holiday the prefecture lists makes a daytime search on that date off-hours, through the path the
// systemd unit takes (loadConfig → storeOptionsFrom → the store's options → the terminal service).
import t from 'tap'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../../../../firmware-config/src/load.ts'
import type { SearchQuery, TerminalRequest, TerminalResponse } from '../../../../proto/src/types.ts'
import { storeOptionsFrom } from '../../../../server/src/store/from-config.ts'
import { parseDaemonOptions } from '../../../../server/src/store/options.ts'
import { SILENT_LOGGER } from '../../../../server/src/store/store-types.ts'
import { parseReviewRules } from '../../../../server/src/store/terminal/review-rules.ts'
import { terminalServiceFrom } from '../../../../server/src/store/terminal/start.ts'
import { DEFAULT_RULES } from '../../../../server/src/terminal/review/anomalies.ts'
import { person, tempDir } from '../helpers.ts'
import { auditorSession, makeReportFixture, type ReportFixture } from './report-fixture.ts'

const q = (o: Partial<SearchQuery>): SearchQuery => ({ purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false, ...o })
const day = (flaggedOnly: boolean): TerminalRequest['review'] => ({ actor: 'OP001', terminal: '', from: '2026-06-01', to: '2026-06-01', kind: 'terminal.search', purpose: '', flaggedOnly })

/** The store's terminal service as a configuration sets it up, with an auditor logged in. */
async function configuredService (f: ReportFixture, stateDir: string, review: Record<string, unknown>): Promise<(req: Partial<TerminalRequest>) => Promise<TerminalResponse>> {
  const options = parseDaemonOptions(storeOptionsFrom(loadConfig({ paths: { stateDir }, terminal: { review } }, { env: {} })))
  if (options.terminal === undefined) throw new Error('no terminal options')
  mkdirSync(path.dirname(options.terminal.accountsFile), { recursive: true })
  const service = await terminalServiceFrom(f.store, options.terminal, { logger: SILENT_LOGGER, clock: f.clock.read })
  await service.open()
  const { ask, session } = await auditorSession(f, service)
  return async (req) => await ask({ session, ...req })
}

t.test('a holiday in terminal.review.holidays flags a daytime search on that date as off-hours', async (t) => {
  const dir = tempDir(t)
  const f = await makeReportFixture(path.join(dir, 'pki'), { residents: 8 })
  t.teardown(async () => await f.store.close())
  // The fixture's clock: Monday 1 June 2026, 10:00 in Japan — a business day by the defaults.
  for (const i of [1, 2, 3]) t.equal((await f.ask({ session: f.sessions.OP001, search: q({ name: person(i).nameKanji, address: person(i).address }) })).errorCode, '')
  const configured = await configuredService(f, path.join(dir, 'a'), { holidays: ['2026-06-01'] })
  const r = await configured({ review: day(false) })
  t.equal(r.errorCode, '')
  t.equal(r.review?.rows.length, 3)
  t.ok(r.review?.rows.every((x) => x.flags.includes('off-hours')), 'every search of the listed holiday flagged')
  const plain = await configuredService(f, path.join(dir, 'b'), {})
  t.same((await plain({ review: day(true) })).review?.rows, [], 'with the shipped defaults the same searches are business as usual')
  const monday = await configuredService(f, path.join(dir, 'c'), { closedWeekdays: [0, 1, 6] })
  t.equal((await monday({ review: day(true) })).review?.rows.length, 3, 'an office closed on Mondays flags them too')
})

t.test('the configured defaults are the review\'s defaults; bad rules are refused with coded errors', async (t) => {
  const options = parseDaemonOptions(storeOptionsFrom(loadConfig({ paths: { stateDir: '/srv/ken/' } }, { env: {} })))
  t.same(parseReviewRules(options.terminal?.reviewRules), DEFAULT_RULES)
  for (const review of [{ holidays: ['2026-02-30'] }, { holidays: '2026-06-01' }, { businessHours: [18, 9] }, { businessHours: [8, 19, 20] }, { closedWeekdays: [7] }, { closedWeekdays: [1, 1] }, { refusals: 0 }, { unknown: 1 }]) {
    t.throws(() => loadConfig({ terminal: { review } }, { env: {} }), { code: 'KEN_ERR_CONFIG_INVALID' }, JSON.stringify(review))
  }
  // `ken-store serve --review-rules FILE` without a configuration: the same rules, checked with the store's options.
  const cli = (reviewRules: unknown): ReturnType<typeof parseDaemonOptions> => parseDaemonOptions({ dbPath: '/srv/ken/db', socketPath: '/srv/ken/s.sock', keyFile: '/srv/ken/k', terminal: { socketPath: '/srv/ken/t.sock', accountsFile: '/srv/ken/a.json', reviewRules } })
  t.same(parseReviewRules(cli({ holidays: ['2027-01-01'] }).terminal?.reviewRules).holidays, ['2027-01-01'])
  t.throws(() => cli({ businessHours: [18, 9] }), { code: 'KEN_ERR_STORE_INVALID_OPTIONS' })
})
