/**
 * ken-national's options from the appliance configuration (firmware-config): the outbox socket
 * (`paths.outboxSocket`), the prefecture (`prefecture.code`), the national server (`national.url`,
 * `national.caFile` under the state directory, `national.window`, `national.batch`), and its client credential where
 * `ken-pki issue national-client --out <pkiDir>/national` and devPki put it.
 */
import path from 'node:path'
import type { Config } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import type { NationalInput } from './options.ts'

export function nationalOptionsFrom (config: Config): NationalInput {
  const paths = resolvePaths(config)
  return {
    outboxSocketPath: paths.outboxSocket,
    prefectureCode: config.prefecture.code,
    nationalUrl: config.national.url,
    caFile: path.resolve(paths.stateDir, config.national.caFile),
    certFile: path.join(paths.pkiDir, 'national', 'ken-national.crt'),
    keyFile: path.join(paths.pkiDir, 'national', 'ken-national.key'),
    window: config.national.window,
    batch: config.national.batch,
    maintSocket: paths.nationalMaintSocket
  }
}
