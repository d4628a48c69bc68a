import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemMailResolver } from './dns-resolver.ts';
import { routeFor } from './mail-route.ts';
import type { DnsOutcome, MailResolver, MxRecord } from './ports.ts';

function resolver(
  mx: Record<string, DnsOutcome<MxRecord>>,
  a: Record<string, DnsOutcome<string>>,
): MailResolver {
  return {
    resolveMx: (d) => Promise.resolve(mx[d] ?? { kind: 'nxdomain' }),
    resolveAddresses: (h) => Promise.resolve(a[h] ?? { kind: 'nxdomain' }),
  };
}
const keep = <T>(items: T[]) => items;

test('MX hosts in preference order, each with its addresses; hosts without addresses are skipped', async () => {
  const route = await routeFor(
    'example.org',
    resolver(
      {
        'example.org': {
          kind: 'answer',
          records: [
            { exchange: 'mx2.example.org.', preference: 20 },
            { exchange: 'mx1.example.org', preference: 10 },
            { exchange: 'gone.example.org', preference: 15 },
          ],
        },
      },
      {
        'mx1.example.org': { kind: 'answer', records: ['192.0.2.1'] },
        'mx2.example.org': { kind: 'answer', records: ['192.0.2.2', '2001:db8::2'] },
      },
    ),
    // Documentation addresses (RFC 5737, RFC 3849) are special-purpose: the address filter is off here.
    { shuffle: keep, allowPrivate: true },
  );
  assert.deepEqual(route, {
    kind: 'hosts',
    hosts: [
      { name: 'mx1.example.org', addresses: ['192.0.2.1'] },
      { name: 'mx2.example.org', addresses: ['192.0.2.2', '2001:db8::2'] },
    ],
  });
});

test('no MX records: the domain itself is the mail host (RFC 5321 §5.1 implicit MX)', async () => {
  const route = await routeFor(
    'example.org',
    resolver(
      { 'example.org': { kind: 'nodata' } },
      { 'example.org': { kind: 'answer', records: ['192.0.2.9'] } },
    ),
    { allowPrivate: true },
  );
  assert.deepEqual(route, { kind: 'hosts', hosts: [{ name: 'example.org', addresses: ['192.0.2.9'] }] });
});

test('failures: null MX and NXDOMAIN are permanent, SERVFAIL is temporary', async () => {
  const cases: Array<[string, MailResolver, boolean, string]> = [
    [
      'null MX (RFC 7505)',
      resolver({ 'x.org': { kind: 'answer', records: [{ exchange: '.', preference: 0 }] } }, {}),
      true,
      '5.1.10',
    ],
    ['NXDOMAIN', resolver({}, {}), true, '5.1.2'],
    ['SERVFAIL on MX', resolver({ 'x.org': { kind: 'error', reason: 'SERVFAIL' } }, {}), false, '4.4.3'],
    [
      'SERVFAIL on the only host',
      resolver(
        { 'x.org': { kind: 'answer', records: [{ exchange: 'mx.x.org', preference: 1 }] } },
        { 'mx.x.org': { kind: 'error', reason: 'timeout' } },
      ),
      false,
      '4.4.3',
    ],
    [
      'no host has an address',
      resolver({ 'x.org': { kind: 'nodata' } }, { 'x.org': { kind: 'nodata' } }),
      true,
      '5.4.4',
    ],
  ];
  for (const [what, r, permanent, enhanced] of cases) {
    const route = await routeFor('x.org', r);
    assert.equal(route.kind, 'fail', what);
    if (route.kind === 'fail') {
      assert.equal(route.permanent, permanent, what);
      assert.equal(route.reply.enhanced, enhanced, what);
    }
  }
});

test('a name no query can carry and an address literal are permanent, not retried for days', async () => {
  const cases: Array<[string, string, MailResolver, RegExp]> = [
    [
      'badname on MX',
      'x.org',
      resolver({ 'x.org': { kind: 'badname' } }, {}),
      /x\.org is not a valid DNS name/,
    ],
    ['an address literal', '[127.0.0.1]', resolver({}, {}), /address literal \[127\.0\.0\.1\] is not routed/],
    // The real resolver refuses these names before sending a query (as c-ares did, EBADNAME); a query would meet
    // a closed port and time out, which is temporary.
    ['an empty label', 'a..b.example', systemMailResolver(['127.0.0.1:1'], 500), /not a valid DNS name/],
    ['a label of 64', `${'x'.repeat(64)}.example`, systemMailResolver(['127.0.0.1:1'], 500), /not a valid/],
  ];
  for (const [what, domain, r, text] of cases) {
    const route = await routeFor(domain, r);
    assert.equal(route.kind, 'fail', what);
    if (route.kind === 'fail') {
      assert.equal(route.permanent, true, what);
      assert.equal(route.reply.code, 550, what);
      assert.equal(route.reply.enhanced, '5.1.2', what);
      assert.match(route.reply.text, text, what);
    }
  }
  const closed = await routeFor('fine.example', systemMailResolver(['127.0.0.1:1'], 500));
  assert.ok(closed.kind === 'fail' && !closed.permanent, 'a valid name on a dead server stays temporary');
});

