/**
 * Report windows (issue 15 items 3 and 5): reports older than 400 days are seen with --from/--to, --days of any
 * length and --all; --by arrival places them by the day they were stored; long windows are summed by week or
 * month; a capped list says how much it left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, testConfig } from '../support/node.ts';
import { cli } from './cli-run.ts';
import { goodReport } from './hostile-inputs.ts';

const DAY = 86_400;
/** 2019-06-10 00:00 UTC: a report covering that day, imported today. */
const OLD = Date.UTC(2019, 5, 10) / 1000;

interface Summary {
  window: { from: string; to: string; days: number; basis: string; bucket: string };
  totals: { messages: number; reports: number };
  daily: Array<{ day: string; messages: number }>;
  series: Array<{ day: string; messages: number }>;
}

test('reports summary: --from/--to, --days past 400, --all and --by arrival show imported old reports', async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const run = cli(dir.path);
  const json = async (...argv: string[]) => {
    const r = await run('--json', ...argv);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as Summary;
  };
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'example.com')).code, 0);
    const yesterday = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
    writeFileSync(join(dir.path, 'old-1.xml'), goodReport('example.com', 'old-1', OLD));
    writeFileSync(join(dir.path, 'old-2.xml'), goodReport('example.com', 'old-2', OLD + 40 * DAY));
    writeFileSync(join(dir.path, 'new.xml'), goodReport('example.com', 'new', yesterday));
    const imported = await run('reports', 'import', 'old-1.xml', 'old-2.xml', 'new.xml', '--tenant', 'acme');
    assert.equal(imported.code, 0, imported.err);

    // The default window (30 days by the dates reports cover) sees only the recent report, and says where else
    // to look.
    const recent = await json('reports', 'summary', 'example.com');
    assert.equal(recent.totals.messages, 3);
    assert.deepEqual([recent.window.days, recent.window.basis, recent.window.bucket], [30, 'cover', 'day']);

    // An explicit range in 2019.
    const range = await run(
      'reports',
      'summary',
      'example.com',
      '--from',
      '2019-06-01',
      '--to',
      '2019-06-30',
    );
    assert.equal(range.code, 0, range.err);
    assert.match(range.out, /2019-06-01 to 2019-06-30 \(30 days, by the dates reports cover\)/);
    assert.match(range.out, /messages\s+3\n/);
    assert.match(range.out, /^2019-06-10\s+3\s/m);

    // --days is no longer capped at 400; ten years are summed by month.
    const decade = await json('reports', 'summary', 'example.com', '--days', '3650');
    assert.equal(decade.totals.messages, 9);
    assert.equal(decade.window.bucket, 'month');
    assert.deepEqual(
      decade.series.map((s) => [s.day, s.messages]),
      [
        ['2019-06-01', 3],
        ['2019-07-01', 3],
        [`${new Date((yesterday + DAY / 2) * 1000).toISOString().slice(0, 7)}-01`, 3],
      ],
    );
    assert.equal(decade.daily.length, 3, 'the daily rows are still there for whoever wants them');

    // All time starts at the first report.
    const all = await json('reports', 'summary', 'example.com', '--all');
    assert.equal(all.window.from, '2019-06-10');
    assert.equal(all.totals.messages, 9);
    assert.ok(all.series.length <= 100, `an all-time chart has ${all.series.length} bars`);

    // By arrival, every report came in today: the last 7 days hold all three, 2019 holds none.
    const arrived = await json('reports', 'summary', 'example.com', '--days', '7', '--by', 'arrival');
    assert.equal(arrived.window.basis, 'arrival');
    assert.equal(arrived.totals.messages, 9);
    assert.equal(arrived.totals.reports, 3);
    assert.deepEqual(
      arrived.daily.map((d) => d.day),
      [new Date().toISOString().slice(0, 10)],
    );
    const none = await run(
      'reports',
      'summary',
      'example.com',
      '--from',
      '2019-06-01',
      '--to',
      '2019-06-30',
      '--by',
      'arrival',
    );
    assert.equal(none.code, 0, none.err);
    assert.match(
      none.out,
      /No reports 2019-06-01 to 2019-06-30 \(30 days, by arrival\), so no figures\. .*--by cover/,
    );
    // A middle range is summed by week (ISO weeks start on Monday: 2019-06-10 was one).
    const weeks = await json(
      'reports',
      'summary',
      'example.com',
      '--from',
      '2019-05-01',
      '--to',
      '2019-12-31',
    );
    assert.equal(weeks.window.bucket, 'week');
    assert.deepEqual(
      weeks.series.map((s) => s.day),
      ['2019-06-10', '2019-07-15'],
    );

    // Bad windows are refused in words.
    const bad = await run('reports', 'summary', 'example.com', '--from', '2019-02-30');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /from must be a day as YYYY-MM-DD/);
    const backwards = await run(
      'reports',
      'summary',
      'example.com',
      '--from',
      '2020-01-02',
      '--to',
      '2020-01-01',
    );
    assert.match(backwards.err, /from \(2020-01-02\) is after to \(2020-01-01\)/);
    const both = await run('reports', 'summary', 'example.com', '--all', '--from', '2020-01-01');
    assert.match(both.err, /All time takes no from or to/);
    const typo = await run('reports', 'summary', 'example.com', '--from', '1019-06-01');
    assert.match(typo.err, /A window spans at most 36600 days; use all time instead/);
  } finally {
    dir.remove();
  }
});

test('reports sources: a capped list says "showing N of M" and carries the total and all messages', async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const run = cli(dir.path);
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'example.com')).code, 0);
    const yesterday = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
    for (let i = 1; i <= 5; i++) {
      writeFileSync(
        join(dir.path, `r${i}.xml`),
        goodReport('example.com', `r${i}`, yesterday, `192.0.2.${i}`),
      );
    }
    const files = [1, 2, 3, 4, 5].map((i) => `r${i}.xml`);
    assert.equal((await run('reports', 'import', ...files, '--tenant', 'acme')).code, 0);
    const text = await run('reports', 'sources', 'example.com', '--limit', '2');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /showing 2 of 5 sources, 15 messages in all/);
    const json = JSON.parse(
      (await run('--json', 'reports', 'sources', 'example.com', '--limit', '2')).out,
    ) as {
      sources: unknown[];
      total: number;
      truncated: boolean;
      messages: number;
    };
    assert.deepEqual([json.sources.length, json.total, json.truncated, json.messages], [2, 5, true, 15]);
    const whole = await run('reports', 'sources', 'example.com');
    assert.doesNotMatch(whole.out, /showing/);
    // By arrival the same sources (every report came in today), counted from the raw records.
    const arrived = JSON.parse(
      (await run('--json', 'reports', 'sources', 'example.com', '--by', 'arrival', '--limit', '2')).out,
    ) as typeof json;
    assert.deepEqual(
      [arrived.sources.length, arrived.total, arrived.truncated, arrived.messages],
      [2, 5, true, 15],
    );
  } finally {
    dir.remove();
  }
});
