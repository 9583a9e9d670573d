/**
 * The mismatch list and the monthly 統計情報不一致リスト (SPEC §5.3, §6 statistics; requirements C5,
 * C6, H16). Both are read from the log alone: each `reconcile.run` act holds its run's differences
 * (sealed detail), each `reconcile.resolve` act one resolution — who, when, how (explained, or fixed
 * by the municipality's later update at log position P) — so the list is a function of the log. An
 * index of those entries' positions (the reconcile/ database, `work`) spares a walk of the whole log
 * on every call: each call looks only at the entries appended since the previous one.
 */
import { decode } from '../../../../proto/src/codec.ts'
import { LogUpdateKind, MismatchStatus, ResultStatus, type MismatchItem, type MismatchQuery, type MismatchResolution, type MonthlyCountRow, type MonthlyReport, type ReconcileRunDetail } from '../../../../proto/src/types.ts'
import type { LogRecord, Store } from '../store.ts'
import { errors } from '../errors.ts'
import { ACT_INDEX_HEAD, actKey, actPosition, actRange } from './keys.ts'
import type { WorkDb, WorkOp } from './work-db.ts'

const ACT_KINDS = new Set(['reconcile.run', 'reconcile.resolve'])

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const STATUS_NOTE = { [MismatchStatus.EXPLAINED]: 'explained', [MismatchStatus.FIXED]: 'fixed' } as const

/** What a resolution says about one difference. */
type Resolution = Omit<MismatchItem, 'runPosition' | 'index' | 'municipalityCode' | 'difference' | 'runAt'>

interface Run {
  readonly position: number
  readonly recordedAt: string
  readonly period: string
  readonly detail: ReconcileRunDetail
}

export class MismatchList {
  readonly #store: Store
  readonly #work: WorkDb
  #indexing: Promise<void> = Promise.resolve()

  constructor (store: Store, work: WorkDb) {
    this.#store = store
    this.#work = work
  }

