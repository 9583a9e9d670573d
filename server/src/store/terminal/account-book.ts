/**
 * The operator accounts (SPEC §6, A1): individual accounts only, each bound to one operator key (the
 * certificate's public key, pinned at registration) and a PIN hash. The store keeps them durably in
 * its own file beside the database (docs/terminal.md "Accounts"): every change is first recorded as
 * an act in the log (terminal.account.*), then the file is replaced atomically (write, fsync, rename,
 * fsync the directory). The log is the history; the file is the current state.
 */
import { open, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import type { Role } from './roles.ts'

export type AccountStatus = 'pending' | 'active' | 'revoked' | 'deleted'

export interface Account {
  readonly id: string
  role: Role
  department: string
  branch: string
  purposes: string[]
  status: AccountStatus
  pinHash: string
  /** The operator certificate's SubjectPublicKeyInfo, DER base64: the possession factor's key. */
  spki: string
  registeredBy: string
  registeredAt: string
  approvedBy: string
  /** Last valid day, YYYY-MM-DD (fiscal.ts). */
  expires: string
  failures: number
  lockedOut: boolean
  /** Who made the last change, its role, when; and whether a 拠点管理者's change was reported (A1.9). */
  changedBy: string
  changedByRole: string
  changedAt: string
  reported: boolean
}

/** Where the accounts are kept. */
export interface AccountPersistence {
  load: () => Promise<Account[]>
  save: (accounts: readonly Account[]) => Promise<void>
}

/** The accounts in memory only (tests). */
export class MemoryAccounts implements AccountPersistence {
  #saved: string = '[]'
  async load (): Promise<Account[]> { return JSON.parse(this.#saved) as Account[] }
  async save (accounts: readonly Account[]): Promise<void> { this.#saved = JSON.stringify(accounts) }
}

/** The accounts in one JSON file (mode 0600), replaced atomically. */
export class FileAccounts implements AccountPersistence {
  readonly #file: string

  constructor (file: string) {
    this.#file = file
  }

  async load (): Promise<Account[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#file, 'utf8'))
      return Array.isArray(parsed) ? parsed as Account[] : []
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  async save (accounts: readonly Account[]): Promise<void> {
    const tmp = `${this.#file}.tmp`
    const fh = await open(tmp, 'w', 0o600)
    try {
      await fh.writeFile(JSON.stringify(accounts, null, 1))
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, this.#file)
    const dir = await open(path.dirname(this.#file), 'r')
    try { await dir.sync() } finally { await dir.close() }
  }
}

/** The accounts by id, saved after every change (changes are serialised by the caller). */
export class AccountBook {
  readonly #persistence: AccountPersistence
  readonly #byId = new Map<string, Account>()

  constructor (persistence: AccountPersistence) {
    this.#persistence = persistence
  }

  async load (): Promise<void> {
    for (const a of await this.#persistence.load()) this.#byId.set(a.id, a)
  }

  get size (): number {
    return this.#byId.size
  }

  get (id: string): Account | undefined {
    return this.#byId.get(id)
  }

  all (): Account[] {
    return [...this.#byId.values()].sort((a, b) => a.id.localeCompare(b.id))
  }

  async put (account: Account): Promise<void> {
    this.#byId.set(account.id, account)
    await this.#persistence.save(this.all())
  }

  async save (): Promise<void> {
    await this.#persistence.save(this.all())
  }
}
