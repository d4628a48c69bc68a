import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config/index.ts';
import { dnsSettingsFrom, parseNotifyTarget } from './dns-settings.ts';

/** A configuration from flags, as config/ checks it alone, and the dns capability's reading of it. */
function dnsFrom(flags: string[]) {
  const outcome = resolveConfig(
    { env: {}, cwd: '/tmp', flags: ['platform.zone=Mail.Example.NET.', ...flags] },
    [],
  );
  if (!('config' in outcome)) assert.fail(JSON.stringify(outcome.problems));
  const c = outcome.config;
  return dnsSettingsFrom({ platform: c.platform, dns: c.dns, bounceDomain: c.gateway.bounceDomain });
}

test('settings from the defaults: names made absolute, SOA from the first name server', () => {
  const result = dnsFrom([]);
  assert.ok('settings' in result);
  const { zone } = result.settings;
  assert.equal(zone.apex, 'mail.example.net');
  assert.deepEqual(zone.nameservers, ['ns1.mail.example.net', 'ns2.mail.example.net']);
  assert.equal(zone.soa.mname, 'ns1.mail.example.net');
  assert.equal(zone.soa.rname, 'hostmaster.mail.example.net');
  assert.equal(zone.mxHost, 'mx.mail.example.net');
  assert.deepEqual(zone.hostAddresses.get('mx.mail.example.net'), ['127.0.0.1']);
  assert.equal(result.settings.rateLimit, null, 'rate limiting is off by default');
});

test('every problem is reported, against the key that has it', () => {
  const outcome = dnsFrom([
    'platform.hostAddresses={"ns1":["192.0.2.1"]}',
    'dns.notify=["192.0.2.1:99999","nonsense"]',
    'dns.aliases={"ns1":"elsewhere.example.","@":"x.example."}',
    'dns.hostmaster=first.last@example.net',
  ]);
  assert.ok(!('settings' in outcome));
  const paths = outcome.problems.map((p) => p.path).sort();
  assert.deepEqual(paths, [
    'dns.aliases.@',
    'dns.aliases.ns1',
    'dns.hostmaster',
    'dns.notify.0',
    'dns.notify.1',
    'platform.hostAddresses',
    'platform.nameservers.1',
  ]);
});

test('the checks that need addresses apply only when the dns component runs', () => {
  const outcome = dnsFrom(['dns.enabled=false', 'platform.hostAddresses={}']);
  assert.ok('settings' in outcome, JSON.stringify(outcome.problems));
});

test('NOTIFY targets', () => {
  assert.deepEqual(parseNotifyTarget('192.0.2.1'), { host: '192.0.2.1', port: 53 });
  assert.deepEqual(parseNotifyTarget('192.0.2.1:5300'), { host: '192.0.2.1', port: 5300 });
  assert.deepEqual(parseNotifyTarget('[2001:db8::1]:53'), { host: '2001:db8::1', port: 53 });
  assert.deepEqual(parseNotifyTarget('2001:db8::1'), { host: '2001:db8::1', port: 53 });
  assert.equal(parseNotifyTarget('ns1.example.net'), null);
  assert.equal(parseNotifyTarget('192.0.2.1:0'), null);
});

test("the gateway's platform return-path domain is served when it lies in the zone", async () => {
  const { platformRecords } = await import('./zone-builder.ts');
  const zoneOf = (flags: string[]) => {
    const result = dnsFrom(flags);
    assert.ok('settings' in result);
    return result.settings.zone;
  };
  const zone = zoneOf([]);
  assert.equal(zone.bounceHost, 'bounce.mail.example.net');
  const records = platformRecords(zone).filter((r) => r.name === 'bounce.mail.example.net');
  assert.deepEqual(
    records.map((r) => r.data),
    [
      { type: 'MX', preference: 10, exchange: 'mx.mail.example.net' },
      { type: 'TXT', strings: ['v=spf1 include:spf.mail.example.net -all'] },
    ],
  );
  assert.equal(zoneOf(['gateway.bounceDomain=rp.mail.example.net.']).bounceHost, 'rp.mail.example.net');
  assert.equal(
    zoneOf(['gateway.bounceDomain=bounces.example.org']).bounceHost,
    undefined,
    'not ours to serve',
  );
});

const SECRET = Buffer.alloc(32, 9).toString('base64');

test('TSIG keys: a secondary names its key, and NOTIFY to it is signed with that key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-tsig-'));
  const keyFile = join(dir, 'file.key');
  writeFileSync(keyFile, `${Buffer.alloc(64, 1).toString('base64')}\n`, { mode: 0o600 });
  const result = dnsFrom([
    `dns.tsigKeys=[{"name":"XFR.example.net.","secret":"${SECRET}"},{"name":"file.example.net","algorithm":"hmac-sha512","secretFile":"${keyFile}"}]`,
    'dns.secondaries=["198.51.100.0/24",{"address":"192.0.2.53","key":"xfr.example.net"}]',
    'dns.notify=["192.0.2.53:5300","198.51.100.9"]',
  ]);
  rmSync(dir, { recursive: true });
  assert.ok('settings' in result, JSON.stringify(result.problems));
  const s = result.settings;
  assert.deepEqual([...s.tsigKeys.keys()], ['xfr.example.net', 'file.example.net']);
  assert.equal(s.tsigKeys.get('file.example.net')?.algorithm, 'hmac-sha512');
  assert.deepEqual(s.secondaries, [
    { address: '198.51.100.0/24', keyName: null },
    { address: '192.0.2.53', keyName: 'xfr.example.net' },
  ]);
  assert.equal(s.notify[0]?.key?.name, 'xfr.example.net');
  assert.equal(s.notify[1]?.key, undefined, 'a key-less secondary gets an unsigned NOTIFY');
});

test('TSIG key problems are reported against their keys, and never show the secret', () => {
  const short = Buffer.alloc(16, 9).toString('base64');
  const outcome = dnsFrom([
    `dns.tsigKeys=[{"name":"md5","algorithm":"hmac-md5","secret":"${SECRET}"},{"name":"short","secret":"${short}"},{"name":"both","secret":"${SECRET}","secretFile":"/x"},{"name":"missing","secretFile":"/nonexistent/senderd-key"},{"name":"md5","secret":"${SECRET}"}]`,
    'dns.secondaries=[{"address":"192.0.2.53","key":"nobody"}]',
  ]);
  assert.ok(!('settings' in outcome));
  const problems = outcome.problems.map((p) => `${p.path}: ${p.message}`);
  const text = problems.join('\n');
  assert.match(text, /dns\.tsigKeys\.0: hmac-md5 is refused: RFC 8945 §6 deprecates it/);
  assert.match(text, /dns\.tsigKeys\.1: the secret has 16 bytes; hmac-sha256 needs at least 32/);
  assert.match(text, /dns\.tsigKeys\.2: give the secret in exactly one of secret and secretFile/);
  assert.match(text, /dns\.tsigKeys\.3\.secretFile: \/nonexistent\/senderd-key: ENOENT/);
  assert.match(text, /dns\.secondaries\.0\.key: no key "nobody" in dns\.tsigKeys/);
  assert.ok(!text.includes(SECRET) && !text.includes(short), 'no secret in any message');
});
