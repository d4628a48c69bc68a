/**
 * Issue 15, item 2: `senderd dmarc step` refuses a risky step up without --force (several steps at once, an
 * unverified domain), shows the impact it is about, and exits 12; --force takes the step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsRunner } from '../support/cli.ts';
import { CORPUS, tempDir, testConfig } from '../support/node.ts';

function cli(dir: string) {
  return settingsRunner(dir, [
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
  ]);
}

test('dmarc step: a risky step up needs --force, and the refusal shows why and the impact', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  testConfig(dir.path);
  const run = cli(dir.path);
  assert.equal((await run('tenant', 'add', 'acme')).code, 0);
  assert.equal((await run('domain', 'add', 'example.com')).code, 0);

  const refused = await run('dmarc', 'step', 'example.com', '12');
  assert.equal(refused.code, 12, refused.err);
  assert.match(refused.err, /Moving example\.com up to reject 100% needs an explicit confirmation/);
  assert.match(refused.err, /12 steps up at once, from monitor to reject 100%/);
  assert.match(refused.err, /example\.com is not verified/);
  assert.match(refused.err, /Impact of reject 100%|No report statistics yet|Impact of reject 100% on/);
  assert.match(refused.err, /Add --force if this is what you want\./);
  assert.match((await run('dmarc', 'show', 'example.com')).out, /monitor \(step 0 of 12\)/, 'nothing moved');

  // Even one step up on an unverified domain needs --force; down never does.
  assert.equal((await run('dmarc', 'step', 'example.com', 'forward')).code, 12);
  const forced = await run('dmarc', 'step', 'example.com', '12', '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /reject 100%/);
  assert.equal((await run('dmarc', 'step', 'example.com', 'back')).code, 0);
});