test('MX hosts on private, loopback or reserved addresses are skipped, and alone they are a permanent failure', async () => {
  const r = resolver(
    {
      'mixed.example': {
        kind: 'answer',
        records: [
          { exchange: 'inside.mixed.example', preference: 10 },
          { exchange: 'outside.mixed.example', preference: 20 },
        ],
      },
      'inside.example': { kind: 'answer', records: [{ exchange: 'mx.inside.example', preference: 10 }] },
    },
    {
      'inside.mixed.example': { kind: 'answer', records: ['10.1.2.3', '::ffff:127.0.0.1'] },
      'outside.mixed.example': { kind: 'answer', records: ['169.254.169.254', '1.2.3.4'] },
      'mx.inside.example': { kind: 'answer', records: ['127.0.0.1', '::1', 'fd00::25'] },
    },
  );
  assert.deepEqual(await routeFor('mixed.example', r, { shuffle: keep }), {
    kind: 'hosts',
    hosts: [{ name: 'outside.mixed.example', addresses: ['1.2.3.4'] }],
  });
  const inside = await routeFor('inside.example', r);
  assert.equal(inside.kind, 'fail');
  if (inside.kind !== 'fail') return;
  assert.equal(inside.permanent, true);
  assert.equal(inside.reply.enhanced, '5.4.4');
  assert.match(inside.reply.text, /mx\.inside\.example \[127\.0\.0\.1\].*allowPrivateDestinations/);
  // The operator's choice (a LAN, or tests on loopback): every address is used.
  assert.deepEqual(await routeFor('inside.example', r, { allowPrivate: true }), {
    kind: 'hosts',
    hosts: [{ name: 'mx.inside.example', addresses: ['127.0.0.1', '::1', 'fd00::25'] }],
  });
});

test('issue 14 item 3: documentation, NAT64, 6to4 and Teredo MX addresses are refused (RFC 6890)', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['192.0.2.25', 'TEST-NET-1', /TEST-NET-1/],
    ['198.51.100.25', 'TEST-NET-2', /TEST-NET-2/],
    ['203.0.113.25', 'TEST-NET-3', /TEST-NET-3/],
    ['64:ff9b::a9fe:a9fe', 'the NAT64 form of 169.254.169.254', /NAT64 for 169\.254\.169\.254/],
    ['2002:a9fe:a9fe::1', '6to4', /6to4/],
    ['2001::25', 'Teredo', /TEREDO/],
    ['2001:db8::25', 'IPv6 documentation', /Documentation/],
    ['::ffff:7f00:1', 'loopback, IPv4-mapped in hex', /Loopback/],
  ];
  for (const [address, what, reason] of cases) {
    const r = resolver(
      { 'target.example': { kind: 'answer', records: [{ exchange: 'mx.target.example', preference: 10 }] } },
      { 'mx.target.example': { kind: 'answer', records: [address] } },
    );
    const route = await routeFor('target.example', r);
    assert.equal(route.kind, 'fail', what);
    if (route.kind !== 'fail') continue;
    assert.equal(route.permanent, true, what);
    assert.equal(route.reply.enhanced, '5.4.4', what);
    assert.match(route.reply.text, reason, what);
  }
  // NAT64 to a public IPv4 address is that address: delivered as any other.
  const nat64 = resolver(
    { 'target.example': { kind: 'answer', records: [{ exchange: 'mx.target.example', preference: 10 }] } },
    { 'mx.target.example': { kind: 'answer', records: ['64:ff9b::102:304'] } },
  );
  assert.deepEqual(await routeFor('target.example', nat64), {
    kind: 'hosts',
    hosts: [{ name: 'mx.target.example', addresses: ['64:ff9b::102:304'] }],
  });
});
