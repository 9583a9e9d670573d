// Builds go/main.go once per test file against Debian's golang.org/x/mod (GOPATH mode, offline) and
// runs it. Tests skip, saying why, only when `go` or the package is absent.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { tempDirUntilExit } from '../../../helpers/temp-dir.ts'

const GOPATH = '/usr/share/gocode'
const SOURCE = path.join(import.meta.dirname, 'go', 'main.go')

/** Why the judge cannot run here, or undefined when it can. */
export function goMissing (): string | undefined {
  if (spawnSync('go', ['version']).status !== 0) return 'the go toolchain is not installed (Debian golang-go)'
  if (!existsSync(path.join(GOPATH, 'src/golang.org/x/mod/sumdb/note/note.go'))) return 'golang.org/x/mod is not installed (Debian golang-golang-x-mod-dev)'
  return undefined
}

/** Compile the judge; returns a runner. */
export function buildGoJudge (): (args: string[]) => { status: number, stdout: string, stderr: string } {
  const dir = tempDirUntilExit('ken-go-judge-')
  const bin = path.join(dir, 'judge')
  const env = { ...process.env, GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: path.join(dir, 'cache'), GOTOOLCHAIN: 'local' }
  execFileSync('go', ['build', '-o', bin, SOURCE], { env, stdio: 'pipe' })
  return (args) => {
    const r = spawnSync(bin, args, { encoding: 'utf8' })
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
  }
}
