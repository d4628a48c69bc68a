import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.ts';
import type { DnsQuery, DnsResolver, DnsResponse } from '../resolver/index.ts';
import { AuthoritativeView } from './authoritative-view.ts';
import { troubleRemark } from './context.ts';
import { DelegationCache } from './delegation-cache.ts';

/**
 * A network that answers every query itself (a DNS-intercepting firewall or proxy, as in many sandboxes and
 * corporate networks): NOERROR or NXDOMAIN, no AA bit, no referral, whoever is asked.
 */
const intercepting: DnsResolver = {
  query(q: DnsQuery): Promise<DnsResponse> {
    // One root is silent, as on a lossy link: that must not turn the finding back into a list of servers.
    if (q.server.host === '192.33.4.12') return Promise.resolve({ outcome: 'timeout', server: q.server });
    return Promise.resolve({
      outcome: 'response',
      server: q.server,
      rcode: 'NXDOMAIN',
      flags: { aa: false, tc: false, ra: true },
      answers: [],
      authority: [],
      additional: [],
      transport: 'udp',
    });
  },
};

test('root servers that answer without authority are a temporary error of this network, not a lame delegation', async () => {
  const roots = ['198.41.0.4', '199.9.14.201', '192.33.4.12'].map((host) => ({ host, port: 53 }));
  const view = new AuthoritativeView({
    resolver: intercepting,
    roots,
    port: 53,
    delegations: new DelegationCache(new ManualClock(new Date('2026-11-22T00:00:00Z'))),
  });
  const lookup = await view.lookup('_dmarc.example.com', 'TXT');
  const remark = troubleRemark(lookup);
  assert.ok(remark !== null);
  assert.equal(remark.severity, 'temperror', remark.message);
  assert.notEqual(remark.code, 'lame-delegation');
  assert.doesNotMatch(remark.message, /registrar/, 'the customer cannot fix this at their registrar');
  assert.match(remark.message, /root servers/);
  assert.match(remark.message, /checks\.rootServers/);
  // One sentence for all the roots, not one clause per root server.
  assert.ok(!remark.message.includes('198.41.0.4'), remark.message);
});

test('root servers that are all silent: a temporary error that says this host cannot reach them', async () => {
  const silent: DnsResolver = { query: (q) => Promise.resolve({ outcome: 'timeout', server: q.server }) };
  const view = new AuthoritativeView({
    resolver: silent,
    roots: [{ host: '198.41.0.4', port: 53 }],
    port: 53,
    delegations: new DelegationCache(new ManualClock(new Date('2026-11-22T00:00:00Z'))),
  });
  const remark = troubleRemark(await view.lookup('example.com', 'TXT'));
  assert.equal(remark?.severity, 'temperror');
  assert.match(remark?.message ?? '', /cannot reach the root servers/);
});
