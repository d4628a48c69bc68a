import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from './config/index.ts';
import { configRules } from './node-settings.ts';

function problemsOf(flags: string[]): string[] {
  const outcome = resolveConfig({ env: {}, cwd: '/srv/senderd', flags }, configRules);
  return 'config' in outcome ? [] : outcome.problems.map((p) => `${p.source}:${p.path}: ${p.message}`);
}

test("the capabilities' rules run whenever a node's configuration is read, each naming its key", () => {
  assert.deepEqual(problemsOf([]), []);
  const found = problemsOf([
    'dkim.rsaBits=1024',
    'dkim.leadTime=1h',
    'dns.notify=["nonsense"]',
    'platform.hostAddresses={"ns1":["192.0.2.1"],"ns2":["192.0.2.2"]}',
  ]);
  assert.deepEqual(found, [
    'value:dkim.leadTime: must be at least twice the record TTL (2h), so caches hold the new key before it signs',
    'value:dkim.rsaBits: must be 2048, 3072 or 4096',
    'value:platform.hostAddresses: mx (the MX of bounce and report hosts) needs addresses',
    'value:dns.notify.0: "nonsense" is not an IP address with an optional port',
  ]);
});

test('every RSA size the dkim capability allows is a valid dkim.rsaBits, and nothing else is', () => {
  for (const bits of [2048, 3072, 4096]) assert.deepEqual(problemsOf([`dkim.rsaBits=${bits}`]), []);
  for (const bits of [0, 1024, 2047, 8192]) assert.equal(problemsOf([`dkim.rsaBits=${bits}`]).length, 1);
});

test('an invalid zone is reported once, by the schema, not again by the dns rule', () => {
  assert.deepEqual(
    problemsOf(['platform.zone=bad zone']).map((p) => p.split(':').slice(0, 2).join(':')),
    ['flag:platform.zone'],
  );
});
