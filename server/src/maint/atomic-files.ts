/** Files replaced whole: written beside the target, fsynced, renamed over it (readers never see half a file). */
import { open, readFile, rename } from 'node:fs/promises'

export async function replaceFile (file: string, content: string | Buffer, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(content)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, file)
}

export async function readIfExists (file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
