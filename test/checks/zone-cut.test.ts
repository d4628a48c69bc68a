/**
 * The zone that really holds a sender domain's records, found by its SOA (RFC 1034 §4.3.2, RFC 2181 §6), with
 * every nameserver of that zone asked, on real NSD and Knot behind a fake root:
 * - a parent and a child zone on one NSD (no referral between them),
 * - a customer zone on the TLD's own server (a registry-operated server answering directly),
 * - a child on its own Knot whose own NS records name a server that does not serve it (lame),
 * - two servers with different SOA serials, and one that times out,
 * - the doubled-name advice computed from the real zone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainCheck } from '../../src/checks/index.ts';
import { formatCheck } from '../../src/cli/check.ts';
import { cryptoRandom } from '../../src/core/index.ts';
import type { RecordPlan } from '../../src/domains/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { ADDRESS, startDnsTree, type DnsTree, type ZoneSpec } from './dns-tree.ts';
import { body, checkInTree, customerLines, planFor, platformZone, type Line } from './scenario.ts';

let tree: DnsTree;
let resolver: StubResolver;
const plans = new Map<string, RecordPlan>();
const plan = (domain: string) => {
  const p = planFor(domain, 'delegated', null);
  plans.set(domain, p);
  return p;
};
const doubledDmarc = (origin: string) => (lines: Line[]) =>
  lines.map((l) => (l.name === '_dmarc' ? { ...l, name: `_dmarc.${origin}` } : l));

before(async () => {
  const zones: ZoneSpec[] = [];
  // news.samehost.com is its own zone, on the same NSD as samehost.com: that server answers directly.
  zones.push({ origin: 'samehost.com', body: '@ 300 IN TXT "v=spf1 -all"', servers: ['ns1'] });
  zones.push({
    origin: 'news.samehost.com',
    body: body(
      doubledDmarc('news.samehost.com')(customerLines(plan('news.samehost.com'), 'news.samehost.com')),
    ),
    servers: ['ns1'],
  });
  // A customer zone on the server that also serves the root and the TLDs.
  zones.push({
    origin: 'regdirect.org',
    body: body(doubledDmarc('regdirect.org')(customerLines(plan('regdirect.org'), 'regdirect.org'))),
    servers: ['tld'],
  });
  // child.knotparent.com on Knot, delegated from its parent on NSD to Knot alone; its own NS records also name
  // ns1, which serves only the parent (and so refers back to Knot): lame.
  zones.push({
    origin: 'knotparent.com',
    body: 'child 300 IN NS ns2.dnshost.net.',
    servers: ['ns1'],
  });
  zones.push({
    origin: 'child.knotparent.com',
    body: body(customerLines(plan('child.knotparent.com'), 'child.knotparent.com')),
    servers: ['ns2'],
    ns: ['ns2.dnshost.net.', 'ns1.dnshost.net.'],
  });
  // A secondary (Knot) that has not caught up: serial 7 on NSD, 6 on Knot.
  zones.push({
    origin: 'serials.com',
    body: body(customerLines(plan('serials.com'), 'serials.com')),
    servers: ['ns1', 'ns2'],
    serial: 7,
    ns2Serial: 6,
  });
  // A second nameserver that never answers.
  zones.push({
    origin: 'halfsilent.com',
    body: body(customerLines(plan('halfsilent.com'), 'halfsilent.com')),
    servers: ['ns1'],
    ns: ['ns1.dnshost.net.', 'ns1.blackhole.net.'],
  });
  zones.push(platformZone([...plans.values()]));
  tree = await startDnsTree(zones);
  resolver = new StubResolver({ timeoutMs: 300, attempts: 1, random: cryptoRandom });
});

after(async () => {
  resolver?.close();
  await tree?.stop();
});

function run(domain: string): Promise<DomainCheck> {
  return checkInTree(plans.get(domain)!, tree, resolver);
}

const at = (id: keyof typeof ADDRESS) => `${ADDRESS[id]}:${tree.port}`;
const codes = (check: DomainCheck, key: string) =>
  check.records.find((r) => r.key === key)?.remarks.map((m) => m.code) ?? [];
const message = (check: DomainCheck, key: string, code: string) =>
  check.records.find((r) => r.key === key)?.remarks.find((m) => m.code === code)?.message ?? '';

test('a child zone on its parent’s server: the zone is the child, and the doubled name is advised in it', async () => {
  const check = await run('news.samehost.com');
  const info = JSON.stringify(check.zone);
  assert.equal(check.zone.apex, 'news.samehost.com', info);
  assert.deepEqual(check.zone.nameservers, [
    { name: 'ns1.dnshost.net', address: at('ns1'), status: 'ok', serial: 1 },
  ]);
  assert.deepEqual(codes(check, 'dmarc'), ['domain-doubled', 'missing']);
  const advice = message(check, 'dmarc', 'domain-doubled');
  assert.match(advice, /_dmarc\.news\.samehost\.com\.news\.samehost\.com/);
  // In the news.samehost.com zone the name to enter is "_dmarc" (not "_dmarc.news", which makes
  // _dmarc.news.news.samehost.com there).
  assert.match(advice, /enter only "_dmarc" as the name/, advice);
  assert.equal(check.grade, 'error');
  const others = check.records.filter((r) => r.key !== 'dmarc');
  assert.ok(
    others.every((r) => r.grade === 'perfect'),
    JSON.stringify(others.map((r) => [r.key, r.remarks])),
  );
});

test('a zone on the TLD’s own server (no referral at all): named, with its nameserver, never the root', async () => {
  const check = await run('regdirect.org');
  assert.equal(check.zone.apex, 'regdirect.org');
  assert.deepEqual(check.zone.nameservers, [
    { name: 'a.gtld.net', address: at('tld'), status: 'ok', serial: 1 },
  ]);
  const advice = message(check, 'dmarc', 'domain-doubled');
  assert.match(advice, /The DNS host's form adds regdirect\.org itself, so enter only "_dmarc" as the name/);
  const table = formatCheck(check, { colour: false, verbose: false });
  assert.match(
    table,
    new RegExp(`^zone regdirect\\.org: a\\.gtld\\.net \\(${at('tld')}\\) ok serial 1$`, 'm'),
  );
});

test('a child on its own Knot: its own NS records name a server that is lame, and that is reported', async () => {
  const check = await run('child.knotparent.com');
  assert.equal(check.zone.apex, 'child.knotparent.com');
  const byName = new Map(check.zone.nameservers.map((n) => [n.name, n]));
  assert.equal(byName.get('ns2.dnshost.net')?.status, 'ok');
  assert.equal(byName.get('ns2.dnshost.net')?.address, at('ns2'));
  assert.equal(byName.get('ns1.dnshost.net')?.status, 'lame', JSON.stringify(check.zone));
  const lame = check.zone.remarks.find((m) => m.code === 'lame-server');
  assert.equal(lame?.severity, 'warning');
  assert.match(lame?.message ?? '', new RegExp(`ns1\\.dnshost\\.net \\(${at('ns1')}\\): lame`));
  // The records come from Knot, the server that does serve the zone.
  assert.ok(
    check.records.every((r) => r.grade === 'perfect'),
    JSON.stringify(check.records),
  );
});

test('two nameservers with different SOA serials: the secondary that has not caught up is named', async () => {
  const check = await run('serials.com');
  const serials = Object.fromEntries(check.zone.nameservers.map((n) => [n.name, n.serial]));
  assert.deepEqual(serials, { 'ns1.dnshost.net': 7, 'ns2.dnshost.net': 6 });
  const remark = check.zone.remarks.find((m) => m.code === 'serials-differ');
  assert.equal(remark?.severity, 'warning');
  assert.match(
    remark?.message ?? '',
    /ns1\.dnshost\.net \(127\.0\.0\.2:\d+\) 7, ns2\.dnshost\.net \(127\.0\.0\.3:\d+\) 6/,
  );
});

test('a nameserver that times out is reported once for the zone, and the records still come from the other', async () => {
  const check = await run('halfsilent.com');
  const silent = check.zone.nameservers.find((n) => n.name === 'ns1.blackhole.net');
  assert.equal(silent?.status, 'timeout');
  assert.equal(silent?.serial, null);
  assert.ok(check.zone.remarks.some((m) => m.code === 'nameserver-trouble' && m.severity === 'warning'));
  assert.ok(
    check.records.every((r) => r.grade === 'perfect'),
    JSON.stringify(check.records),
  );
});
