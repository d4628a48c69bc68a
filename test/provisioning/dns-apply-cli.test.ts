/**
 * `senderd dns apply` as a user runs it, against a real Knot: the key read from the file `tsig-keygen` or the DNS
 * host gave, the difference printed, the update applied and checked; the secret in no output, not even on a
 * refusal, and a refusal ends with exit code 8.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cliRunner } from '../support/cli.ts';
import { tempDir, testConfig, type TestDir } from '../support/node.ts';
import { startUpdatePrimary, type UpdatePrimary } from '../support/update-primary.ts';

let dir: TestDir;
let knot: UpdatePrimary;
let cli: ReturnType<typeof cliRunner>;
before(async () => {
  dir = tempDir('senderd-dns-apply-cli-');
  mkdirSync(join(dir.path, 'knot'));
  knot = await startUpdatePrimary(
    'knot',
    join(dir.path, 'knot'),
    'shop.test',
    '@ 300 IN TXT "v=spf1 a -all"',
  );
  const configPath = join(dir.path, 'senderd.yaml');
  writeFileSync(configPath, stringify(testConfig(dir.path)), { mode: 0o600 });
  cli = cliRunner(configPath, dir.path);
  const tenant = await cli(['tenant', 'add', 'shop']);
  assert.equal(tenant.code, 0, tenant.err);
  const added = await cli(['domain', 'add', 'shop.test']);
  assert.equal(added.code, 0, added.err);
  const news = await cli(['domain', 'add', 'news.shop.test']);
  assert.equal(news.code, 0, news.err);
});
after(async () => {
  await knot?.stop();
  dir?.remove();
});

function keyFile(name: string, secret: string): string {
  const path = join(dir.path, `${name}.key`);
  writeFileSync(path, `key "${name}" {\n\talgorithm hmac-sha256;\n\tsecret "${secret}";\n};\n`, {
    mode: 0o600,
  });
  return path;
}

test('dry run, apply, and a second run that changes nothing; the secret is never printed', async () => {
  const file = keyFile(knot.keys.full.name, knot.secrets[0]!);
  const server = `127.0.0.1:${knot.port}`;
  const dry = await cli(['dns', 'apply', 'shop.test', '--server', server, '--tsig-key', file, '--dry-run']);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^zone shop\.test$/m);
  assert.match(dry.out, /\+ add {7} _dmarc\.shop\.test CNAME /);
  assert.match(dry.out, /~ replace {3} shop\.test TXT v=spf1 a include:\S+ -all\n {6}now: v=spf1 a -all/);
  assert.match(dry.out, /Dry run: \d+ changes would be sent to shop\.test; nothing was sent\./);

  const applied = await cli(['dns', 'apply', 'shop.test', '--server', server, '--tsig-key', file]);
  assert.equal(applied.code, 0, applied.err);
  assert.match(
    applied.out,
    /Applied to shop\.test at 127\.0\.0\.1:\d+, signed with the TSIG key "full\.knot\.test"/,
  );
  assert.match(applied.out, /^check afterwards: \w+$/m);

  const again = await cli(['--json', 'dns', 'apply', 'shop.test', '--server', server, '--tsig-key', file]);
  assert.equal(again.code, 0, again.err);
  const result = JSON.parse(again.out) as { sent: string; items: Array<{ action: string }> };
  assert.equal(result.sent, 'nothing-to-do');
  assert.ok(result.items.every((i) => i.action === 'unchanged'));
  for (const r of [dry, applied, again]) assert.ok(!(r.out + r.err).includes(knot.secrets[0]!));
});

test('a refusal is a sentence and exit code 8; a bad key file names the problem, not the secret', async () => {
  const wrong = keyFile('nobody.test', knot.secrets[1]!);
  const refused = await cli([
    'dns',
    'apply',
    'news.shop.test',
    '--server',
    `127.0.0.1:${knot.port}`,
    '--tsig-key',
    wrong,
  ]);
  assert.equal(refused.code, 8, refused.err);
  assert.match(refused.out, /NOTAUTH, BADKEY/);
  assert.ok(!(refused.out + refused.err).includes(knot.secrets[1]!));

  const broken = join(dir.path, 'broken.key');
  writeFileSync(broken, `key "x.test" { secret "${knot.secrets[1]}"; };\n`);
  const bad = await cli([
    'dns',
    'apply',
    'shop.test',
    '--server',
    `127.0.0.1:${knot.port}`,
    '--tsig-key',
    broken,
  ]);
  assert.equal(bad.code, 3);
  assert.match(bad.err, /needs both "algorithm" and "secret"/);
  assert.ok(!(bad.out + bad.err).includes(knot.secrets[1]!));

  const noServer = await cli(['dns', 'apply', 'shop.test', '--server', 'not a host:99999']);
  assert.equal(noServer.code, 3);
  assert.match(noServer.err, /--server must be HOST or HOST:PORT/);
});
