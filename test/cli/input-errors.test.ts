import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { stringify } from 'yaml';
import { cliRunner, type CliResult } from '../support/cli.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

/** Wrong input found by walking through the CLI as a new user: each must be refused clearly, never ignored. */
let node: TestNode;
let cli: (args: readonly string[], options?: { stdin?: string }) => Promise<CliResult>;
let apiKey: string;

before(async () => {
  node = await startTestNode();
  const tenant = await node.services.accounts.addTenant('acme');
  apiKey = (await node.services.accounts.createApiKey(tenant.id, 'test')).key;
  const configPath = `${node.config.dataDir}/senderd.yaml`;
  writeFileSync(configPath, stringify({ ...node.config, http: { ...node.config.http, enabled: false } }));
  cli = cliRunner(configPath, node.config.dataDir);
  assert.equal((await cli(['domain', 'add', 'example.com', '--tenant', 'acme'])).code, 0);
});

after(async () => {
  await node?.close();
});

test('events: --limit 0 and a --since that is no time are refused (exit 3), not answered with 50 or no events', async () => {
  const zero = await cli(['events', '--tenant', 'acme', '--limit', '0']);
  assert.equal(zero.code, 3, zero.out);
  assert.match(zero.err, /--limit must be a whole number from 1 to 1000/);
  const since = await cli(['events', '--tenant', 'acme', '--since', 'yesterday']);
  assert.equal(since.code, 3, since.out);
  assert.match(since.err, /"yesterday" is not a time/);
  // A time with an offset means the same instant as its UTC form (stored times are UTC text).
  assert.equal((await cli(['dkim', 'rotate', 'example.com', '--tenant', 'acme'])).code, 0);
  const all = await cli(['--json', 'events', '--tenant', 'acme']);
  const events = (JSON.parse(all.out) as { events: Array<{ at: string }> }).events;
  assert.ok(events.length > 0, all.out);
  const oldest = new Date(events.at(-1)!.at).getTime();
  const sameInstant = new Date(oldest + 2 * 3600_000).toISOString().replace('Z', '+02:00');
  const shifted = await cli(['--json', 'events', '--tenant', 'acme', '--since', sameInstant]);
  assert.equal(shifted.code, 0, shifted.err);
  assert.equal((JSON.parse(shifted.out) as { events: unknown[] }).events.length, events.length);
});

