/**
 * TSIG (RFC 8945) against senderd's real DNS server on 127.0.0.1, with independent clients: kdig (Knot's
 * libknot verifies every message's TSIG) and dnspython. A secondary bound to a key transfers with it, and is
 * refused without it or with another; wrong keys and skewed clocks get the RFC's answers; hostile TSIG records
 * get FORMERR and the server stays up.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../src/dns/message-decoder.ts';
import { signMessage } from '../../src/dns-wire/tsig.ts';
import { locateTsig, parseTsigRecord, TsigError } from '../../src/dns-wire/tsig-record.ts';
import { Rcode, RRType } from '../../src/dns-wire/wire-codes.ts';
import { queryPacket, tcpExchange, udpExchange } from '../support/dns-packets.ts';
import { startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { run, SYSTEM_PYTHON } from '../support/tools.ts';

const Z = 'mail.example.net';
const XFR = {
  name: 'xfr.example.net',
  algorithm: 'hmac-sha256',
  secret: Buffer.alloc(32, 0x5a).toString('base64'),
};
const WIDE = {
  name: 'wide.example.net',
  algorithm: 'hmac-sha512',
  secret: Buffer.alloc(64, 0x33).toString('base64'),
};
let node: DnsTestNode;

before(async () => {
  const secretFile = join(process.env.TMPDIR ?? '/tmp', `senderd-tsig-${process.pid}.key`);
  writeFileSync(secretFile, `${WIDE.secret}\n`, { mode: 0o600 });
  node = await startDnsTestNode({
    set: [
      `dns.tsigKeys=${JSON.stringify([XFR, { name: WIDE.name, algorithm: WIDE.algorithm, secretFile }])}`,
      // 127.0.0.1 must sign with xfr; 127.0.0.2 may transfer with the SHA-512 key.
      `dns.secondaries=${JSON.stringify([
        { address: '127.0.0.1', key: XFR.name },
        { address: '127.0.0.2', key: WIDE.name },
      ])}`,
    ],
  });
  const tenant = await node.services.accounts.addTenant('acme');
  const size = node.dns.keeper.zone.size;
  await node.services.domains.add(tenant.id, 'example.com');
  // The transfers below count the zone's records: wait until the domain is served (polled within a second).
  const deadline = Date.now() + 5000;
  while (node.dns.keeper.zone.size === size) {
    if (Date.now() > deadline) throw new Error('the domain was not served');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

after(async () => {
  await node?.close();
});

async function kdig(args: readonly string[]) {
  return run('kdig', ['@127.0.0.1', '-p', String(node.port), '+tcp', '+timeout=3', '+retry=0', ...args]);
}

/** The header RCODE of the answer to an SOA query signed with this key (our own encoder and decoder). */
async function rcodeOf([algorithm, name, secret]: [string, string, string]): Promise<number | undefined> {
  const key = { name, algorithm: algorithm as 'hmac-sha256', secret: Buffer.from(secret, 'base64') };
  const request = signMessage(queryPacket({ name: Z, type: RRType.SOA }), {
    key,
    timeSigned: Math.floor(Date.now() / 1000),
  });
  const answer = await udpExchange(node.port, request.message);
  return answer === null ? undefined : answer.readUInt16BE(2) & 0xf;
}

function dnspython(op: object) {
  return run(SYSTEM_PYTHON, [
    new URL('../support/tsig-client.py', import.meta.url).pathname,
    JSON.stringify(op),
  ]).then((r) => {
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  });
}

test('kdig -y hmac-sha256 AXFR: the transfer succeeds and every TSIG verifies', async () => {
  const r = await kdig(['-y', `hmac-sha256:${XFR.name}:${XFR.secret}`, Z, 'AXFR']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /failed|BADSIG|BADKEY|BADTIME|REFUSED|WARNING/i);
  // The SOA first and last, and the zone's records between (RFC 5936 §2.2).
  const soas = r.stdout.split('\n').filter((l) => /\tSOA\t/.test(l));
  assert.equal(soas.length, 2);
  assert.ok(node.dns.keeper.zone.records().length > 10);
  assert.match(
    r.stdout,
    new RegExp(`;; Received .* \\(\\d+ messages?, ${node.dns.keeper.zone.records().length + 1} records?\\)`),
  );
});

