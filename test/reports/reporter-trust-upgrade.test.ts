/**
 * Reporter verification on a deployment that already has reports: the store is built with every migration before
 * 0430-reports-trust and holds a report written as the old code wrote it; opening it with this version migrates
 * it. The old report becomes `legacy`, counts as autopilot evidence during `reports.legacyTrustDays` after the
 * migration and not after, and `senderd reports trust` (the operator command) makes it count for good. The CLI
 * shows the verdicts (`reports list`, `reports reporters`) and imports with `--trust-reporters`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { storeOptions } from '../../src/node-settings.ts';
import { reportEvidenceSource, sourceClassifier } from '../../src/reports/index.ts';
import { openStore } from '../../src/store/index.ts';
import { migrationProvider } from '../../src/store/migrations.ts';
import { contractDomain } from '../../src/store/contract-fixtures.ts';
import { settingsRunner } from '../support/cli.ts';
import { CORPUS, tempDir, testConfig } from '../support/node.ts';
import { goodReport } from './hostile-inputs.ts';

const DAY = 86_400_000;

function cli(dir: string) {
  return settingsRunner(dir, [
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
    'reports.reverseDns.enabled=false',
  ]);
}

/** The store as the previous version left it: every migration but 0430, and one report written the old way. */
async function oldStore(dir: string, day: string): Promise<void> {
  const config = testConfig(dir, [`dataDir=${dir}`]);
  const store = openStore(storeOptions(config, () => undefined));
  try {
    const all = await migrationProvider('sqlite').getMigrations();
    const { ['0430-reports-trust']: _new, ...before } = all;
    const { error } = await new Migrator({
      db: store.db,
      provider: { getMigrations: () => Promise.resolve(before) },
      allowUnorderedMigrations: true,
    }).migrateToLatest();
    assert.equal(error, undefined);
    await store.accounts.insertTenant({ id: 'ten_a', name: 'acme', createdAt: `${day}T00:00:00.000Z` });
    assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
    const db = store.db;
    await sql`insert into reports (id, tenant_id, domain_id, kind, status, reporter, org_name, reporter_email,
        external_id, policy_domain, date_begin, date_end, day, received_at, via, schema_name, policy, details,
        record_count, message_count, dedup_key)
      values ('old1', 'ten_a', 'd1', 'aggregate', 'complete', 'old.example', 'old.example', 'dmarc@old.example',
        'r-old', 'example.com', ${`${day}T00:00:00Z`}, ${`${day}T23:59:59Z`}, ${day}, ${`${day}T06:00:00.000Z`},
        'smtp', 'rfc7489', null, '{}', 1, 40, 'old-key')`.execute(db);
    await sql`insert into report_records (report_id, domain_id, day, source_ip, count, disposition, dmarc_pass,
        dkim_aligned, spf_aligned, auth_unaligned)
      values ('old1', 'd1', ${day}, '192.0.2.44', 40, 'none', 1, 1, 0, 0)`.execute(db);
    await sql`insert into report_daily_sources (domain_id, day, source_ip, tenant_id, messages, dmarc_pass,
        dkim_aligned, spf_aligned, disposition_quarantine, disposition_reject, auth_unaligned)
      values ('d1', ${day}, '192.0.2.44', 'ten_a', 40, 40, 40, 0, 0, 0, 0)`.execute(db);
    await sql`insert into report_daily_reporters (domain_id, day, reporter, tenant_id, reports, messages, dmarc_pass)
      values ('d1', ${day}, 'old.example', 'ten_a', 1, 40, 40)`.execute(db);
  } finally {
    await store.close();
  }
}

