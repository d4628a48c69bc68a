/**
 * `senderd zone export` in its own process: the file passes named-checkzone (BIND) and kzonecheck (Knot),
 * holds every record the server serves, and carries the serial the server uses for the same content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dig } from '../support/dns-packets.ts';
import { exportZone, startDnsTestNode } from '../support/dns-node.ts';
import { tempDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';

test('the exported zone passes named-checkzone and kzonecheck and matches the server', async () => {
  const dir = tempDir('senderd-export-');
  try {
    // Fill a store, as the server and the CLI will both read it.
    const seed = await startDnsTestNode({
      dir,
      set: [
        'dns.aliases={"www":"@"}',
        'platform.hostAddresses={"ns1":["192.0.2.53","2001:db8::53"],"ns2":["192.0.2.54"],"mx":["192.0.2.25"],"track":["192.0.2.26"],"@":["192.0.2.80"]}',
      ],
    });
    const tenant = await seed.services.accounts.addTenant('acme');
    for (const name of ['example.com', 'example.org', 'news.example.co.uk']) {
      await seed.services.domains.add(tenant.id, name, {
        spfMechanisms: ['ip4:198.51.100.0/24', 'include:_spf.example.org'],
        ownDkimSelectors: [{ selector: 'legacy', record: `v=DKIM1; k=rsa; p=${'B'.repeat(600)}` }],
      });
    }
    await seed.close();

    const output = join(dir.path, 'zone.db');
    const set = [
      'dns.aliases={"www":"@"}',
      'platform.hostAddresses={"ns1":["192.0.2.53","2001:db8::53"],"ns2":["192.0.2.54"],"mx":["192.0.2.25"],"track":["192.0.2.26"],"@":["192.0.2.80"]}',
    ];
    const exported = await exportZone(dir.path, output, set);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /Wrote zone mail\.example\.net \(serial \d+\)/);
    const text = readFileSync(output, 'utf8');

    const bind = await run('named-checkzone', [
      '-k',
      'fail',
      '-n',
      'fail',
      '-m',
      'fail',
      '-M',
      'fail',
      '-S',
      'fail',
      Z,
      output,
    ]);
    assert.equal(bind.code, 0, bind.stdout + bind.stderr);
    assert.match(bind.stdout, /OK/);
    const knot = await run('kzonecheck', ['-o', Z, output]);
    assert.equal(knot.code, 0, knot.stdout + knot.stderr);

    // The server over the same store serves the same serial and the same records.
    const server = await startDnsTestNode({
      dir,
      set: [
        'dns.aliases={"www":"@"}',
        'platform.hostAddresses={"ns1":["192.0.2.53","2001:db8::53"],"ns2":["192.0.2.54"],"mx":["192.0.2.25"],"track":["192.0.2.26"],"@":["192.0.2.80"]}',
      ],
    });
    try {
      const serial = /serial (\d+)/.exec(exported.stderr)![1];
      const soa = await dig(server.port, Z, 'SOA');
      assert.equal(soa.answer[0]!.data.split(' ')[2], serial, 'equal content, equal serial');
      const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith(';') && !l.startsWith('$'));
      assert.equal(lines.length, server.dns.keeper.zone.records().length);
      const standard = await exportZone(dir.path, null, set);
      assert.equal(standard.code, 0, standard.stderr);
      assert.equal(
        standard.stdout.split('\n').slice(2).join('\n'),
        text.split('\n').slice(2).join('\n'),
        'stdout gives the same zone',
      );
    } finally {
      await server.close();
    }
  } finally {
    dir.remove();
  }
});