test('the API refuses a since that is no time with 422', async () => {
  const r = await fetch(`${node.http}/v1/events?since=yesterday`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(r.status, 422);
  const body = (await r.json()) as { error: { details: Array<{ path: string }> } };
  assert.equal(body.error.details[0]?.path, 'since');
});

test('reports: a --limit that is no number is a usage problem (exit 3), not an internal error', async () => {
  const r = await cli(['reports', 'sources', 'example.com', '--tenant', 'acme', '--limit', 'abc']);
  assert.equal(r.code, 3, r.err);
  assert.doesNotMatch(r.err, /internal error/);
  const q = await cli(['reports', 'quarantine', '--tenant', 'acme', '--limit', '0']);
  assert.equal(q.code, 3, q.out);
});

test('reports quarantine points to --all when the only entries matched no tenant', async () => {
  const imported = await node.services.reports.ingest({
    source: Readable.from([new TextEncoder().encode('this is not a report')]),
    via: 'import',
    tenantId: null,
    name: 'note.txt',
  });
  const id = imported.outcomes[0]?.status === 'quarantined' ? imported.outcomes[0].quarantineId : '';
  assert.ok(id);
  const list = await cli(['reports', 'quarantine', '--tenant', 'acme']);
  assert.equal(list.code, 0);
  assert.match(list.out, /empty for this tenant.*--all/);
  const one = await cli(['reports', 'quarantine', id, '--tenant', 'acme']);
  assert.equal(one.code, 4);
  assert.match(one.err, /--all/);
  const all = await cli(['reports', 'quarantine', id, '--all']);
  assert.equal(all.code, 0, all.err);
});

test('dkim policy --ed25519 takes on, off or default only', async () => {
  const r = await cli(['dkim', 'policy', 'example.com', '--tenant', 'acme', '--ed25519', 'maybe']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.err, /--ed25519 takes on, off or default/);
  const shown = await cli(['--json', 'dkim', 'policy', 'example.com', '--tenant', 'acme']);
  assert.deepEqual((JSON.parse(shown.out) as { overrides: object }).overrides, {}, 'nothing was stored');
});

test('dkim generate checks --bits even when a key is already waiting', async () => {
  await cli(['dkim', 'rotate', 'example.com', '--tenant', 'acme']);
  const keys = await cli(['--json', 'dkim', 'keys', 'example.com', '--tenant', 'acme']);
  assert.ok(
    (JSON.parse(keys.out) as { keys: Array<{ state: string }> }).keys.some((k) => k.state === 'pending'),
  );
  const r = await cli(['dkim', 'generate', 'example.com', '--tenant', 'acme', '--bits', '1000']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.err, /2048, 3072 or 4096/);
});

test('an Ed25519 key is refused while the domain does not sign with Ed25519, with what to do', async () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const refused = await cli(['dkim', 'import', 'example.com', '--tenant', 'acme'], { stdin: pem });
  assert.equal(refused.code, 5, refused.out);
  assert.match(refused.err, /Ed25519 signing is off for example\.com/);
  assert.match(refused.err, /--ed25519 on/);
  const generated = await cli([
    'dkim',
    'generate',
    'example.com',
    '--tenant',
    'acme',
    '--algorithm',
    'ed25519',
  ]);
  assert.equal(generated.code, 5, generated.out);
  const keys = await cli(['--json', 'dkim', 'keys', 'example.com', '--tenant', 'acme']);
  const list = (JSON.parse(keys.out) as { keys: Array<{ algorithm: string }> }).keys;
  assert.ok(!list.some((k) => k.algorithm === 'ed25519'), 'no Ed25519 key was stored');

  assert.equal((await cli(['dkim', 'policy', 'example.com', '--tenant', 'acme', '--ed25519', 'on'])).code, 0);
  const accepted = await cli(['dkim', 'import', 'example.com', '--tenant', 'acme'], { stdin: pem });
  assert.equal(accepted.code, 0, accepted.err);
  assert.match(accepted.out, /ed1\s+ed25519/);
});

test('dkim import with nothing on standard input says how to give the key; an EC key is named plainly', async () => {
  const empty = await cli(['dkim', 'import', 'example.com', '--tenant', 'acme'], { stdin: '' });
  assert.equal(empty.code, 3, empty.out);
  assert.match(empty.err, /Standard input was empty/);
  assert.match(empty.err, /--file/);
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
    type: 'sec1',
    format: 'pem',
  }) as string;
  const refused = await cli(['dkim', 'import', 'example.com', '--tenant', 'acme'], { stdin: ec });
  assert.equal(refused.code, 3);
  assert.match(refused.err, /The key in this EC PRIVATE KEY block cannot sign DKIM/);
});

test('an empty or blank report is refused with words, not \'it starts with ""\'', async () => {
  for (const [body, says] of [
    ['', /the input is empty: it has no bytes at all/],
    [' \r\n\t\n', /the input is empty: it holds only white space/],
  ] as const) {
    const r = await node.services.reports.ingest({
      source: Readable.from([new TextEncoder().encode(body)]),
      via: 'upload',
      tenantId: null,
      name: 'upload',
    });
    const outcome = r.outcomes[0];
    assert.equal(outcome?.status, 'quarantined');
    assert.match(outcome.status === 'quarantined' ? outcome.message : '', says);
  }
});

test('reports sources and reporters say in words that the window holds no reports, not a bare header', async () => {
  for (const args of [
    ['reports', 'sources', 'example.com', '--tenant', 'acme', '--days', '7'],
    ['reports', 'reporters', '--tenant', 'acme', '--days', '7'],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /No (reports \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(7 days|reporters in this window)/,
    );
    assert.match(r.out, /Look elsewhere with --from\/--to/);
  }
});
