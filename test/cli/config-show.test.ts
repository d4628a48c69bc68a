/**
 * `senderd config show` redacts every key the schema marks secret (issue 14, item 4): the test walks the marked
 * keys, sets each one in a real config file, and looks for the value in the output, with and without --json.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeConfig, secretKeys } from '../../src/config/index.ts';
import { cliRunner } from '../support/cli.ts';
import { tempDir, type TestDir } from '../support/node.ts';

let dir: TestDir;
before(() => {
  dir = tempDir('senderd-cli-config-show-');
});
after(() => dir?.remove());

/** A config fragment that sets each secret key to `value`; a new secret key must be added here. */
const settings: Record<string, (value: string) => Record<string, unknown>> = {
  'store.postgresUrl': (v) => ({ store: { postgresUrl: `postgres://senderd:${v}@db.example.net/senderd` } }),
  'dns.tsigKeys[].secret': (v) => ({ dns: { tsigKeys: [{ name: 'xfr.example.net', secret: v }] } }),
  'events.email.password': (v) => ({ events: { email: { password: v } } }),
  'http.metricsToken': (v) => ({ http: { metricsToken: v } }),
  'gateway.delivery.smarthost.password': (v) => ({ gateway: { delivery: { smarthost: { password: v } } } }),
};

test('every secret key of the schema has a setting in this test', () => {
  assert.deepEqual(
    secretKeys()
      .map((k) => k.path)
      .sort(),
    Object.keys(settings).sort(),
  );
});

test('every key whose description says "Secret" is marked secret', () => {
  const marked = new Set(secretKeys().map((k) => k.path));
  const described = describeConfig().filter((k) => /\bSecret\b/.test(k.description));
  assert.ok(described.length > 0);
  for (const key of described) assert.ok(marked.has(key.path), `${key.path} is described as secret`);
});

for (const key of secretKeys()) {
  test(`config show redacts ${key.path}`, async () => {
    // Base64, so that it is also a well-formed TSIG secret.
    const sentinel = Buffer.from(`senderd secret of ${key.path}`).toString('base64');
    const set = settings[key.path];
    assert.ok(set !== undefined, `no setting for ${key.path}`);
    const path = join(dir.path, `${key.path.replace(/\W/g, '-')}.yaml`);
    writeFileSync(path, stringify({ dataDir: dir.path, ...set(sentinel) }));
    for (const args of [
      ['config', 'show'],
      ['--json', 'config', 'show'],
    ]) {
      const shown = await cliRunner(path, dir.path)(args);
      assert.equal(shown.code, 0, shown.err);
      assert.ok(!shown.out.includes(sentinel), `${args.join(' ')} printed ${key.path} in clear`);
      assert.match(shown.out, /\[redacted\]/);
      if (key.kind === 'url-credentials')
        assert.match(shown.out, /db\.example\.net/, 'the server stays visible');
    }
  });
}
