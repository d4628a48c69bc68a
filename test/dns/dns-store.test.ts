/**
 * The dns capability's store port, one contract run against both stores: SQLite (embedded) and a real,
 * throwaway PostgreSQL (initdb in a temporary directory, listening only on a Unix socket there).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { logChange, openStore, type Store } from '../../src/store/index.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

const PG = '/usr/lib/postgresql/15/bin';

function contract(name: string, open: () => Promise<Store>): void {
  describe(`dns store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.migrate();
    });
    after(() => store.close());

    test('changes: the newest id, and rows after an id in order', async () => {
      const first = await store.dns.latestChangeId();
      const at = new Date().toISOString();
      await logChange(store.db, at, null, 'domain', 'dom_a', 'added');
      await logChange(store.db, at, null, 'platform', 'config', 'changed');
      const rows = await store.dns.changesSince(first, 10);
      assert.deepEqual(
        rows.map((r) => [r.subject, r.subjectId]),
        [
          ['domain', 'dom_a'],
          ['platform', 'config'],
        ],
      );
      assert.ok(rows[1]!.id > rows[0]!.id);
      assert.equal(await store.dns.latestChangeId(), rows[1]!.id);
      assert.deepEqual(await store.dns.changesSince(rows[1]!.id, 10), []);
      assert.equal((await store.dns.changesSince(first, 1)).length, 1);
    });

    test('serials: compare-and-set, and serials up to 2^32 - 1 (RFC 1982)', async () => {
      const zone = `z${Math.random()}.example`;
      assert.equal(await store.dns.readSerial(zone), null);
      assert.equal(
        await store.dns.compareAndSetSerial(zone, null, { serial: 4294967295, digest: 'd1' }),
        true,
      );
      assert.equal(
        await store.dns.compareAndSetSerial(zone, null, { serial: 1, digest: 'x' }),
        false,
        'already there',
      );
      assert.deepEqual(await store.dns.readSerial(zone), { serial: 4294967295, digest: 'd1' });
      const stale = { serial: 5, digest: 'd0' };
      assert.equal(await store.dns.compareAndSetSerial(zone, stale, { serial: 6, digest: 'd2' }), false);
      assert.equal(
        await store.dns.compareAndSetSerial(
          zone,
          { serial: 4294967295, digest: 'd1' },
          { serial: 0, digest: 'd2' },
        ),
        true,
      );
      assert.deepEqual(await store.dns.readSerial(zone), { serial: 0, digest: 'd2' });
    });

    test('journal: entries in order, serials up to 2^32 - 1, changes by id, zones apart', async () => {
      const zone = `j${Math.random()}.example`;
      const other = `k${Math.random()}.example`;
      const bounds = { maxBytes: 1_000_000, maxAgeMs: 3_600_000, now: new Date() };
      await store.dns.appendJournal(
        zone,
        { fromSerial: 4294967294, toSerial: 4294967295, changes: 'a' },
        bounds,
      );
      await store.dns.appendJournal(zone, { fromSerial: 4294967295, toSerial: 0, changes: 'bb' }, bounds);
      await store.dns.appendJournal(other, { fromSerial: 1, toSerial: 2, changes: 'other' }, bounds);
      const links = await store.dns.journalLinks(zone);
      assert.deepEqual(
        links.map((l) => [l.fromSerial, l.toSerial]),
        [
          [4294967294, 4294967295],
          [4294967295, 0],
        ],
      );
      assert.ok(links[1]!.id > links[0]!.id);
      const changes = await store.dns.journalChanges(
        zone,
        links.map((l) => l.id),
      );
      assert.deepEqual([changes.get(links[0]!.id), changes.get(links[1]!.id)], ['a', 'bb']);
      assert.equal((await store.dns.journalChanges(zone, [])).size, 0);
      assert.equal((await store.dns.journalLinks(other)).length, 1);
    });

    test('journal: purged by age and, oldest first, by size', async () => {
      const zone = `p${Math.random()}.example`;
      const start = Date.parse('2026-12-01T00:00:00Z');
      const at = (minutes: number) => new Date(start + minutes * 60_000);
      const roomy = { maxBytes: 1_000_000, maxAgeMs: 3_600_000 };
      await store.dns.appendJournal(
        zone,
        { fromSerial: 1, toSerial: 2, changes: 'x'.repeat(10) },
        { ...roomy, now: at(0) },
      );
      await store.dns.appendJournal(
        zone,
        { fromSerial: 2, toSerial: 3, changes: 'x'.repeat(10) },
        { ...roomy, now: at(30) },
      );
      await store.dns.appendJournal(
        zone,
        { fromSerial: 3, toSerial: 4, changes: 'x'.repeat(10) },
        { ...roomy, now: at(61) },
      );
      assert.deepEqual(
        (await store.dns.journalLinks(zone)).map((l) => l.toSerial),
        [3, 4],
        'older than an hour at the third: gone',
      );
      await store.dns.appendJournal(
        zone,
        { fromSerial: 4, toSerial: 5, changes: 'y'.repeat(15) },
        { maxBytes: 26, maxAgeMs: 3_600_000, now: at(62) },
      );
      assert.deepEqual(
        (await store.dns.journalLinks(zone)).map((l) => l.toSerial),
        [4, 5],
        'the newest that fit in 26 octets stay',
      );
    });
  });
}

let sqliteDir: TestDir;
contract('SQLite', () => {
  sqliteDir = tempDir('senderd-dns-store-');
  return Promise.resolve(openStore({ driver: 'sqlite', path: join(sqliteDir.path, 'senderd.db') }));
});
after(() => sqliteDir?.remove());

let pgDir: TestDir;
let postgres: ChildProcess | undefined;
contract('PostgreSQL', async () => {
  pgDir = tempDir('senderd-dns-pg-');
  // PostgreSQL refuses to run as root: use the postgres system user when we are root.
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number((await run('id', ['-u', 'postgres'])).stdout),
        gid: Number((await run('id', ['-g', 'postgres'])).stdout),
      }
    : {};
  if (asRoot) chownSync(pgDir.path, ids.uid!, ids.gid!);
  const data = join(pgDir.path, 'data');
  const init = await new Promise<number>((resolve) => {
    const p = spawn(join(PG, 'initdb'), ['-D', data, '-U', 'senderd', '--auth=trust', '-E', 'UTF8'], {
      ...ids,
      stdio: 'ignore',
    });
    p.on('exit', (code) => resolve(code ?? 1));
  });
  assert.equal(init, 0, 'initdb');
  postgres = spawn(
    join(PG, 'postgres'),
    ['-D', data, '-k', pgDir.path, '-c', 'listen_addresses=', '-p', '5432'],
    { ...ids, stdio: 'ignore' },
  );
  const socket = join(pgDir.path, '.s.PGSQL.5432');
  const deadline = Date.now() + 20_000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline) throw new Error('PostgreSQL did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  // The socket file appears a moment before connections are accepted.
  for (;;) {
    const ready = await run(join(PG, 'pg_isready'), ['-h', pgDir.path, '-p', '5432']);
    if (ready.code === 0) break;
    if (Date.now() > deadline) throw new Error('PostgreSQL did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  return openStore({
    driver: 'postgres',
    url: `postgresql://senderd@localhost/postgres?host=${encodeURIComponent(pgDir.path)}`,
  });
});
after(async () => {
  if (postgres !== undefined && postgres.exitCode === null) {
    await new Promise<void>((resolve) => {
      postgres!.once('exit', () => resolve());
      postgres!.kill('SIGINT'); // fast shutdown
    });
  }
  pgDir?.remove();
});
