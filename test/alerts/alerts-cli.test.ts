/** `senderd alerts`: settings shown and changed (with refusals), a pass run now, and a domain's reconciliation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliInDataDir } from '../support/cli.ts';
import { tempDir, testConfig } from '../support/node.ts';

test('senderd alerts: settings, run and reconcile', async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const run = cliInDataDir(dir.path, []);
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'example.com')).code, 0);
    const shown = await run('alerts');
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /pass rate drop\s+10 points/);
    assert.match(shown.out, /digest\s+off/);

    const set = await run(
      '--json',
      'alerts',
      'settings',
      '--drop',
      '15',
      '--digest',
      'weekly',
      '--disable',
      'reporter.silent',
    );
    assert.equal(set.code, 0, set.err);
    const view = JSON.parse(set.out) as { passRateDropPoints: number; digest: string; disabled: string[] };
    assert.deepEqual(
      [view.passRateDropPoints, view.digest, view.disabled],
      [15, 'weekly', ['reporter.silent']],
    );
    assert.match((await run('alerts')).out, /kinds off\s+reporter\.silent/, 'kept');

    const refused = await run('alerts', 'settings', '--digest', 'hourly');
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /digest/);

    const pass = await run('alerts', 'run');
    assert.equal(pass.code, 0, pass.err);
    assert.match(pass.out, /1 domains looked at; 0 alerts fired/);

    const rec = await run('alerts', 'reconcile', 'example.com', '--days', '7');
    assert.equal(rec.code, 0, rec.err);
    assert.match(rec.out, /example\.com, .* sent 0, seen 0, coverage -, alarms 0/);
    assert.notEqual((await run('alerts', 'reconcile', 'other.example')).code, 0, 'not our domain');
  } finally {
    dir.remove();
  }
});
