import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DnsQuery, DnsResolver, DnsResponse } from './model.ts';
import { RecursiveResolver, recursiveServers } from './recursive-resolver.ts';

/** A transport that answers from a table by server, and records what it was asked. */
function transport(
  byServer: Record<string, (q: DnsQuery) => DnsResponse>,
): DnsResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    query(q) {
      asked.push(`${q.server.host}:${q.server.port} ${q.name} ${q.type} rd=${q.recursionDesired}`);
      const answer = byServer[q.server.host];
      return Promise.resolve(answer ? answer(q) : { outcome: 'timeout', server: q.server });
    },
  };
}
const response = (q: DnsQuery, rcode: string, address?: string): DnsResponse => ({
  outcome: 'response',
  server: q.server,
  rcode,
  flags: { aa: false, tc: false, ra: true },
  answers: address === undefined ? [] : [{ name: q.name, ttl: 60, data: { type: 'A', address } }],
  authority: [],
  additional: [],
  transport: 'udp',
});

test('servers are asked in order; trouble passes the question on, an answer or NXDOMAIN ends it', async () => {
  const cases: Array<[string, Record<string, (q: DnsQuery) => DnsResponse>, string, number]> = [
    ['the first answers', { '192.0.2.1': (q) => response(q, 'NOERROR', '198.51.100.1') }, 'answer', 1],
    [
      'the first times out, the second answers',
      { '192.0.2.2': (q) => response(q, 'NOERROR', '1.2.3.4') },
      'answer',
      2,
    ],
    [
      'SERVFAIL, then NXDOMAIN',
      { '192.0.2.1': (q) => response(q, 'SERVFAIL'), '192.0.2.2': (q) => response(q, 'NXDOMAIN') },
      'nxdomain',
      2,
    ],
    ['NXDOMAIN from the first is final', { '192.0.2.1': (q) => response(q, 'NXDOMAIN') }, 'nxdomain', 1],
    [
      'all in trouble',
      { '192.0.2.1': (q) => response(q, 'REFUSED'), '192.0.2.2': (q) => response(q, 'SERVFAIL') },
      'error',
      2,
    ],
  ];
  for (const [why, table, kind, asked] of cases) {
    const t = transport(table);
    const dns = new RecursiveResolver({ servers: ['192.0.2.1', '192.0.2.2:53'], timeoutMs: 1, transport: t });
    assert.equal((await dns.lookup('www.example.com', 'A')).kind, kind, why);
    assert.equal(t.asked.length, asked, why);
    assert.match(t.asked[0]!, /^192\.0\.2\.1:53 www\.example\.com A rd=true$/, why);
  }
  const t = transport({ '192.0.2.1': (q) => response(q, 'REFUSED') });
  const dns = new RecursiveResolver({ servers: ['192.0.2.1', '192.0.2.2'], timeoutMs: 1, transport: t });
  assert.deepEqual(await dns.lookup('x.example', 'A'), {
    kind: 'error',
    reason: 'REFUSED from 192.0.2.1:53; no answer from 192.0.2.2:53 in time',
  });
});

test('a name no query can carry is refused before anything is sent', async () => {
  const t = transport({});
  const dns = new RecursiveResolver({ servers: ['192.0.2.1'], timeoutMs: 1, transport: t });
  assert.deepEqual(await dns.lookup('a..b.example', 'MX'), { kind: 'badname' });
  assert.equal(t.asked.length, 0);
});

test('configured servers, or the system resolvers when none are', () => {
  assert.deepEqual(recursiveServers(['192.0.2.1', '192.0.2.2:5353', '[2001:db8::53]:53', '2001:db8::54']), [
    { host: '192.0.2.1', port: 53 },
    { host: '192.0.2.2', port: 5353 },
    { host: '2001:db8::53', port: 53 },
    { host: '2001:db8::54', port: 53 },
  ]);
  assert.throws(() => recursiveServers(['resolver.example']), /not a DNS server address/);
  assert.ok(recursiveServers([]).length > 0, 'the system has resolvers (/etc/resolv.conf)');
});
