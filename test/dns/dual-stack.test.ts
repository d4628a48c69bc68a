/** Listening on `::` serves IPv4 and IPv6 clients on one socket each, and an IPv4 secondary keeps its rights. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsTestNode } from '../support/dns-node.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';

test('dns.host "::" answers over IPv4 and IPv6, UDP and TCP; AXFR allow-list matches IPv4-mapped clients', async () => {
  const t = await startDnsTestNode({ set: ['dns.host=::', 'dns.secondaries=["127.0.0.1"]'] });
  try {
    for (const server of ['::1', '127.0.0.1']) {
      for (const transport of ['+notcp', '+tcp']) {
        const r = await run('dig', [`@${server}`, '-p', String(t.port), '+short', transport, Z, 'SOA']);
        assert.match(r.stdout, new RegExp(`^ns1\\.${Z}\\. `), `${server} ${transport}`);
      }
    }
    const v4 = await run('dig', ['@127.0.0.1', '-p', String(t.port), Z, 'AXFR']);
    assert.match(
      v4.stdout,
      /XFR size: \d+ records/,
      'the IPv4 secondary, seen as ::ffff:127.0.0.1, may transfer',
    );
    const v6 = await run('dig', ['@::1', '-p', String(t.port), Z, 'AXFR']);
    assert.match(v6.stdout, /Transfer failed/, '::1 is not on the list');
  } finally {
    await t.close();
  }
});
