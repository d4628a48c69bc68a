import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { AppError, type RandomSource } from '../core/index.ts';
import { parseKekFile, type KeyEncryptionKeys } from './kek.ts';

/** Where the key-encryption keys come from. Re-read when the file changes, so a `kek rotate` needs no restart. */
export interface KekSource {
  /** The keys as they are now. Throws `config_invalid` if the file is missing or malformed. */
  keys(): KeyEncryptionKeys;
}

export function fileKekSource(path: string): KekSource {
  let cached: { stamp: string; keys: KeyEncryptionKeys } | undefined;
  return {
    keys() {
      let stamp: string;
      try {
        const st = statSync(path);
        stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        throw new AppError(
          'config_invalid',
          `The key-encryption key file ${path} is missing; run senderd init.`,
        );
      }
      if (cached?.stamp === stamp) return cached.keys;
      const parsed = parseKekFile(readFileSync(path, 'utf8'));
      if (!parsed.ok) throw new AppError('config_invalid', `${path}: ${parsed.error}`);
      cached = { stamp, keys: parsed.value };
      return parsed.value;
    },
  };
}

/** A fixed set of keys (tests, and one-shot commands that already read the file). */
export function staticKekSource(keys: KeyEncryptionKeys): KekSource {
  return { keys: () => keys };
}

/**
 * Replaces the file's contents atomically: write a temporary file (mode 0600), fsync it, rename it over the old
 * one and fsync the directory. A crash leaves either the old file or the new one, never half of either.
 */
export function writeKekFileAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

const HEADER = [
  '# senderd key-encryption keys. Keep this file secret (mode 0600) and backed up:',
  '# without it the DKIM private keys in the store cannot be decrypted.',
  '# The first key is current; later keys are older ones, kept until nothing is sealed under them.',
];

function render(entries: ReadonlyArray<{ id: string; key: Buffer }>): string {
  return [...HEADER, ...entries.map((e) => `${e.id}:${e.key.toString('base64')}`)].join('\n') + '\n';
}

function entriesOf(keys: KeyEncryptionKeys): Array<{ id: string; key: Buffer }> {
  return [...keys.byId.entries()].map(([id, key]) => ({ id, key }));
}

/** Puts a fresh key first in the file, keeping every older key after it. Returns the new key's id. */
export function prependNewKek(path: string, random: RandomSource): string {
  const parsed = parseKekFile(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new AppError('config_invalid', `${path}: ${parsed.error}`);
  const numbers = [...parsed.value.byId.keys()].map((id) => /^k(\d+)$/.exec(id)?.[1]).map(Number);
  const next = Math.max(0, ...numbers.filter((n) => Number.isFinite(n))) + 1;
  const id = `k${next}`;
  writeKekFileAtomically(path, render([{ id, key: random.bytes(32) }, ...entriesOf(parsed.value)]));
  return id;
}

/** Keeps only the current key (the first line). Call only once nothing is sealed under the others. */
export function pruneOldKeks(path: string): string[] {
  const parsed = parseKekFile(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new AppError('config_invalid', `${path}: ${parsed.error}`);
  const old = [...parsed.value.byId.keys()].filter((id) => id !== parsed.value.current.id);
  if (old.length > 0) writeKekFileAtomically(path, render([parsed.value.current]));
  return old;
}
