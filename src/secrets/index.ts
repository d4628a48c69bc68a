/** Secrets at rest: the key-encryption key file. */
export { parseKekFile, renderKekFile } from './kek.ts';
export type { KeyEncryptionKeys } from './kek.ts';