test('the SHA-512 key read from a file transfers too (dnspython verifies every message)', async () => {
  const r = await run('kdig', [
    '@127.0.0.1',
    '-p',
    String(node.port),
    '-b',
    '127.0.0.2',
    '+tcp',
    '+timeout=3',
    '+retry=0',
    '-y',
    `hmac-sha512:${WIDE.name}:${WIDE.secret}`,
    Z,
    'AXFR',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /failed|BAD|REFUSED/i);
  // dnspython binds 127.0.0.1, which is bound to the other key: refused, as it must be.
  const wrongPlace = await dnspython({ op: 'axfr', port: node.port, zone: Z, key: WIDE });
  assert.equal(wrongPlace.ok, false);
});

test('dnspython transfers with the key: every message of the stream verifies (RFC 8945 §5.3.1)', async () => {
  const out = await dnspython({ op: 'axfr', port: node.port, zone: Z, key: XFR });
  assert.equal(out.ok, true, JSON.stringify(out));
  assert.equal(out.records, node.dns.keeper.zone.records().length + 1);
});

test('without a key, the keyed secondary is REFUSED', async () => {
  const r = await kdig([Z, 'AXFR']);
  assert.match(r.stdout + r.stderr, /REFUSED/);
  const raw = await tcpExchange(node.port, [queryPacket({ name: Z, type: RRType.AXFR })], 1);
  assert.equal(decodeMessage(raw[0]!)?.rcode, Rcode.REFUSED);
});

test('a wrong secret: NOTAUTH with TSIG error BADSIG, unsigned (kdig and dnspython both say so)', async () => {
  const wrong = Buffer.alloc(32, 1).toString('base64');
  const r = await kdig(['-y', `hmac-sha256:${XFR.name}:${wrong}`, Z, 'SOA']);
  // kdig shows the TSIG error as the status; the record has MAC size 0 (fudge 300, then 0).
  assert.match(r.stdout, /status: BADSIG/);
  assert.match(r.stdout, /TSIG\thmac-sha256\. \d+ 300 0 \d+ BADSIG 0/);
  assert.match(r.stdout + r.stderr, /failed to verify TSIG/, 'kdig notices the answer is unsigned');
  assert.equal(await rcodeOf(['hmac-sha256', XFR.name, wrong]), Rcode.NOTAUTH);
  const out = await dnspython({
    op: 'query',
    port: node.port,
    zone: Z,
    type: 'SOA',
    key: { ...XFR, secret: wrong },
  });
  assert.equal(out.error, 'PeerBadSignature', JSON.stringify(out));
});

test('an unknown key name: NOTAUTH with BADKEY', async () => {
  const r = await kdig(['-y', `hmac-sha256:nobody.example.net:${XFR.secret}`, Z, 'SOA']);
  assert.match(r.stdout, /status: BADKEY/);
  assert.match(r.stdout, /TSIG\thmac-sha256\. \d+ 300 0 \d+ BADKEY 0/);
  assert.equal(await rcodeOf(['hmac-sha256', 'nobody.example.net', XFR.secret]), Rcode.NOTAUTH);
  const out = await dnspython({
    op: 'query',
    port: node.port,
    zone: Z,
    type: 'SOA',
    key: { ...XFR, name: 'nobody.example.net' },
  });
  assert.equal(out.error, 'PeerBadKey', JSON.stringify(out));
});

test('a client clock 20 minutes off: NOTAUTH with BADTIME, signed, carrying our time (§5.2.3)', async () => {
  const out = await dnspython({ op: 'query', port: node.port, zone: Z, type: 'SOA', key: XFR, skew: 1200 });
  assert.equal(out.error, 'PeerBadTime', JSON.stringify(out));
  // The same by hand: the answer's TSIG is signed, and Other Data is our time.
  const key = {
    name: XFR.name,
    algorithm: 'hmac-sha256' as const,
    secret: Buffer.from(XFR.secret, 'base64'),
  };
  const now = Math.floor(Date.now() / 1000);
  const request = signMessage(queryPacket({ name: Z, type: RRType.SOA }), { key, timeSigned: now - 1200 });
  const answer = await udpExchange(node.port, request.message);
  assert.ok(answer);
  assert.equal(decodeMessage(answer)?.rcode, Rcode.NOTAUTH);
  const place = locateTsig(answer);
  assert.equal(place.kind, 'at');
  if (place.kind !== 'at') return;
  const tsig = parseTsigRecord(answer, place.start)!;
  assert.equal(tsig.error, TsigError.BADTIME);
  assert.equal(tsig.timeSigned, now - 1200);
  assert.ok(Math.abs(tsig.otherData.readUIntBE(0, 6) - now) <= 5);
  assert.equal(tsig.mac.length, 32);
});

/** A signed SOA query whose TSIG record is then damaged by `mutate`. */
function hostile(mutate: (packet: Buffer, tsigStart: number) => Buffer): Buffer {
  const key = {
    name: XFR.name,
    algorithm: 'hmac-sha256' as const,
    secret: Buffer.from(XFR.secret, 'base64'),
  };
  const { message } = signMessage(queryPacket({ name: Z, type: RRType.SOA }), {
    key,
    timeSigned: Math.floor(Date.now() / 1000),
  });
  const place = locateTsig(message);
  if (place.kind !== 'at') throw new Error('no TSIG');
  return mutate(Buffer.from(message), place.start);
}

// The TSIG record of the query: owner (17 octets) + 10, then RDATA: algorithm (13), time (6), fudge (2),
// MAC size (2) at +38, MAC (32), original ID, error, other len (2) at the end.
const HOSTILE: Array<[string, () => Buffer]> = [
  ['an RDLENGTH past the end of the packet', () => hostile((p, t) => (p.writeUInt16BE(0xffff, t + 25), p))],
  ['a MAC size of 65535', () => hostile((p, t) => (p.writeUInt16BE(0xffff, t + 27 + 21), p))],
  [
    'a MAC longer than the hash (33 octets)',
    () =>
      hostile((p, t) => {
        const b = Buffer.concat([p.subarray(0, t + 27 + 23), Buffer.alloc(1), p.subarray(t + 27 + 23)]);
        b.writeUInt16BE(b.readUInt16BE(t + 25) + 1, t + 25);
        b.writeUInt16BE(33, t + 27 + 21);
        return b;
      }),
  ],
  [
    'a MAC of 4 octets',
    () =>
      hostile((p, t) => {
        const b = Buffer.concat([p.subarray(0, t + 27 + 23 + 4), p.subarray(t + 27 + 23 + 32)]);
        b.writeUInt16BE(b.readUInt16BE(t + 25) - 28, t + 25);
        b.writeUInt16BE(4, t + 27 + 21);
        return b;
      }),
  ],
  ['an Other Len beyond the record', () => hostile((p) => (p.writeUInt16BE(500, p.length - 2), p))],
  [
    'TSIG not the last record',
    () =>
      hostile((p) => {
        const b = Buffer.concat([p, Buffer.from([0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0])]);
        b.writeUInt16BE(2, 10);
        return b;
      }),
  ],
  [
    'two TSIG records',
    () =>
      hostile((p, t) => {
        const b = Buffer.concat([p, p.subarray(t)]);
        b.writeUInt16BE(2, 10);
        return b;
      }),
  ],
  [
    'a TSIG record in the answer section',
    () =>
      hostile((p) => {
        p.writeUInt16BE(1, 6);
        p.writeUInt16BE(0, 10);
        return p;
      }),
  ],
];
for (const [what, packet] of HOSTILE) {
  test(`hostile: ${what} → FORMERR, and the server keeps answering`, async () => {
    const answer = await udpExchange(node.port, packet());
    assert.ok(answer, 'an answer');
    assert.equal(decodeMessage(answer)?.rcode, Rcode.FORMERR);
    const tcp = await tcpExchange(node.port, [packet(), queryPacket({ name: Z, type: RRType.SOA })], 2);
    assert.equal(decodeMessage(tcp[0]!)?.rcode, Rcode.FORMERR);
    assert.equal(decodeMessage(tcp[1]!)?.answer[0]?.type, RRType.SOA);
  });
}

test('UDP worker threads verify and sign too (the keys cross into the threads)', async () => {
  const threaded = await startDnsTestNode({
    set: ['dns.workers=1', `dns.tsigKeys=${JSON.stringify([XFR])}`, 'dns.secondaries=["127.0.0.1"]'],
  });
  try {
    const r = await run('kdig', [
      '@127.0.0.1',
      '-p',
      String(threaded.port),
      '+timeout=3',
      '+retry=0',
      '-y',
      `hmac-sha256:${XFR.name}:${XFR.secret}`,
      Z,
      'SOA',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\(UDP\)/);
    assert.match(r.stdout, /status: NOERROR/);
    assert.match(r.stdout, /TSIG PSEUDOSECTION/);
    assert.doesNotMatch(r.stdout + r.stderr, /failed|WARNING/);
    const wrong = await run('kdig', [
      '@127.0.0.1',
      '-p',
      String(threaded.port),
      '+timeout=3',
      '+retry=0',
      '-y',
      `hmac-sha256:${XFR.name}:${WIDE.secret.slice(0, 44)}`,
      Z,
      'SOA',
    ]);
    assert.match(wrong.stdout, /status: BADSIG/);
  } finally {
    await threaded.close();
  }
});
