/**
 * The registry of 事務 (SPEC §6; A3.1, A3.3): each row of 住基法 別表第五/第六 and of the prefectural
 * ordinance's tables that the prefecture uses is a configured entry naming the items it may receive
 * and the departments approved for it; the recipients (提供先 bodies, 移転先 departments) are listed
 * with the purposes they may receive under. Adding a 事務 is a configuration change (A3.3), so the
 * registry is data validated once at the edge; {@link DEFAULT_REGISTRY} is the development set.
 */
import { z } from 'zod'
import { deepFreeze, type DeepReadonly } from '../../../../firmware-config/src/deep.ts'
import { errors } from './errors.ts'

/** The items a purpose may receive (A3.2: the 8 items of 30条の7 + 住民票コード). */
export const ITEMS = {
  juminhyoCode: '住民票コード',
  name: '氏名',
  nameKana: 'ふりがな',
  birthDate: '生年月日',
  sex: '性別',
  address: '住所',
  kojinBango: '個人番号',
  changeReason: '異動事由',
  changeDate: '異動年月日'
} as const
export type Item = keyof typeof ITEMS
const ITEM_NAMES = Object.keys(ITEMS) as [Item, ...Item[]]

/** What a result list shows at most (A2.9: search and result screens never show 個人番号). */
export const LIST_ITEMS: readonly Item[] = ['name', 'nameKana', 'birthDate', 'sex', 'address']

const code = z.string().regex(/^[A-Z][A-Z0-9-]{0,31}$/)

const schema = z.object({
  departments: z.array(z.object({ code, name: z.string().min(1).max(64), branch: code }).strict()).min(1),
  purposes: z.array(z.object({
    code,
    title: z.string().min(1).max(128),
    /** The legal basis: 別表第五 / 別表第六 row or ordinance row. */
    basis: z.string().min(1).max(128),
    items: z.array(z.enum(ITEM_NAMES)).min(1),
    /** Departments approved for this 事務 (A1.13, A1.14). */
    departments: z.array(code).min(1)
  }).strict()).min(1),
  recipients: z.array(z.object({
    code,
    name: z.string().min(1).max(64),
    /** teikyo: another executive body; iten: a department of the prefecture. */
    kind: z.enum(['teikyo', 'iten']),
    purposes: z.array(code).min(1),
    /** A3.9: terminal only by default; media go through bulk provision. */
    channels: z.array(z.enum(['terminal', 'paper'])).min(1)
  }).strict())
}).strict()

export type PurposeRegistry = DeepReadonly<z.output<typeof schema>>
export type Purpose = PurposeRegistry['purposes'][number]
export type Recipient = PurposeRegistry['recipients'][number]

/** Validate a registry once; every purpose's departments and every recipient's purposes must exist. */
export function parseRegistry (input: unknown): PurposeRegistry {
  const result = schema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw errors.KEN_ERR_TERM_OPTIONS(`purposes registry: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { field: 'purposes' })
  }
  const r = result.data
  const departments = new Set(r.departments.map((d) => d.code))
  const purposes = new Set(r.purposes.map((p) => p.code))
  for (const p of r.purposes) for (const d of p.departments) if (!departments.has(d)) throw errors.KEN_ERR_TERM_OPTIONS(`purpose ${p.code}: unknown department ${d}`, { field: 'purposes' })
  for (const x of r.recipients) for (const p of x.purposes) if (!purposes.has(p)) throw errors.KEN_ERR_TERM_OPTIONS(`recipient ${x.code}: unknown purpose ${p}`, { field: 'recipients' })
  return deepFreeze(r)
}

export function findPurpose (registry: PurposeRegistry, purposeCode: string): Purpose | undefined {
  return registry.purposes.find((p) => p.code === purposeCode)
}

export function findRecipient (registry: PurposeRegistry, recipientCode: string): Recipient | undefined {
  return registry.recipients.find((r) => r.code === recipientCode)
}

const FOUR = ['name', 'nameKana', 'birthDate', 'sex', 'address'] as const

/**
 * The development registry: rows of the kinds the Fukuoka and Gunma assessments list (A3.1). The
 * codes are this appliance's; a prefecture replaces the set with its own configuration.
 */
export const DEFAULT_REGISTRY: PurposeRegistry = parseRegistry({
  departments: [
    { code: 'D-SHICHOSON', name: '市町村支援課', branch: 'HONCHO' },
    { code: 'D-ZEIMU', name: '税務課', branch: 'HONCHO' },
    { code: 'D-KENKO', name: '健康増進課', branch: 'HONCHO' },
    { code: 'D-KITAKYU', name: '北九州県税事務所', branch: 'KITAKYUSHU' }
  ],
  purposes: [
    { code: 'B5-RYOKEN', title: '旅券の発給に関する事務', basis: '住基法 別表第五', items: [...FOUR, 'changeReason', 'changeDate'], departments: ['D-SHICHOSON'] },
    { code: 'B5-ONKYU', title: '恩給・年金等の支給に関する事務', basis: '住基法 別表第五', items: [...FOUR, 'changeReason', 'changeDate'], departments: ['D-KENKO'] },
    { code: 'B6-KENZEI', title: '県税の賦課徴収に関する事務', basis: '住基法 別表第六', items: [...FOUR, 'juminhyoCode', 'kojinBango', 'changeReason', 'changeDate'], departments: ['D-ZEIMU', 'D-KITAKYU'] },
    { code: 'J1-KYOIKU', title: '教育委員会の奨学金に関する事務', basis: '福岡県住民基本台帳法施行条例 別表第一', items: ['name', 'birthDate', 'address'], departments: ['D-SHICHOSON'] },
    // A4.1, A4.3: disclosure and correction requests are handled by 市町村支援課; every item is disclosed.
    { code: 'K-KAIJI', title: '本人確認情報の開示に関する事務', basis: '住基法 第30条の32', items: [...FOUR, 'juminhyoCode', 'kojinBango', 'changeReason', 'changeDate'], departments: ['D-SHICHOSON'] },
    { code: 'K-TEISEI', title: '本人確認情報の訂正等の申出に関する事務', basis: '住基法 第30条の35', items: [...FOUR, 'juminhyoCode', 'kojinBango', 'changeReason', 'changeDate'], departments: ['D-SHICHOSON'] }
  ],
  recipients: [
    { code: 'R-ZEIMU', name: '税務課', kind: 'iten', purposes: ['B6-KENZEI'], channels: ['terminal'] },
    { code: 'R-KENKO', name: '健康増進課', kind: 'iten', purposes: ['B5-ONKYU'], channels: ['terminal'] },
    { code: 'R-KYOIKUI', name: '福岡県教育委員会', kind: 'teikyo', purposes: ['J1-KYOIKU'], channels: ['terminal'] },
    { code: 'R-RYOKEN', name: '旅券センター', kind: 'iten', purposes: ['B5-RYOKEN'], channels: ['terminal', 'paper'] }
  ]
})
