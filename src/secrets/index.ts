/** Secrets at rest: the key-encryption key file, and sealing secrets under it (AES-256-GCM). */
export { parseKekFile, renderKekFile } from './kek.ts';
export type { KeyEncryptionKeys } from './kek.ts';
export { sealSecret, openSecret } from './sealing.ts';
export type { SealedSecret, OpenFailure } from './sealing.ts';
export {
  fileKekSource,
  staticKekSource,
  prependNewKek,
  pruneOldKeks,
  writeKekFileAtomically,
} from './kek-file.ts';
export type { KekSource } from './kek-file.ts';
export { platformSecret, rewrapPlatformSecrets } from './platform-secret.ts';
export type { PlatformSecretRepository } from './platform-secret.ts';
