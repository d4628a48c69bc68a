import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from './store-contract.ts';
import { openStore } from './store.ts';

describeStoreContract('SQLite (node:sqlite, a file in a temporary directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-store-'));
  const store = openStore({ driver: 'sqlite', path: join(dir, 'senderd.db') });
  return Promise.resolve({
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
