/**
 * The possession factor (SPEC §6): something proves the operator holds their key by signing the
 * store's login challenge. The key-file adapter (the default, the IC-card equivalent of ken-pki) opens
 * the PIN-encrypted key file for that one signature; a card reader or palm-vein device implements the
 * same interface and signs inside the device.
 */
import { sign } from 'node:crypto'
import { openOperatorCredential } from '../../../../certs/src/operator-credential.ts'
import { loginSignedData } from '../../store/terminal/sessions.ts'

/** What the operator presented at the terminal. */
export interface PossessionInput {
  readonly certificatePem: string
  readonly keyPem: string
  readonly pin: string
}

export interface PossessionAdapter {
  /** Recorded with the login act (terminal.login note). */
  readonly name: string
  /** Sign the store's challenge. @throws KEN_ERR_PKI_BAD_PIN, KEN_ERR_PKI_KEY_MISMATCH, KEN_ERR_CERT_MALFORMED */
  signChallenge: (challenge: Uint8Array, input: PossessionInput) => Promise<Uint8Array>
}

/** The key file from `ken-pki issue operator`, opened with the PIN, used once and dropped. */
export const KEY_FILE_ADAPTER: PossessionAdapter = {
  name: 'key-file',
  signChallenge: async (challenge, input) => {
    const credential = openOperatorCredential(input.certificatePem, input.keyPem, input.pin)
    return sign('sha256', loginSignedData(challenge), credential.privateKey)
  }
}
