/** Signed checkpoints of the log (C2SP signed-note + tlog-checkpoint, Ed25519); pure, no files. */
export { keyId, isKeyName, verifierFromPublicKey, parseVerifierKey, signerFromSeed, signerKeyText, parseSignerKey, verifies, type NoteSigner, type NoteVerifier } from './ed25519-key.ts'
export { signNote, openNote, type NoteFailure, type NoteVerdict } from './signed-note.ts'
export { checkpointBody, signCheckpoint, parseCheckpointBody, openCheckpoint, type Checkpoint, type CheckpointFailure, type CheckpointVerdict } from './checkpoint.ts'
