/**
 * What the reconciliation end-to-end tests share: residents loaded into the appliance's store
 * directly (the link is not what they test, and 100 000 updates over MQTT would take minutes on a
 * loaded machine), then both daemons started; and a CS run over the real link.
 */
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import type { Population } from '../../sim/generator/population.ts'
import { loadMunicipality } from '../../sim/cs-sim/load-store.ts'
import { ReconcilingCs } from '../../sim/cs-sim/reconciling-cs.ts'
import type { ReconcileResult } from '../../../proto/src/types.ts'
import type { Appliance } from './appliance.ts'

/** Stop the daemons, load the municipalities' residents into the store, start the daemons again. */
export async function preload (app: Appliance, population: Population, codes: readonly string[]): Promise<number> {
  await app.stop()
  const store = new LevelStore({ location: app.paths.dbDir, applianceKey: await loadApplianceKey(app.paths.applianceKeyFile, { create: false }), createIfMissing: false })
  await store.open()
  let loaded = 0
  try {
    for (const code of codes) loaded += await loadMunicipality(store, population, code)
  } finally {
    await store.close()
  }
  await app.start('store')
  await app.start('gateway')
  return loaded
}

/** A differences map (by 住民票コード) of every result of a run. */
export function differencesOf (results: Iterable<ReconcileResult>): Map<string, { kind: number, fields: string[] }> {
  const out = new Map<string, { kind: number, fields: string[] }>()
  for (const r of results) for (const d of r.differences) out.set(d.juminhyoCode, { kind: d.kind, fields: [...d.fields] })
  return out
}

export function csFor (app: Appliance, code: string, chunks: readonly Uint8Array[], onResult?: (r: ReconcileResult) => void): ReconcilingCs {
  const cred = app.cs.get(code)
  if (cred === undefined) throw new Error(`no credential for ${code}`)
  return new ReconcilingCs({ url: app.url, ca: app.ca, cert: cred.cert, key: cred.key, municipalityCode: code, chunks, ...(onResult === undefined ? {} : { onResult }) })
}
