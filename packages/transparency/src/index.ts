// @banshishi/transparency — the transparency log (docs/auditing.md, "The transparency log"): an RFC 9162
// Merkle tree over every event of the log, kept incrementally in SQL beside the read models, signed C2SP
// checkpoints kept append-only, the checkpointer that follows the store, the keys, and inclusion proofs.
export {
  type Checkpointer,
  type CheckpointerLogger,
  type CheckpointerOptions,
  startCheckpointer,
} from './checkpointer.js';
export { embeddedSigner, newSignerKeyFile, signerFromEnv, verifierFromText } from './keys.js';
export {
  defaultTransparencySchema,
  type LeafRecord,
  nodeSha256,
  openTransparencyLog,
  type StoredCheckpoint,
  type TransparencyLog,
  type TransparencyLogOptions,
} from './log.js';
export { type EventLocator, proveConsistency, proveEvent, transparencyRules } from './proof.js';
export { migrateTransparency } from './schema.js';
