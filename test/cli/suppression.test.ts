/**
 * `senderd suppression` as a person uses it: add, list with search and total, export, import from standard input
 * with a bad row (exit 3, the line named), remove with why (the audit trail), and the errors of bad input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let node: TestNode;
let configPath: string;

before(async () => {
  node = await startTestNode();
  await node.services.accounts.addTenant('acme');
  configPath = `${node.config.dataDir}/senderd.yaml`;
  writeFileSync(configPath, stringify({ ...node.config, http: { ...node.config.http, enabled: false } }));
});

after(async () => {
  await node?.close();
});

async function cli(args: string[], stdin = '') {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runCli(['-c', configPath, ...args], {
    env: {},
    cwd: node.config.dataDir,
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
  });
  return { code, out: stdout.text, err: stderr.text };
}

test('suppression add, list, export, import and remove', async () => {
  const added = await cli([
    'suppression',
    'add',
    'Kim@Acme.EXAMPLE',
    '--why',
    'asked by phone',
    '--tenant',
    'acme',
  ]);
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /Suppressed Kim@acme\.example for tenant acme/);

  const imported = await cli(
    ['suppression', 'import', '--tenant', 'acme'],
    'address,evidence\nlee@acme.example,old list\nnot-an-address,x\n',
  );
  assert.equal(imported.code, 3, 'a skipped row makes the exit code 3');
  assert.match(imported.out, /Added 1; 0 already suppressed or expired; 1 rows skipped/);
  assert.match(imported.err, /line 3: "not-an-address" is not an e-mail address/);

  const list = await cli(['--json', 'suppression', 'list', '--tenant', 'acme', '--search', 'kim']);
  assert.equal(list.code, 0, list.err);
  const parsed = JSON.parse(list.out);
  assert.equal(parsed.total, 1);
  assert.deepEqual(
    parsed.suppressions.map((s: any) => [s.address, s.reason, s.source, s.createdBy, s.evidence]),
    [['Kim@acme.example', 'manual', 'cli', 'cli', 'asked by phone']],
  );

  const exported = await cli(['suppression', 'export', '--tenant', 'acme']);
  assert.equal(exported.code, 0, exported.err);
  const lines = exported.out.trim().split('\r\n');
  assert.equal(lines[0], 'address,reason,source,evidence,created_at,expires_at,created_by,domain');
  assert.deepEqual(
    lines
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
    ['Kim@acme.example', 'lee@acme.example'],
  );

  const noWhy = await cli(['suppression', 'remove', 'Kim@acme.example', '--tenant', 'acme']);
  assert.notEqual(noWhy.code, 0);
  assert.match(noWhy.err, /--why/);
  const removed = await cli([
    'suppression',
    'remove',
    'Kim@ACME.example',
    '--why',
    'wants mail again',
    '--tenant',
    'acme',
  ]);
  assert.equal(removed.code, 0, removed.err);
  const again = await cli([
    'suppression',
    'remove',
    'Kim@acme.example',
    '--why',
    'again',
    '--tenant',
    'acme',
  ]);
  assert.equal(again.code, 4, 'not found');
  const audit = await node.services.suppressions.audit(
    (await node.services.accounts.tenantByName('acme')).id,
    'Kim@acme.example',
  );
  assert.ok(audit.ok);
  assert.deepEqual(
    audit.value.map((a) => [a.action, a.actor, a.why]),
    [
      ['removed', 'cli', 'wants mail again'],
      ['added', 'cli', 'asked by phone'],
    ],
  );
  const bad = await cli(['suppression', 'add', 'nobody', '--why', 'x', '--tenant', 'acme']);
  assert.equal(bad.code, 3);
  assert.match(bad.err, /"nobody" is not an e-mail address/);
});

test('suppression add, list, export and remove scoped to one sender domain (--domain)', async () => {
  const tenant = await node.services.accounts.tenantByName('acme');
  await node.services.domains.add(tenant.id, 'news.acme.example');
  const notOurs = await cli([
    ...['suppression', 'add', 'pat@reader.example', '--why', 'x', '--tenant', 'acme'],
    ...['--domain', 'shop.other.example'],
  ]);
  assert.equal(notOurs.code, 3);
  assert.match(notOurs.err, /"shop\.other\.example" is not one of this tenant's sender domains/);

  const added = await cli([
    ...['suppression', 'add', 'pat@reader.example', '--why', 'only the newsletter', '--tenant', 'acme'],
    ...['--domain', 'NEWS.acme.example'],
  ]);
  assert.equal(added.code, 0, added.err);
  assert.match(
    added.out,
    /Suppressed pat@reader\.example for tenant acme, for mail of news\.acme\.example only/,
  );
  const list = await cli(['suppression', 'list', '--tenant', 'acme', '--search', 'pat@']);
  assert.match(list.out, /^pat@reader\.example\tonly news\.acme\.example\tmanual\tcli\t/m);
  const json = JSON.parse(
    (await cli(['--json', 'suppression', 'list', '--tenant', 'acme', '--search', 'pat@'])).out,
  );
  assert.deepEqual(
    json.suppressions.map((s: any) => [s.address, s.domain]),
    [['pat@reader.example', 'news.acme.example']],
  );
  const exported = await cli(['suppression', 'export', '--tenant', 'acme']);
  assert.ok(
    exported.out
      .split('\r\n')
      .some((l) => l.startsWith('pat@reader.example,') && l.endsWith(',news.acme.example')),
    exported.out,
  );

  const wrongScope = await cli([
    ...['suppression', 'remove', 'pat@reader.example', '--why', 'x', '--tenant', 'acme'],
  ]);
  assert.equal(wrongScope.code, 4, "the tenant's own entry is not the scoped one");
  const removed = await cli([
    ...['suppression', 'remove', 'pat@reader.example', '--why', 'wants it again', '--tenant', 'acme'],
    ...['--domain', 'news.acme.example'],
  ]);
  assert.equal(removed.code, 0, removed.err);
  const audit = await node.services.suppressions.audit(tenant.id, 'pat@reader.example');
  assert.ok(audit.ok);
  assert.deepEqual(
    audit.value.map((a) => [a.action, a.domain, a.why]),
    [
      ['removed', 'news.acme.example', 'wants it again'],
      ['added', 'news.acme.example', 'only the newsletter'],
    ],
  );
});
