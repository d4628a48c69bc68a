import { test } from 'node:test';
import assert from 'node:assert/strict';
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
    keep,
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
