/**
 * BIMI logo hosting end to end: hostile SVG refused through the CLI and the API with the reason, a Tiny PS logo
 * uploaded with `senderd bimi logo`, served by the edge on clicks.example.com over HTTPS with the certificate
 * Pebble issued (curl verifies against Pebble's root), and `l=` published in the hosted BIMI record only once the
 * DMARC policy is enforced.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.ts';
import { LAST_STEP } from '../../src/dmarc/index.ts';
import type { RunningNode } from '../../src/main.ts';
import { run } from '../support/tools.ts';
import { portOf } from './edge-client.ts';
import { CLICK_HOST, DOMAIN, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
let node: RunningNode;
let https = 0;

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">' +
  '<title>Example</title><circle cx="50" cy="50" r="40" fill="#c00"/></svg>\n';
const HOSTILE =
  '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">' +
  '<title>Example</title><script>alert(document.cookie)</script></svg>';
const XXE = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${LOGO.replace('Example', '&x;')}`;

before(async () => {
  world = await startAcmeWorld();
  node = await world.startNode();
  https = portOf(node, 'edge-https')!;
  await world.customerZone({ clickCname: true });
  const s = node.services;
  await s.checks.run(world.domain());
  assert.equal((await s.edge.acme.runOnce()).worked.get(CLICK_HOST), 'issued');
});

after(async () => {
  await world?.stop();
});

async function cli(args: string[]) {
  const s = node.services;
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const flags = [
    `dataDir=${s.config.dataDir}`,
    `domains.publicSuffixList=${s.config.domains.publicSuffixList}`,
    `store.driver=${s.config.store.driver}`,
    ...(s.config.store.driver === 'postgres' ? [`store.postgresUrl=${s.config.store.postgresUrl}`] : []),
  ].flatMap((f) => ['--set', f]);
  const code = await runCli([...flags, ...args, '--tenant', 'acme'], {
    env: {},
    cwd: s.config.dataDir,
    stdout: stream,
    stderr: stream,
    stdin: new PassThrough().end(),
  });
  return { code, text: out.join('') };
}

function fetchLogo(path: string) {
  return run('curl', [
    '--silent',
    '--show-error',
    '--cacert',
    world.pebble.rootFile,
    '--resolve',
    `${CLICK_HOST}:${https}:127.0.0.1`,
    '--write-out',
    '\n%{http_code} %{content_type} %{ssl_verify_result}',
    `https://${CLICK_HOST}:${https}${path}`,
  ]);
}

test('hostile SVG is refused with the reason, through the CLI and the API, and nothing is stored', async () => {
  const s = node.services;
  const dir = s.config.dataDir;
  writeFileSync(join(dir, 'hostile.svg'), HOSTILE);
  const refused = await cli(['bimi', 'logo', DOMAIN, 'hostile.svg']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.text, /The logo is refused: <script>: scripts are not allowed/);

  const { key } = await s.accounts.createApiKey(world.tenantId, 'bimi test');
  const http = node.components.find((c) => c.name === 'http')!.address;
  const upload = (body: string | Buffer) =>
    fetch(`${http}/v1/domains/${DOMAIN}/bimi/logo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'image/svg+xml' },
      body,
    });
  const xxe = await upload(XXE);
  assert.equal(xxe.status, 422);
  const problem = (await xxe.json()) as { error: { details: Array<{ reason: string; message: string }> } };
  assert.equal(problem.error.details[0]?.reason, 'doctype');
  const big = await upload(LOGO.replace('</svg>', `<desc>${'x'.repeat(40_000)}</desc></svg>`));
  assert.equal(big.status, 413);
  assert.match(await big.text(), /at most 32768/);
  const huge = await upload(Buffer.alloc(5_000_000, 0x20));
  assert.equal(huge.status, 413, 'refused by the body limit before it is read');
  assert.equal(await s.store.bimi.get(world.domain().id), null);
});

test('a Tiny PS logo: served by the edge over HTTPS, l= published once DMARC is enforced', async () => {
  const s = node.services;
  writeFileSync(join(s.config.dataDir, 'logo.svg'), LOGO);
  const uploaded = await cli(['bimi', 'logo', DOMAIN, 'logo.svg']);
  assert.equal(uploaded.code, 0, uploaded.text);
  const hash = createHash('sha256').update(LOGO).digest('hex');
  const url = `https://${CLICK_HOST}/bimi/${hash}.svg`;
  assert.match(uploaded.text, new RegExp(`served at ${url.replaceAll('.', '\\.')}`));

  const served = await fetchLogo(`/bimi/${hash}.svg`);
  assert.equal(served.code, 0, served.stderr);
  assert.equal(served.stdout, `${LOGO}\n200 image/svg+xml 0`);
  assert.match((await fetchLogo(`/bimi/${'0'.repeat(64)}.svg`)).stdout, /\n404 /);

  // BIMI is published only while the DMARC policy is enforced.
  const bimiRecords = async () =>
    (await s.domains.plan(world.tenantId, DOMAIN)).hosted.filter((r) => r.purpose === 'bimi');
  assert.deepEqual(await bimiRecords(), []);
  assert.equal((await s.dmarc.show(world.tenantId, DOMAIN)).bimi.published, false);
  await s.dmarc.step(world.tenantId, DOMAIN, LAST_STEP, 'test', true);
  const records = await bimiRecords();
  assert.equal(records.length, 1);
  assert.deepEqual(records[0]!.data, { type: 'TXT', text: `v=BIMI1; l=${url}; a=` });

  // A new logo gets a new URL; the old one is gone from the edge.
  const next = LOGO.replace('#c00', '#00c');
  writeFileSync(join(s.config.dataDir, 'logo.svg'), next);
  assert.equal((await cli(['bimi', 'logo', DOMAIN, 'logo.svg'])).code, 0);
  const nextHash = createHash('sha256').update(next).digest('hex');
  assert.match((await fetchLogo(`/bimi/${hash}.svg`)).stdout, /\n404 /);
  assert.match((await fetchLogo(`/bimi/${nextHash}.svg`)).stdout, /\n200 image\/svg\+xml 0$/);
  assert.deepEqual((await bimiRecords())[0]!.data, {
    type: 'TXT',
    text: `v=BIMI1; l=https://${CLICK_HOST}/bimi/${nextHash}.svg; a=`,
  });

  // Removed: not served, and the record goes.
  const removed = await cli(['bimi', 'remove', DOMAIN]);
  assert.equal(removed.code, 0, removed.text);
  assert.match((await fetchLogo(`/bimi/${nextHash}.svg`)).stdout, /\n404 /);
  assert.deepEqual(await bimiRecords(), []);
});
