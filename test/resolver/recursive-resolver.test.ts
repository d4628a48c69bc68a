/**
 * The recursive mode against a real Unbound (stub zones on NSD, nothing leaves loopback), side by side with
 * node:dns (c-ares), which the four adapters used before: the same questions must give the same outcomes under the
 * old mapping (ENOTFOUND → NXDOMAIN, ENODATA → NODATA, EBADNAME → a bad name, anything else → temporary).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { parseIp } from '../../src/ip/index.ts';
import { RecursiveResolver, type LookupOutcome } from '../../src/resolver/index.ts';
import { ADDRESS, startDnsTree, type DnsTree } from '../checks/dns-tree.ts';

let tree: DnsTree;
let unbound: string;
const big = Array.from({ length: 10 }, (_, i) => `big 300 IN TXT "${i}${'x'.repeat(200)}"`).join('\n');

before(async () => {
  tree = await startDnsTree(
    [
      {
        origin: 'example.com',
        body: [
          'txt 300 IN TXT "v=DKIM1; " "p=abc"',
          'alias 300 IN CNAME txt.example.net.',
          'dangling 300 IN CNAME gone.example.net.',
          'www 300 IN A 1.2.3.4',
          'www 300 IN AAAA 2001:db8:0:0:1::',
          '@ 300 IN MX 10 mx.example.com.',
          '@ 300 IN MX 20 mx2.example.com.',
          'null 300 IN MX 0 .',
          big,
        ].join('\n'),
        servers: ['ns1'],
      },
      { origin: 'example.net', body: 'txt 300 IN TXT "v=DMARC1"', servers: ['ns1'] },
      { origin: '3.2.1.in-addr.arpa', body: '4 300 IN PTR www.example.com.', servers: ['ns1'] },
      { origin: 'broken.org', body: '', servers: ['ns1'], broken: true },
    ],
    { unbound: true },
  );
  unbound = `${tree.unbound!.host}:${tree.unbound!.port}`;
});

after(async () => {
  await tree.stop();
});

type Kind = LookupOutcome<unknown>['kind'];

/** The old adapters' mapping of c-ares errors. */
async function cares(servers: string[], ask: (r: Resolver) => Promise<unknown[]>): Promise<[Kind, string[]]> {
  const r = new Resolver({ timeout: 300, tries: 2 });
  r.setServers(servers);
  try {
    const records = await ask(r);
    return [records.length > 0 ? 'answer' : 'nodata', records.map((x) => JSON.stringify(x)).sort()];
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND') return ['nxdomain', []];
    if (code === 'ENODATA') return ['nodata', []];
    if (code === 'EBADNAME') return ['badname', []];
    return ['error', []];
  }
}

function ours<T>(outcome: LookupOutcome<T>): [Kind, string[]] {
  return [
    outcome.kind,
    outcome.kind === 'answer' ? outcome.records.map((x) => JSON.stringify(x)).sort() : [],
  ];
}

test('the same outcomes and records as c-ares, through a real recursive resolver', async () => {
  const dns = new RecursiveResolver({ servers: [unbound], timeoutMs: 300 });
  const join = (rs: string[][]) => rs.map((strings) => strings.join(''));
  const cases: Array<[string, () => Promise<[Kind, string[]]>, () => Promise<[Kind, string[]]>, Kind]> = [
    [
      'TXT, two strings joined',
      async () => ours(await dns.txt('txt.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('txt.example.com'))),
      'answer',
    ],
    [
      'TXT through a CNAME into another zone',
      async () => ours(await dns.txt('alias.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('alias.example.com'))),
      'answer',
    ],
    [
      'TXT over TCP after a truncated answer',
      async () => ours(await dns.txt('big.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('big.example.com'))),
      'answer',
    ],
    [
      'NXDOMAIN',
      async () => ours(await dns.txt('nope.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('nope.example.com'))),
      'nxdomain',
    ],
    [
      'NXDOMAIN at the end of a CNAME',
      async () => ours(await dns.txt('dangling.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('dangling.example.com'))),
      'nxdomain',
    ],
    [
      'NODATA',
      async () => ours(await dns.txt('www.example.com')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('www.example.com'))),
      'nodata',
    ],
    [
      'MX',
      async () => ours(await dns.mx('example.com')),
      () =>
        cares([unbound], async (r) =>
          (await r.resolveMx('example.com')).map((m) => ({ exchange: m.exchange, preference: m.priority })),
        ),
      'answer',
    ],
    [
      'a null MX (RFC 7505)',
      async () => ours(await dns.mx('null.example.com')),
      () =>
        cares([unbound], async (r) =>
          (await r.resolveMx('null.example.com')).map((m) => ({
            exchange: m.exchange,
            preference: m.priority,
          })),
        ),
      'answer',
    ],
    [
      'A',
      async () => ours(await dns.addresses('www.example.com', 4)),
      () => cares([unbound], (r) => r.resolve4('www.example.com')),
      'answer',
    ],
    [
      'AAAA, in RFC 5952 text as inet_ntop writes it',
      async () => ours(await dns.addresses('www.example.com', 6)),
      () => cares([unbound], (r) => r.resolve6('www.example.com')),
      'answer',
    ],
    [
      'PTR',
      async () => ours(await dns.ptr(parseIp('1.2.3.4')!)),
      () => cares([unbound], (r) => r.reverse('1.2.3.4')),
      'answer',
    ],
    [
      'SERVFAIL (a zone its server cannot load)',
      async () => ours(await dns.txt('broken.org')),
      () => cares([unbound], async (r) => join(await r.resolveTxt('broken.org'))),
      'error',
    ],
    [
      'an empty label',
      async () => ours(await dns.mx('a..b.example')),
      () => cares([unbound], (r) => r.resolveMx('a..b.example')),
      'badname',
    ],
    [
      'a label of 64',
      async () => ours(await dns.mx(`${'x'.repeat(64)}.example`)),
      () => cares([unbound], (r) => r.resolveMx(`${'x'.repeat(64)}.example`)),
      'badname',
    ],
    [
      'a space',
      async () => ours(await dns.mx('a b.example')),
      () => cares([unbound], (r) => r.resolveMx('a b.example')),
      'badname',
    ],
  ];
  for (const [why, mine, theirs, kind] of cases) {
    const [a, b] = await Promise.all([mine(), theirs()]);
    assert.equal(a[0], kind, why);
    assert.deepEqual(a, b, `${why}: ours and c-ares differ`);
  }
});

test('a server that does not answer is a temporary failure; the next server is asked, as c-ares does', async () => {
  const blackhole = `${ADDRESS.blackhole}:${tree.port}`;
  const alone = new RecursiveResolver({ servers: [blackhole], timeoutMs: 200 });
  const timedOut = await alone.txt('txt.example.com');
  assert.equal(timedOut.kind, 'error');
  assert.match(timedOut.kind === 'error' ? timedOut.reason : '', /no answer from 127\.0\.0\.4:\d+ in time/);
  assert.deepEqual(await cares([blackhole], (r) => r.resolveTxt('txt.example.com')), ['error', []]);

  const second = new RecursiveResolver({ servers: [blackhole, unbound], timeoutMs: 200 });
  assert.deepEqual(ours(await second.txt('txt.example.com')), ['answer', [JSON.stringify('v=DKIM1; p=abc')]]);
  const [kind] = await cares([blackhole, unbound], (r) => r.resolveTxt('txt.example.com'));
  assert.equal(kind, 'answer');
});
