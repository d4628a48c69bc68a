import { err, ok, type RandomSource, type Result } from '../core/index.ts';

/**
 * The key-encryption key (KEK) file. Each non-comment line is `<key-id>:<base64 of 32 bytes>`. The first line is
 * the current key, used for new encryptions; later lines are older keys, kept so that ciphertexts sealed before a
 * KEK rotation still open while they are re-wrapped.
 */
export interface KeyEncryptionKeys {
  readonly current: { readonly id: string; readonly key: Buffer };
  readonly byId: ReadonlyMap<string, Buffer>;
}

const KEY_BYTES = 32; // AES-256

export function parseKekFile(text: string): Result<KeyEncryptionKeys, string> {
  const entries: Array<{ id: string; key: Buffer }> = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (m === null) return err(`line ${index + 1} is not "<key-id>:<base64>"`);
    const key = Buffer.from(m[2]!, 'base64');
    if (key.length !== KEY_BYTES) return err(`key ${m[1]} is ${key.length} bytes; it must be ${KEY_BYTES}`);
    if (entries.some((e) => e.id === m[1])) return err(`key id ${m[1]} appears twice`);
    entries.push({ id: m[1]!, key });
  }
  const current = entries[0];
  if (current === undefined) return err('the file holds no key');
  return ok({ current, byId: new Map(entries.map((e) => [e.id, e.key])) });
}

/** A new KEK file with one fresh key, optionally keeping older keys after it. */
export function renderKekFile(random: RandomSource, id: string, older: readonly string[] = []): string {
  const lines = [
    '# senderd key-encryption key. Keep this file secret (mode 0600) and backed up:',
    '# without it the DKIM private keys in the store cannot be decrypted.',
    `${id}:${random.bytes(KEY_BYTES).toString('base64')}`,
    ...older,
  ];
  return lines.join('\n') + '\n';
}
