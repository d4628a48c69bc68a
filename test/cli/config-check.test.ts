/**
 * `senderd config check` (issue 15 item 9): the defaults are valid but placeholders (a zone under example.net,
 * 127.0.0.1 as the egress and host address), and it says so; real values pass without a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cliRunner } from '../support/cli.ts';
import { tempDir, testConfig } from '../support/node.ts';

test('config check warns about a placeholder zone and loopback addresses, and not about real ones', async () => {
  const dir = tempDir('senderd-config-check-');
  try {
    const configPath = join(dir.path, 'senderd.yaml');
    const write = (set: string[], hostAddresses?: Record<string, string[]>) => {
      const config = testConfig(dir.path, set);
      const platform = hostAddresses === undefined ? config.platform : { ...config.platform, hostAddresses };
      writeFileSync(configPath, stringify({ ...config, platform }), { mode: 0o600 });
    };
    write(['platform.zone=mail.example.net', 'platform.egressIps=127.0.0.1']);
    const run = cliRunner(configPath, dir.path);
    const placeholder = await run(['config', 'check']);
    assert.equal(placeholder.code, 0, placeholder.err);
    assert.match(placeholder.out, /The configuration is valid, but \d+ values are placeholders/);
    assert.match(
      placeholder.out,
      /platform\.zone: mail\.example\.net is under example\.net, a name reserved/,
    );
    assert.match(placeholder.out, /platform\.egressIps: 127\.0\.0\.1 \(Loopback/i);
    const json = JSON.parse((await run(['--json', 'config', 'check'])).out) as {
      ok: boolean;
      warnings: Array<{ path: string }>;
    };
    assert.equal(json.ok, true);
    assert.ok(json.warnings.some((w) => w.path === 'platform.zone'));

    write(['platform.zone=mail.shop-platform.com', 'platform.egressIps=198.18.0.1'], {
      ns1: ['203.0.113.53'],
      ns2: ['192.0.0.9'], // special-purpose, but globally reachable (RFC 7723): no warning
      mx: ['8.8.4.4'],
      track: ['8.8.4.4'],
    });
    const partly = await run(['config', 'check']);
    assert.equal(partly.code, 0, partly.err);
    assert.doesNotMatch(partly.out, /platform\.zone/);
    assert.match(partly.out, /platform\.egressIps: 198\.18\.0\.1/, 'benchmarking range (RFC 2544)');
    assert.match(
      partly.out,
      /platform\.hostAddresses\.ns1: ns1\.mail\.shop-platform\.com is published as 203\.0\.113\.53/,
    );
  } finally {
    dir.remove();
  }
});
