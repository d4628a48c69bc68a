/**
 * The DNS server against real clients (dig and kdig from Debian, and raw sockets for what they cannot send):
 * every record kind senderd hosts, and every negative case, on 127.0.0.1 with a random port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { logChange } from '../../src/store/index.ts';
import { decodeMessage } from '../../src/dns/message-decoder.ts';
import { dig, queryPacket, tcpExchange, udpExchange } from '../support/dns-packets.ts';
import { startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
const RSA2048 = `v=DKIM1; k=rsa; p=${randomBytes(294).toString('base64')}`;
const RSA4096 = `v=DKIM1; k=rsa; p=${randomBytes(550).toString('base64')}`;
const BIMI = 'v=BIMI1; l=https://example.com/logo.svg; a=';

let t: DnsTestNode;
let plain: { name: string; token: string };
let custom: { name: string; token: string };

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const joined = (data: string) => [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');

before(async () => {
  t = await startDnsTestNode({
    set: [
      'platform.egressIps=["192.0.2.10","2001:db8:10::/48"]',
      'platform.hostAddresses={"ns1":["192.0.2.53","2001:db8::53"],"ns2":["192.0.2.54"],"mx":["192.0.2.25"],"@":["192.0.2.80"]}',
      'dns.aliases={"track":"cdn.example.org."}',
      'dns.tcpIdleTimeoutMs=300',
    ],
  });
  const tenant = await t.services.accounts.addTenant('acme');
  t.keys.set('example.com', [
    { selector: 'sd1', record: RSA2048 },
    { selector: 'sd2', record: 'v=DKIM1; k=rsa; p=' },
  ]);
  t.bimi.set('example.com', BIMI);
  const a = await t.services.domains.add(tenant.id, 'example.com');
  const b = await t.services.domains.add(tenant.id, 'news.example.org', {
    spfMechanisms: ['ip4:198.51.100.0/24', 'include:_spf.example.org'],
    ownDkimSelectors: [{ selector: 'big', record: RSA4096 }],
  });
  plain = { name: a.name, token: a.token };
  custom = { name: b.name, token: b.token };
  await logChange(t.services.store.db, new Date().toISOString(), null, 'domain', a.id, 'test');
  await until('the domains are served', async () =>
    (await dig(t.port, `${custom.token}.bimi.${Z}`, 'TXT')).status === 'NXDOMAIN' &&
    (await dig(t.port, `${plain.token}.bimi.${Z}`, 'TXT')).answer.length === 1
      ? true
      : undefined,
  );
});

after(() => t.close());

describe('records', () => {
  test('SOA: authoritative, the configured timers, the negative TTL', async () => {
    const r = await dig(t.port, Z, 'SOA');
    assert.equal(r.status, 'NOERROR');
    assert.ok(r.flags.includes('aa'), r.raw);
    assert.ok(!r.flags.includes('ra'));
    assert.match(
      r.answer[0]!.data,
      new RegExp(`^ns1\\.${Z}\\. hostmaster\\.${Z}\\. \\d+ 3600 600 1209600 300$`),
    );
  });

  test('NS with glue for both address families', async () => {
    const r = await dig(t.port, Z, 'NS');
    assert.deepEqual(r.answer.map((a) => a.data).sort(), [`ns1.${Z}.`, `ns2.${Z}.`]);
    assert.deepEqual(r.additional.map((a) => `${a.name} ${a.type} ${a.data}`).sort(), [
      `ns1.${Z}. A 192.0.2.53`,
      `ns1.${Z}. AAAA 2001:db8::53`,
      `ns2.${Z}. A 192.0.2.54`,
    ]);
  });

  test('A and AAAA of platform hosts, the apex included', async () => {
    assert.deepEqual(
      (await dig(t.port, `ns1.${Z}`, 'AAAA')).answer.map((a) => a.data),
      ['2001:db8::53'],
    );
    assert.deepEqual(
      (await dig(t.port, `mx.${Z}`, 'A')).answer.map((a) => a.data),
      ['192.0.2.25'],
    );
    assert.deepEqual(
      (await dig(t.port, Z, 'A')).answer.map((a) => a.data),
      ['192.0.2.80'],
    );
  });

  test('spf.<zone> lists the egress addresses; reports.<zone> has the platform MX', async () => {
    const spf = await dig(t.port, `spf.${Z}`, 'TXT');
    assert.equal(joined(spf.answer[0]!.data), 'v=spf1 ip4:192.0.2.10 ip6:2001:db8:10::/48 -all');
    const mx = await dig(t.port, `reports.${Z}`, 'MX');
    assert.deepEqual(
      mx.answer.map((a) => a.data),
      [`10 mx.${Z}.`],
    );
    assert.deepEqual(
      mx.additional.map((a) => a.data),
      ['192.0.2.25'],
    );
  });

  test('DKIM: a key split into 255-octet strings, a revoked key with an empty p=', async () => {
    const sd1 = await dig(t.port, `sd1.${plain.token}.dkim.${Z}`, 'TXT');
    assert.equal(joined(sd1.answer[0]!.data), RSA2048);
    assert.ok(sd1.answer[0]!.data.split('" "').length >= 2, 'more than one character-string');
    const sd2 = await dig(t.port, `sd2.${plain.token}.dkim.${Z}`, 'TXT');
    assert.equal(joined(sd2.answer[0]!.data), 'v=DKIM1; k=rsa; p=');
    const sd3 = await dig(t.port, `sd3.${plain.token}.dkim.${Z}`, 'TXT');
    assert.equal(sd3.status, 'NXDOMAIN', 'no key under the third selector yet');
  });

  test('a 4096-bit key: TC=1 over 512-octet UDP, then dig retries over TCP (RFC 7766)', async () => {
    const name = `big.${custom.token}.dkim.${Z}`;
    const truncated = await dig(t.port, name, 'TXT', ['+noedns', '+ignore']);
    assert.ok(truncated.flags.includes('tc'), truncated.raw);
    assert.equal(truncated.answer.length, 0);
    const retried = await dig(t.port, name, 'TXT', ['+noedns']);
    assert.ok(!retried.flags.includes('tc'));
    assert.equal(joined(retried.answer[0]!.data), RSA4096);
    const edns = await dig(t.port, name, 'TXT', ['+bufsize=1232', '+ignore']);
    assert.ok(!edns.flags.includes('tc'), 'fits in 1232 octets with EDNS');
    assert.match(edns.edns ?? '', /udp: 1232/);
  });

  test('DMARC, bounce MX + SPF, t.spf, BIMI and the report authorisation', async () => {
    const dmarc = await dig(t.port, `${plain.token}.dmarc.${Z}`, 'TXT');
    assert.equal(joined(dmarc.answer[0]!.data), `v=DMARC1; p=none; rua=mailto:${plain.token}@reports.${Z}`);
    const bounceMx = await dig(t.port, `${plain.token}.bounce.${Z}`, 'MX');
    assert.deepEqual(
      bounceMx.answer.map((a) => a.data),
      [`10 mx.${Z}.`],
    );
    const bounceSpf = await dig(t.port, `${plain.token}.bounce.${Z}`, 'TXT');
    assert.equal(joined(bounceSpf.answer[0]!.data), `v=spf1 include:spf.${Z} -all`);
    const spf = await dig(t.port, `${plain.token}.spf.${Z}`, 'TXT');
    assert.equal(joined(spf.answer[0]!.data), `v=spf1 include:spf.${Z} -all`);
    const flattened = await dig(t.port, `${custom.token}.spf.${Z}`, 'TXT');
    assert.equal(
      joined(flattened.answer[0]!.data),
      'v=spf1 ip4:192.0.2.10 ip6:2001:db8:10::/48 ip4:198.51.100.0/24 include:_spf.example.org -all',
      'the customer added a lookup, so the platform is inlined (RFC 7208 §4.6.4)',
    );
    const bimi = await dig(t.port, `${plain.token}.bimi.${Z}`, 'TXT');
    assert.equal(joined(bimi.answer[0]!.data), BIMI);
    for (const d of [plain.name, custom.name]) {
      const auth = await dig(t.port, `${d}._report._dmarc.reports.${Z}`, 'TXT');
      assert.equal(joined(auth.answer[0]!.data), 'v=DMARC1', d);
    }
  });

  test('a CNAME inside the zone; ANY gets one RRset (RFC 8482)', async () => {
    const cname = await dig(t.port, `track.${Z}`, 'A');
    assert.deepEqual(
      cname.answer.map((a) => `${a.type} ${a.data}`),
      ['CNAME cdn.example.org.'],
    );
    const any = await dig(t.port, `${plain.token}.bounce.${Z}`, 'ANY');
    assert.equal(any.answer.length, 1);
  });

  test('the question keeps its case and the answer follows it (RFC 4343)', async () => {
    const qname = `${plain.token.toUpperCase()}.DmArC.MAIL.example.NET`;
    const r = await dig(t.port, qname, 'TXT');
    assert.equal(r.status, 'NOERROR');
    assert.equal(r.question.split(/\s+/)[0], `${qname}.`);
    assert.equal(r.answer[0]!.name, `${qname}.`);
  });
});

describe('negative answers', () => {
  test('NXDOMAIN with the SOA, TTL min(SOA TTL, MINIMUM)', async () => {
    const r = await dig(t.port, `no-such-name.${Z}`, 'TXT');
    assert.equal(r.status, 'NXDOMAIN');
    assert.ok(r.flags.includes('aa'));
    assert.deepEqual(
      r.authority.map((a) => `${a.name} ${a.ttl} ${a.type}`),
      [`${Z}. 300 SOA`],
    );
  });

  test('NODATA at a name with other types, and at empty non-terminals', async () => {
    for (const name of [
      `${plain.token}.dmarc.${Z}`,
      `${plain.token}.dkim.${Z}`,
      `dkim.${Z}`,
      `_dmarc.reports.${Z}`,
    ]) {
      const r = await dig(t.port, name, 'AAAA');
      assert.equal(r.status, 'NOERROR', name);
      assert.equal(r.answer.length, 0);
      assert.equal(r.authority[0]?.type, 'SOA');
    }
  });

  test('REFUSED outside the zone and for other classes', async () => {
    for (const r of [
      await dig(t.port, 'example.com', 'A'),
      await dig(t.port, `x${Z}`, 'A'),
      await dig(t.port, 'version.bind', 'TXT', ['-c', 'CH']),
    ]) {
      assert.equal(r.status, 'REFUSED');
      assert.ok(!r.flags.includes('aa'));
    }
  });

  test('NOTIMP for other opcodes', async () => {
    const r = await dig(t.port, Z, 'SOA', ['+opcode=2', '+noedns']);
    assert.equal(r.status, 'NOTIMP');
  });

  test('BADVERS for EDNS version 1 (RFC 6891 §6.1.3)', async () => {
    const r = await dig(t.port, Z, 'SOA', ['+edns=1', '+noednsneg']);
    assert.equal(r.status, 'BADVERS');
    assert.match(r.edns ?? '', /version: 0/);
  });

  test('FORMERR for undecodable queries, silence for garbage without a header', async () => {
    const broken = queryPacket({ name: Z, type: 6 });
    broken.writeUInt16BE(2, 4);
    const answer = await udpExchange(t.port, broken);
    assert.ok(answer !== null);
    assert.equal(decodeMessage(answer)?.rcode, 1);
    assert.equal(await udpExchange(t.port, Buffer.from([1, 2, 3]), 300), null);
  });

  test('zone transfers are refused to clients that are not secondaries, over TCP and UDP', async () => {
    const r = await run('dig', ['@127.0.0.1', '-p', String(t.port), Z, 'AXFR', '+tries=1', '+time=2']);
    assert.match(r.stdout, /Transfer failed/);
    const udp = await udpExchange(t.port, queryPacket({ name: Z, type: 252 }));
    assert.equal(decodeMessage(udp!)?.rcode, 5);
  });
});

describe('transport', () => {
  test('TCP: several queries on one connection, answered in order (RFC 7766 §6.2.1.1)', async () => {
    const names = [Z, `spf.${Z}`, `nothing.${Z}`];
    const answers = await tcpExchange(
      t.port,
      names.map((name, i) => queryPacket({ id: 100 + i, name, type: 16 })),
      3,
    );
    assert.deepEqual(
      answers.map((a) => decodeMessage(a)).map((m) => [m?.id, m?.rcode]),
      [
        [100, 0],
        [101, 0],
        [102, 3],
      ],
    );
  });

  test('kdig over TCP with the connection kept open', async () => {
    const r = await run('kdig', [
      '@127.0.0.1',
      '-p',
      String(t.port),
      '+tcp',
      '+keepopen',
      Z,
      'SOA',
      `spf.${Z}`,
      'TXT',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/status: NOERROR/g) ?? []).length, 2, r.stdout);
  });

  test('an idle TCP connection is closed (RFC 7766 §6.2.3)', async () => {
    const socket = connect(t.port, '127.0.0.1');
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', reject);
      setTimeout(() => reject(new Error('still open')), 5000).unref();
    });
    assert.ok(Date.now() - started >= 250);
  });

  test('a TCP peer that sends a response instead of a query is disconnected', async () => {
    const response = queryPacket({ name: Z, type: 6 });
    response[2] = response[2]! | 0x80;
    const answers = await tcpExchange(t.port, [response, queryPacket({ name: Z, type: 6 })], 1, 2000);
    assert.equal(answers.length, 0);
  });
});