  /** Every difference of every run (filtered), with its status. */
  async list (query: Partial<MismatchQuery> = {}): Promise<MismatchItem[]> {
    if (query.month !== undefined && query.month !== '' && !MONTH.test(query.month)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('month must be YYYY-MM', { field: 'month' })
    const { runs, resolutions } = await this.#scan()
    const out: MismatchItem[] = []
    for (const run of runs) {
      if (query.municipalityCode !== undefined && query.municipalityCode !== '' && run.detail.municipalityCode !== query.municipalityCode) continue
      if (query.month !== undefined && query.month !== '' && run.period !== query.month) continue
      run.detail.differences.forEach((difference, index) => {
        const item = resolutions.get(`${run.position}/${index}`) ?? { status: MismatchStatus.OPEN, fixedAt: 0, resolvedBy: '', approver: '', resolvedAt: '', note: '', resolutionPosition: 0 }
        if (query.openOnly === true && item.status !== MismatchStatus.OPEN) return
        out.push({ runPosition: run.position, index, municipalityCode: run.detail.municipalityCode, difference, runAt: run.recordedAt, ...item })
      })
    }
    return out
  }

  /**
   * Resolve one difference (requirements C6: a request reference, an approver, an audit record): as
   * explained (with a note), or as fixed by the municipality's accepted update at `fixedAt`.
   * @throws KEN_ERR_STORE_RECONCILE_UNKNOWN, KEN_ERR_STORE_RECONCILE_RESOLVED, KEN_ERR_STORE_RECONCILE_FIX
   */
  async resolve (r: MismatchResolution): Promise<MismatchItem> {
    if (r.status !== MismatchStatus.EXPLAINED && r.status !== MismatchStatus.FIXED) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('status must be EXPLAINED or FIXED', { field: 'status' })
    if (r.status === MismatchStatus.EXPLAINED && r.note.length === 0) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('an explanation needs a note (request reference)', { field: 'note' })
    const items = await this.list()
    const item = items.find((i) => i.runPosition === r.runPosition && i.index === r.index)
    if (item === undefined) throw errors.KEN_ERR_STORE_RECONCILE_UNKNOWN()
    if (item.status !== MismatchStatus.OPEN) throw errors.KEN_ERR_STORE_RECONCILE_RESOLVED()
    if (r.status === MismatchStatus.FIXED) await this.#checkFix(item, r.fixedAt)
    const head = await this.#store.recordAct({
      kind: 'reconcile.resolve',
      actor: r.actor,
      approver: r.approver,
      terminal: item.municipalityCode,
      fromPosition: r.runPosition,
      toPosition: r.status === MismatchStatus.FIXED ? r.fixedAt : 0,
      count: r.index,
      note: `${STATUS_NOTE[r.status]}: ${r.note}`
    })
    const resolved = (await this.list()).find((i) => i.runPosition === r.runPosition && i.index === r.index)
    if (resolved === undefined || resolved.resolutionPosition !== head.position) throw errors.KEN_ERR_STORE_RECONCILE_UNKNOWN()
    return resolved
  }

  /**
   * The monthly 統計情報不一致リスト (H16): per municipality, its last run of the month — the CS's count
   * against the file's — listed where they differ or mismatches are open, and those open mismatches.
   * A clean month gives empty lists.
   */
  async monthly (month: string): Promise<MonthlyReport> {
    if (!MONTH.test(month)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('month must be YYYY-MM', { field: 'month' })
    const open = await this.list({ month, openOnly: true })
    const { runs } = await this.#scan()
    const lastRun = new Map<string, Run>()
    for (const run of runs) if (run.period === month) lastRun.set(run.detail.municipalityCode, run)
    const rows: MonthlyCountRow[] = []
    for (const [code, run] of [...lastRun].sort(([a], [b]) => a.localeCompare(b))) {
      const openMismatches = open.filter((i) => i.runPosition === run.position).length
      const s = run.detail.summary
      const recordsAtCs = s?.recordsAtCs ?? 0
      const recordsHere = s?.recordsHere ?? 0
      if (recordsAtCs === recordsHere && openMismatches === 0) continue
      rows.push({ municipalityCode: code, recordsAtCs, recordsHere, currentNow: (await this.#store.counts(code)).current, openMismatches, runPosition: run.position })
    }
    const lastPositions = new Set([...lastRun.values()].map((r) => r.position))
    return { month, rows, items: open.filter((i) => lastPositions.has(i.runPosition)) }
  }

  async #checkFix (item: MismatchItem, fixedAt: number): Promise<void> {
    if (!Number.isSafeInteger(fixedAt) || fixedAt <= item.runPosition || fixedAt > this.#store.head().position) throw errors.KEN_ERR_STORE_RECONCILE_FIX()
    let record: LogRecord | undefined
    for await (const r of this.#store.entries(fixedAt, fixedAt)) record = r
    const u = record?.entry.update
    const code = item.difference?.juminhyoCode ?? ''
    const [subject] = this.#store.subjectTokens([code])
    const effect = u?.effect
    const concerns = effect !== undefined && effect !== null && subject !== undefined && (Buffer.from(effect.subject).equals(subject) || Buffer.from(effect.retiredSubject).equals(subject))
    if (u === undefined || u === null || u.kind !== LogUpdateKind.IDENTITY || u.status !== ResultStatus.ACCEPTED || u.municipalityCode !== item.municipalityCode || !concerns) throw errors.KEN_ERR_STORE_RECONCILE_FIX()
  }

  /** The reconcile acts of the whole log: runs (with their opened detail) and the latest resolution of each difference. */
  async #scan (): Promise<{ runs: Run[], resolutions: Map<string, Resolution> }> {
    const runs: Run[] = []
    const resolutions = new Map<string, Resolution>()
    this.#indexing = this.#indexing.catch(() => undefined).then(async () => { await this.#index() })
    await this.#indexing
    for await (const chunk of this.#work.iterate(...actRange)) {
      for (const [key] of chunk) {
        const position = actPosition(key)
        for await (const record of this.#store.entries(position, position)) await this.#read(record, runs, resolutions)
      }
    }
    return { runs, resolutions }
  }

  /** Bring the index of reconcile entries up to the log's head. */
  async #index (): Promise<void> {
    const [headBytes] = await this.#work.getMany([ACT_INDEX_HEAD])
    const from = headBytes === undefined ? 1 : Number(headBytes.readBigUInt64BE(0)) + 1
    const head = this.#store.head().position
    if (head < from) return
    const ops: WorkOp[] = []
    for await (const record of this.#store.entries(from, head)) {
      const kind = record.entry.act?.kind
      if (kind !== undefined && ACT_KINDS.has(kind)) ops.push({ key: actKey(record.position), value: Buffer.alloc(0) })
    }
    const h = Buffer.alloc(8)
    h.writeBigUInt64BE(BigInt(head))
    ops.push({ key: ACT_INDEX_HEAD, value: h })
    await this.#work.write(ops)
  }

  async #read (record: LogRecord, runs: Run[], resolutions: Map<string, Resolution>): Promise<void> {
    const act = record.entry.act
    if (act === undefined || act === null) return
    if (act.kind === 'reconcile.run') {
      const detail = await this.#store.openActDetail(record)
      if (detail !== undefined) runs.push({ position: record.position, recordedAt: record.entry.recordedAt, period: act.period, detail: decode('ReconcileRunDetail', detail) })
    } else if (act.kind === 'reconcile.resolve') {
      resolutions.set(`${act.fromPosition}/${act.count}`, {
        status: act.note.startsWith('fixed: ') ? MismatchStatus.FIXED : MismatchStatus.EXPLAINED,
        fixedAt: act.toPosition,
        resolvedBy: act.actor,
        approver: act.approver,
        resolvedAt: record.entry.recordedAt,
        note: act.note.slice(act.note.indexOf(': ') + 2),
        resolutionPosition: record.position
      })
    }
  }
}
