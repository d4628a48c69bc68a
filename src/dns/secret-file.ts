import { readFileSync } from 'node:fs';

/**
 * Reads a secret kept in a file (the edge of the config: the settings themselves stay free of I/O). The
 * error says which file and why, never what is in it.
 */
export function readSecretFile(path: string): { ok: true; value: string } | { ok: false; error: string } {
  try {
    return { ok: true, value: readFileSync(path, 'utf8').trim() };
  } catch (error) {
    return { ok: false, error: `${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}` };
  }
}
