import { after, before } from 'node:test';
import { describeStoreContract } from '../../src/store/store-contract.ts';
import { openStore } from '../../src/store/index.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';

let server: TestPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.stop();
});

describeStoreContract(
  'PostgreSQL 15 (a real server on a Unix socket, a fresh database per test)',
  async () => {
    const store = openStore({ driver: 'postgres', url: await server.newDatabase() });
    return { store, close: () => store.close() };
  },
);
