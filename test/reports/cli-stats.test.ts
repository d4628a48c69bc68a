/**
 * The CLI (`senderd reports import` of a folder and an mbox, `reports summary --days 30`), the statistics over a
 * recent window, and source classification with reverse names from an injected resolver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ManualClock } from '../../src/core/index.ts';
import { progressBar } from '../../src/cli/progress-bar.ts';
import type { ReverseResolver } from '../../src/reports/index.ts';
import { settingsRunner } from '../support/cli.ts';
import { CORPUS, openTestServices, tempDir, testConfig } from '../support/node.ts';
import { goodReport } from './hostile-inputs.ts';

function cli(dir: string) {
  return settingsRunner(dir, [
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
    'reports.reverseDns.enabled=false',
  ]);
}

const DAY = 86_400;

test('senderd reports import (folder, mbox) and reports summary --days 30', async () => {
  const dir = tempDir();
  testConfig(dir.path); // writes the key-encryption key file
  const run = cli(dir.path);
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'example.com')).code, 0);
    const yesterday = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
    const folder = join(dir.path, 'incoming');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    writeFileSync(join(folder, 'a.xml'), goodReport('example.com', 'cli-a', yesterday));
    writeFileSync(
      join(folder, 'nested', 'b.xml.gz'),
      gzipSync(goodReport('example.com', 'cli-b', yesterday - DAY)),
    );
    writeFileSync(join(folder, 'junk.txt'), 'not a report');
    const message = (id: string, begin: number) =>
      [
        'From: dmarc@example.net',
        `Subject: Report domain: example.com Report-ID: ${id}`,
        'Content-Type: application/gzip',
        'Content-Transfer-Encoding: base64',
        '',
        gzipSync(goodReport('example.com', id, begin)).toString('base64'),
        '',
      ].join('\n');
    const mbox = join(dir.path, 'reports.mbox');
    writeFileSync(
      mbox,
      `From dmarc@example.net Mon Jan  1 00:00:00 2024\n${message('mbox-1', yesterday)}\nFrom dmarc@example.net Mon Jan  1 00:00:00 2024\n${message('mbox-2', yesterday - 2 * DAY)}`,
    );
    const imported = await run('--json', 'reports', 'import', 'incoming', 'reports.mbox', '--tenant', 'acme');
    assert.equal(imported.code, 0, imported.err);
    const { files, skipped } = JSON.parse(imported.out) as {
      files: Array<{ file: string; outcomes: Array<{ status: string; reason?: string }> }>;
      skipped: string[];
    };
    assert.deepEqual(
      files.map((f) => [f.file, f.outcomes.map((o) => o.reason ?? o.status).join(',')]),
      [
        ['incoming/a.xml', 'stored'],
        ['incoming/nested/b.xml.gz', 'stored'],
        ['reports.mbox', 'stored,stored'],
      ],
    );
    // A file in a folder whose name is no report's is skipped with a line; named, it is read (and refused).
    assert.deepEqual(skipped, ['incoming/junk.txt']);
    assert.match(imported.err, /skipped incoming\/junk\.txt: not a report file name/);
    const junk = await run('reports', 'import', 'incoming/junk.txt', '--tenant', 'acme');
    assert.equal(junk.code, 11, 'nothing stored: exit 11');
    assert.match(junk.out, /0 reports stored, 0 duplicates, 1 quarantined\./);
    // Without a tenant, a report is attributed only to a verified domain: this one is not yet.
    const unscoped = await run('reports', 'import', 'incoming/a.xml');
    assert.equal(unscoped.code, 11);
    assert.match(unscoped.out, /0 reports stored, 0 duplicates, 1 quarantined\./);
    assert.match(unscoped.out, /the only tenant with example\.com has not verified it; give the tenant/);
    assert.match(unscoped.err, /nothing was imported/);
    // The same input refused again points at its first quarantine entry instead of filing another.
    const unscopedAgain = await run('reports', 'import', 'incoming/a.xml');
    assert.match(unscopedAgain.out, /1 quarantined \(1 of them already were\)/);
    assert.equal(
      /\(id (\w+)\)/.exec(unscoped.out)?.[1],
      /\(id (\w+), already quarantined\)/.exec(unscopedAgain.out)?.[1],
    );
    const again = await run('reports', 'import', 'incoming/a.xml', '--tenant', 'acme');
    assert.match(again.out, /0 reports stored, 1 duplicates, 0 quarantined/);
    const summary = await run('reports', 'summary', 'example.com', '--days', '30');
    assert.equal(summary.code, 0, summary.err);
    assert.match(summary.out, /messages\s+12\n/);
    assert.match(summary.out, /DMARC pass\s+12 \(100\.0%\)/);
    assert.match(summary.out, /SPF aligned pass\s+0 \(0\.0%\)/);
    const json = JSON.parse(
      (await run('--json', 'reports', 'summary', 'example.com', '--days', '30')).out,
    ) as { daily: unknown[]; totals: { reports: number } };
    assert.equal(json.totals.reports, 4);
    assert.equal(json.daily.length, 3, 'one row per day with reports (two reports share a day)');
    const quarantine = await run('reports', 'quarantine');
    assert.match(quarantine.out, /unrecognised_format/);
    assert.equal((await run('reports', 'summary', 'nosuch.example')).code, 4);
  } finally {
    dir.remove();
  }
});

test('sources: reverse names from the injected resolver, forward-confirmed, and the class of each source', async () => {
  const clock = new ManualClock('2024-03-10T12:00:00Z');
  const names: Record<string, string[]> = {
    '192.0.2.1': ['out1.mail.example.net.'],
    '198.51.100.7': ['mail-qk1-f170.google.com.'],
    '203.0.113.9': ['fake.google.com.'],
  };
  const forward: Record<string, string[]> = {
    'out1.mail.example.net': ['192.0.2.1'],
    'mail-qk1-f170.google.com': ['198.51.100.7'],
    'fake.google.com': ['192.0.2.99'],
  };
  const resolver: ReverseResolver = {
    reverse: (ip) => (names[ip] ? Promise.resolve(names[ip]) : Promise.reject(new Error('NXDOMAIN'))),
    addresses: (name) => Promise.resolve(forward[name] ?? []),
  };
  const s = await openTestServices({
    set: ['reports.reverseDns.enabled=true', 'platform.egressIps=192.0.2.0/28'],
    runtime: { clock, reverseResolver: resolver },
  });
  try {
    const tenant = await s.accounts.addTenant('acme');
    await s.domains.add(tenant.id, 'example.com', {});
    const begin = Date.parse('2024-03-09T00:00:00Z') / 1000;
    for (const [i, ip] of ['192.0.2.1', '198.51.100.7', '203.0.113.9', '100.64.0.1'].entries()) {
      await s.reports.ingest({
        source: [Buffer.from(goodReport('example.com', `src-${i}`, begin, ip))],
        via: 'import',
        tenantId: tenant.id,
      });
    }
    assert.ok(s.reverseNames !== null);
    await s.reverseNames.run();
    const sources = await s.reportStats.sources(tenant.id, 'example.com', 7, 10);
    const byIp = new Map(sources.map((x) => [x.sourceIp, x]));
    assert.deepEqual([...byIp.values()].map((x) => [x.sourceIp, x.class, x.ptr, x.ptrVerified]).sort(), [
      ['100.64.0.1', 'unknown', null, false],
      ['192.0.2.1', 'platform', 'out1.mail.example.net', true],
      ['198.51.100.7', 'forwarder', 'mail-qk1-f170.google.com', true],
      // The name does not resolve back to the address: not trusted, so not a forwarder.
      ['203.0.113.9', 'unknown', 'fake.google.com', false],
    ]);
    // The autopilot's port: per-domain, per-day aligned figures.
    const domain = await s.domains.get(tenant.id, 'example.com');
    const window = s.reportStats.window(7);
    const daily = await s.reportStats.dailyFigures(domain.id, window);
    assert.deepEqual(
      daily.map((d) => [d.day, d.messages, d.dmarcPass, d.dkimAligned, d.spfAligned]),
      [['2024-03-09', 12, 12, 12, 0]],
    );
    assert.equal((await s.reportStats.sourceFigures(domain.id, window)).length, 4);
    // Gone silent: the reporter last reported 2024-03-09; five days later it is silent (after 3 days).
    clock.set('2024-03-14T12:00:00Z');
    const board = await s.reportStats.scoreboard(tenant.id, null, 30);
    assert.deepEqual(
      board.map((r) => [r.reporter, r.reports, r.silent]),
      [['example.net', 4, true]],
    );
  } finally {
    await s.close();
  }
});

test('the progress bar draws on a terminal and stays silent elsewhere', () => {
  let written = '';
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  tty.on('data', (d: Buffer) => (written += d.toString()));
  let now = 0;
  const bar = progressBar(tty, 2_000_000, () => now);
  bar.label('file.xml');
  now += 200;
  bar.advance(1_000_000);
  bar.done();
  assert.match(written, /\[#{15} {15}\] {2}50% 1\.0 MB\/2\.0 MB/);
  let plain = '';
  const pipe = new PassThrough();
  pipe.on('data', (d: Buffer) => (plain += d.toString()));
  const quiet = progressBar(pipe, 10);
  quiet.advance(5);
  quiet.done();
  assert.equal(plain, '');
});
