/**
 * Migration 1100-suppression-domain on a database that already has a suppression list (SQLite rebuilds the table
 * to change its primary key; PostgreSQL swaps the constraint): every entry and audit row is kept, tenant-wide, and
 * the same address can then be added for one sender domain beside it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { openStore, type Store } from '../../src/store/index.ts';
import { migrationProvider } from '../../src/store/migrations.ts';
import { tempDir } from '../support/node.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';

let server: TestPostgres;
const dir = tempDir('senderd-migration-');
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
  dir.remove();
});

const T0 = '2026-12-01T00:00:00.000Z';

async function upgrade(store: Store): Promise<void> {
  const all = migrationProvider(store.dialect);
  const before: MigrationProvider = {
    async getMigrations() {
      const { ['1100-suppression-domain']: _later, ...rest } = await all.getMigrations();
      return rest;
    },
  };
  const first = await new Migrator({
    db: store.db,
    provider: before,
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  assert.equal(first.error, undefined);
  await sql`insert into tenants (id, name, created_at) values ('ten_a', 'a', ${T0})`.execute(store.db);
  for (const address of ['a@example.com', 'b@example.com']) {
    await sql`insert into suppressions (tenant_id, address, reason, source, evidence, message_id, created_at, expires_at, created_by)
      values ('ten_a', ${address}, 'hard-bounce', 'bounce', '550 5.1.1', 'm1', ${T0}, null, 'gateway')`.execute(
      store.db,
    );
    await sql`insert into suppression_audit (tenant_id, address, action, reason, at, actor, why)
      values ('ten_a', ${address}, 'added', 'hard-bounce', ${T0}, 'gateway', 'hard bounce')`.execute(
      store.db,
    );
  }
  assert.deepEqual(await store.migrate(), ['1100-suppression-domain']);
}

for (const [name, open] of [
  ['SQLite', () => openStore({ driver: 'sqlite', path: join(dir.path, 'store.db') })],
  ['PostgreSQL', async () => openStore({ driver: 'postgres', url: await server.newDatabase() })],
] as const) {
  test(`${name}: entries from before 1100-suppression-domain stay, tenant-wide; a scoped one can join them`, async () => {
    const store = await open();
    try {
      await upgrade(store);
      const found = await store.suppressions.find('ten_a', 'a@example.com', T0, 'news.example.com');
      assert.equal(found?.reason, 'hard-bounce');
      assert.equal(found?.domain, undefined, 'tenant-wide');
      assert.equal((await store.suppressions.list('ten_a', { now: T0, limit: 10, offset: 0 })).total, 2);
      assert.ok(found);
      const scoped = { ...found, domain: 'news.example.com', reason: 'manual' as const };
      await store.suppressions.put(scoped, {
        tenantId: 'ten_a',
        address: 'a@example.com',
        action: 'added',
        reason: 'manual',
        at: T0,
        actor: 'test',
        why: 'x',
        domain: 'news.example.com',
      });
      assert.equal((await store.suppressions.list('ten_a', { now: T0, limit: 10, offset: 0 })).total, 3);
      const audit = await store.suppressions.audit('ten_a', 'a@example.com', 10);
      assert.deepEqual(
        audit.map((a) => [a.why, a.domain ?? null]),
        [
          ['x', 'news.example.com'],
          ['hard bounce', null],
        ],
      );
      // The purge's index on expires_at is there after SQLite's rebuild (and kept by PostgreSQL's swap).
      const indexes =
        store.dialect === 'sqlite'
          ? await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'suppressions'`.execute(
              store.db,
            )
          : await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'suppressions'`.execute(store.db);
      const names = indexes.rows.map((r) => r.name);
      assert.ok(names.includes('suppressions_expires'), names.join(', '));
      assert.ok(names.includes('suppressions_tenant_created'), names.join(', '));
    } finally {
      await store.close();
    }
  });
}
