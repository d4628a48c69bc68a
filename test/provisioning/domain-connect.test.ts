/**
 * Domain Connect (draft-ietf-dconn-domainconnect-03), the synchronous flow, as a service provider:
 * - the platform's template validates against the Domain Connect templates schema (Ajv, draft-06; the schema is
 *   template.schema of github.com/Domain-Connect/Templates, in fixtures/);
 * - discovery: the `_domainconnect` TXT record served by a real Knot, the settings document and the template
 *   query over HTTPS from a provider stub on 127.0.0.1 with its own certificate as the test CA;
 * - the apply URL, signed: its signature verified by openssl with the public key read back with dig from the
 *   platform zone that senderd's own DNS server serves at `_dcpubkeyv1.<zone>`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import {
  canonicalQuery,
  discoverProvider,
  discoveryTxt,
  httpsJson,
  type DiscoveryDeps,
} from '../../src/provisioning/index.ts';
import { RecursiveResolver } from '../../src/resolver/index.ts';
import { startTestNode, tempDir, type TestDir, type TestNode } from '../support/node.ts';
import { selfSignedCertificateForTests } from '../support/tls.ts';
import { run } from '../support/tools.ts';
import { startUpdatePrimary, type UpdatePrimary } from '../support/update-primary.ts';

const schema = JSON.parse(
  readFileSync(new URL('fixtures/domain-connect-template.schema.json', import.meta.url), 'utf8'),
) as object;
const PROVIDER = { providerId: 'dnshost.example', providerName: 'DNS Host' };

let dir: TestDir;
let knot: UpdatePrimary;
let provider: Server;
let providerPort: number;
let node: TestNode;
const asked: string[] = [];

before(async () => {
  dir = tempDir('senderd-dc-');
  const tls = selfSignedCertificateForTests();
  provider = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    asked.push(path);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/dc/v2/shop.test/settings')
      return json(200, {
        ...PROVIDER,
        urlSyncUX: 'https://connect.dnshost.example',
        urlAPI: `https://localhost:${providerPort}/api`,
      });
    if (path === '/api/v2/domainTemplates/providers/mail.example.net/services/mail') return json(200, {});
    return json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerPort = (provider.address() as AddressInfo).port;
  mkdirSync(join(dir.path, 'knot'));
  knot = await startUpdatePrimary(
    'knot',
    join(dir.path, 'knot'),
    'shop.test',
    [
      `_domainconnect 300 IN TXT "localhost:${providerPort}/dc"`,
      `_domainconnect.gone 300 IN TXT "localhost:${providerPort}/dc"`,
      `_domainconnect.bad 300 IN TXT "https://localhost/dc?x=1"`,
    ].join('\n'),
  );
  node = await startTestNode({
    set: [`resolvers.servers=127.0.0.1:${knot.port}`],
    runtime: { domainConnectGet: httpsJson({ timeoutMs: 5000, allowPrivate: true, ca: tls.cert }) },
  });
});

after(async () => {
  await node?.close();
  await knot?.stop();
  provider?.close();
  dir?.remove();
});

function discovery(allowPrivate = true): DiscoveryDeps {
  return {
    txt: discoveryTxt(new RecursiveResolver({ servers: [`127.0.0.1:${knot.port}`], timeoutMs: 2000 })),
    getJson: httpsJson({ timeoutMs: 5000, allowPrivate, ca: selfSignedCertificateForTests().cert }),
  };
}

test("the platform's template is valid against the Domain Connect templates schema", () => {
  const ajv = new Ajv({ strict: false, validateFormats: false });
  ajv.addMetaSchema(draft06);
  const validate = ajv.compile(schema);
  const template = node.services.domainConnect.template();
  assert.ok(validate(template), JSON.stringify(validate.errors));
  assert.equal(template.providerId, 'mail.example.net');
  assert.equal(template.syncPubKeyDomain, 'mail.example.net');
  const hosts = template.records.map((r) => `${r.type} ${r.host}`);
  assert.deepEqual(hosts.sort(), [
    'CNAME _dmarc',
    'CNAME bounce',
    'CNAME clicks',
    'CNAME sd1._domainkey',
    'CNAME sd2._domainkey',
    'CNAME sd3._domainkey',
    'SPFM @',
  ]);
  assert.ok(JSON.stringify(template).includes('%token%'), 'the token is a variable');
  // The validator is not vacuous: a record without its target, or an unknown field, is refused.
  const broken = { ...template, records: [{ type: 'CNAME', host: 'x' }] };
  assert.equal(validate(broken), false);
  assert.equal(validate({ ...template, colour: 'blue' }), false);
});

test('discovery reads _domainconnect from the DNS, then the settings and the template over HTTPS', async () => {
  const template = { providerId: 'mail.example.net', serviceId: 'mail' };
  const found = await discoverProvider('news.shop.test', 'shop.test', template, discovery());
  assert.equal(found.kind, 'provider', JSON.stringify(found));
  assert.ok(found.kind === 'provider');
  assert.equal(found.apex, 'shop.test', 'discovery works on the zone apex');
  assert.equal(found.host, 'news');
  assert.equal(found.settings.urlSyncUX, 'https://connect.dnshost.example');

  const gone = await discoverProvider('gone.shop.test', 'shop.test', template, discovery());
  assert.deepEqual(gone, {
    kind: 'none',
    reason: `the DNS provider at localhost:${providerPort}/dc does not have the zone gone.shop.test (404)`,
  });
  const other = await discoverProvider(
    'shop.test',
    'shop.test',
    { ...template, serviceId: 'web' },
    discovery(),
  );
  assert.equal(other.kind, 'none');
  assert.match(
    other.kind === 'none' ? other.reason : '',
    /does not have the template mail\.example\.net\/web/,
  );
  const bad = await discoverProvider('bad.shop.test', 'bad.shop.test', template, discovery());
  assert.match(bad.kind === 'none' ? bad.reason : '', /which is not a host\[\/path\]/);
  const none = await discoverProvider('plain.shop.test', 'plain.shop.test', template, discovery());
  assert.match(none.kind === 'none' ? none.reason : '', /no _domainconnect TXT record/);
  // Without the operator's allowance, a provider on a private or loopback address is not asked.
  await assert.rejects(
    discoverProvider('shop.test', 'shop.test', template, discovery(false)),
    /127\.0\.0\.1|loopback/i,
  );
});

test('the apply URL is signed as the draft describes, and verifies with the key from the platform zone', async () => {
  const s = node.services;
  const tenant = await s.accounts.addTenant('dc');
  await s.domains.add(tenant.id, 'news.shop.test');
  const offer = await s.domainConnect.offer(tenant.id, 'news.shop.test', { state: 'w1' });
  assert.equal(offer.kind, 'available', JSON.stringify(offer));
  assert.ok(offer.kind === 'available');
  assert.equal(offer.provider, 'DNS Host');
  const url = new URL(offer.applyUrl);
  assert.equal(url.origin, 'https://connect.dnshost.example');
  assert.equal(url.pathname, '/v2/domainTemplates/providers/mail.example.net/services/mail/apply');
  const query = offer.applyUrl.slice(offer.applyUrl.indexOf('?') + 1);
  const [signed, sigPart, keyPart] = /^(.*)&sig=([^&]+)&key=([^&]+)$/.exec(query)!.slice(1) as [
    string,
    string,
    string,
  ];
  assert.equal(keyPart, '_dcpubkeyv1');
  const plan = await s.domains.planFor(await s.domains.get(tenant.id, 'news.shop.test'));
  assert.equal(signed, `domain=shop.test&host=news&state=w1&token=${plan.token}`);
  assert.equal(
    signed,
    canonicalQuery(new Map([...url.searchParams].filter(([k]) => k !== 'sig' && k !== 'key'))),
    'the query is the canonical input, sorted and encoded',
  );

  // The public key, as a DNS provider finds it: TXT records at _dcpubkeyv1.<syncPubKeyDomain>, in order of p.
  const dnsPort = Number(/:(\d+)$/.exec(node.node.components.find((c) => c.name === 'dns')!.address)![1]);
  const dig = await run('dig', [
    '+short',
    '-p',
    String(dnsPort),
    '@127.0.0.1',
    '_dcpubkeyv1.mail.example.net',
    'TXT',
  ]);
  const fragments = dig.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/"/g, ''))
    .map((l) => Object.fromEntries(l.split(',').map((kv) => kv.split('=', 2) as [string, string])))
    .sort((a, b) => Number(a.p) - Number(b.p));
  assert.ok(fragments.length >= 2, dig.stdout);
  assert.ok(fragments.every((f) => f.a === 'RS256'));
  const der = Buffer.from(
    dig.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/"/g, ''))
      .sort((a, b) => Number(/p=(\d+)/.exec(a)![1]) - Number(/p=(\d+)/.exec(b)![1]))
      .map((l) => l.slice(l.indexOf('d=') + 2))
      .join(''),
    'base64',
  );
  const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`;
  writeFileSync(join(dir.path, 'dc.pem'), pem);
  writeFileSync(join(dir.path, 'input'), signed);
  writeFileSync(join(dir.path, 'sig'), Buffer.from(decodeURIComponent(sigPart), 'base64'));
  const verify = (input: string) =>
    run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir.path, 'dc.pem'),
      '-signature',
      join(dir.path, 'sig'),
      input,
    ]);
  const good = await verify(join(dir.path, 'input'));
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /Verified OK/);
  writeFileSync(join(dir.path, 'tampered'), signed.replace('host=news', 'host=evil'));
  assert.notEqual((await verify(join(dir.path, 'tampered'))).code, 0, 'a changed query does not verify');

  // The private key is sealed in the store, never in clear.
  const sealed = await s.store.platformSecrets.platformSecret('domain-connect-rs256');
  assert.ok(sealed !== null);
  assert.ok(!JSON.stringify(sealed).includes(der.toString('base64').slice(40, 80)));
});

test('a domain whose records differ from the template falls back to copying, with the reason', async () => {
  const s = node.services;
  const tenant = await s.accounts.addTenant('dc-own');
  await s.domains.add(tenant.id, 'own.shop.test', { bounceLabel: 'rp' });
  const offer = await s.domainConnect.offer(tenant.id, 'own.shop.test');
  assert.equal(offer.kind, 'unavailable');
  assert.match(
    offer.kind === 'unavailable' ? offer.reason : '',
    /differ from the platform's Domain Connect template/,
  );
});