test('upgrade: old reports become legacy, count during the transition only, and the operator can trust them', async () => {
  const dir = tempDir();
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
  try {
    await oldStore(dir.path, yesterday);
    const run = cli(dir.path);
    // The first command of the new version migrates the store.
    const listed = await run('reports', 'list', 'example.com', '--tenant', 'acme', '--json');
    assert.equal(listed.code, 0, listed.err);
    const rows = (JSON.parse(listed.out) as { reports: Array<{ id: string; trust: string }> }).reports;
    assert.deepEqual(
      rows.map((r) => [r.id, r.trust]),
      [['old1', 'legacy']],
    );
    const board = await run('reports', 'reporters', '--tenant', 'acme');
    assert.match(board.out, /old\.example\s+legacy \(before verification\)/);

    // The autopilot's evidence: legacy reports count for legacyTrustDays after the migration, then not.
    const config = testConfig(dir.path, [`dataDir=${dir.path}`]);
    const store = openStore(storeOptions(config, () => undefined));
    try {
      const at = (now: Date) =>
        reportEvidenceSource(store.reportStats, sourceClassifier([], []), {
          legacyTrustDays: 30,
          now: () => now,
        }).evidence('d1', new Date(Date.now() - 7 * DAY), new Date(), { verifiedOnly: true });
      const during = await at(new Date());
      assert.deepEqual(during.reporters, ['old.example']);
      assert.deepEqual(
        during.sources.map((s) => [s.ip, s.messages]),
        [['192.0.2.44', 40]],
      );
      const afterwards = await at(new Date(Date.now() + 31 * DAY));
      assert.deepEqual(afterwards.reporters, []);
      assert.deepEqual(afterwards.sources, []);
      assert.equal(afterwards.ignoredReports, 1);

      // The operator trusts them: they count for good.
      const trusted = await run('reports', 'trust', '--tenant', 'acme', '--reporter', 'old.example');
      assert.equal(trusted.code, 0, trusted.err);
      assert.match(trusted.out, /^1 report now trusted by an operator \(legacy\)\./);
      const later = await at(new Date(Date.now() + 31 * DAY));
      assert.deepEqual(later.reporters, ['old.example']);
      assert.equal(later.ignoredReports, 0);
    } finally {
      await store.close();
    }
  } finally {
    dir.remove();
  }
});

test('senderd reports import: unverified unless --trust-reporters; reports reporters and reports list say so', async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const run = cli(dir.path);
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'example.com')).code, 0);
    const begin = Math.floor(Date.now() / DAY) * 86_400 - 86_400;
    writeFileSync(join(dir.path, 'a.xml'), goodReport('example.com', 'cli-a', begin));
    writeFileSync(join(dir.path, 'b.xml'), goodReport('example.com', 'cli-b', begin));
    const plain = await run('reports', 'import', '--tenant', 'acme', 'a.xml');
    assert.equal(plain.code, 0, plain.err + plain.out);
    assert.match(plain.out, /1 stored as unverified .* --trust-reporters vouches for them/);
    let board = await run('reports', 'reporters');
    assert.match(board.out, /example\.net\s+NO: 1 unverified/);
    // Source figures from verified reporters only: none yet.
    assert.match((await run('reports', 'sources', 'example.com')).out, /192\.0\.2\.10/);
    assert.match(
      (await run('reports', 'sources', 'example.com', '--verified')).out,
      /^No sources in reports of verified reporters \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(30 days, by the dates reports cover\)/,
    );

    const vouched = await run('reports', 'import', '--tenant', 'acme', '--trust-reporters', 'b.xml');
    assert.equal(vouched.code, 0, vouched.err);
    assert.doesNotMatch(vouched.out, /unverified/);
    board = await run('reports', 'reporters');
    assert.match(board.out, /example\.net\s+mixed: 1 verified, 1 unverified/);
    const list = await run('reports', 'list', 'example.com');
    assert.match(list.out, /cli-b .* operator: example\.net/);
    assert.match(
      list.out,
      /cli-a .* unverified .*not a message, so no DKIM signature; not received over SMTP/,
    );

    const trusted = await run('reports', 'trust', '--unverified');
    assert.match(trusted.out, /^1 report now trusted by an operator \(legacy and unverified\)\./);
    board = await run('reports', 'reporters');
    assert.match(board.out, /example\.net\s+yes \(example\.net by operator\)/);
  } finally {
    dir.remove();
  }
});
