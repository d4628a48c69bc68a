/**
 * Live updates on a whole node (startNode, as `senderd start` runs it): changes made through the service and
 * by another process (the CLI) are answered within a second without a restart, the SOA serial rises with each,
 * and across restarts it never goes down (and rises when the content changed while the node was down).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quietLogger } from '../../src/core/index.ts';
import { serialGreater } from '../../src/dns/index.ts';
import { openServices, startNode, type RunningNode } from '../../src/main.ts';
import { dig } from '../support/dns-packets.ts';
import { CORPUS, corpusPublicSuffixes, tempDir, testConfig } from '../support/node.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
const SENDERD = new URL('../../bin/senderd', import.meta.url).pathname;

function dnsPort(node: RunningNode): number {
  const address = node.components.find((c) => c.name === 'dns')?.address ?? '';
  return Number(/:(\d+)$/.exec(address)?.[1]);
}

async function serial(port: number): Promise<number> {
  const soa = await dig(port, Z, 'SOA');
  return Number(soa.answer[0]!.data.split(' ')[2]);
}

/** Milliseconds until `name TYPE` gets `status`, polling every 20 ms; fails after 5 s. */
async function answeredAfter(port: number, name: string, type: string, status: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await dig(port, name, type)).status === status) return performance.now() - started;
    if (performance.now() - started > 5000) throw new Error(`${name} ${type} never became ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('changes are served within a second, the serial rises, and it survives restarts', async () => {
  const dir = tempDir('senderd-live-');
  let node: RunningNode | undefined;
  const start = async (set: string[] = []) => {
    node = await startNode(testConfig(dir.path, set), quietLogger(), {
      publicSuffixes: corpusPublicSuffixes(),
    });
    return node;
  };
  try {
    let n = await start();
    let port = dnsPort(n);
    const s0 = await serial(port);
    const tenant = await n.services.accounts.addTenant('acme');

    // 1. Through the service, in this process.
    const added = await n.services.domains.add(tenant.id, 'example.com');
    const ms1 = await answeredAfter(port, `${added.token}.dmarc.${Z}`, 'TXT', 'NOERROR');
    assert.ok(ms1 < 1000, `answered after ${ms1} ms`);
    const s1 = await serial(port);
    assert.ok(serialGreater(s1, s0), `${s1} > ${s0}`);

    // 2. By another process: the CLI writing to the same store.
    const cli = await run(SENDERD, [
      '--set',
      `dataDir=${dir.path}`,
      '--set',
      `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
      '--set',
      `platform.zone=${Z}`,
      '--json',
      'domain',
      'add',
      'example.org',
      '--tenant',
      'acme',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const token = (JSON.parse(cli.stdout) as { token: string }).token;
    const ms2 = await answeredAfter(port, `${token}.bounce.${Z}`, 'MX', 'NOERROR');
    assert.ok(ms2 < 1000, `answered after ${ms2} ms`);
    const s2 = await serial(port);
    assert.ok(serialGreater(s2, s1));

    // 3. A settings change and a removal.
    await n.services.domains.update(tenant.id, 'example.com', { spfMechanisms: ['ip4:198.51.100.7'] });
    const started = performance.now();
    for (;;) {
      const spf = await dig(port, `${added.token}.spf.${Z}`, 'TXT');
      if (spf.answer[0]?.data.includes('198.51.100.7')) break;
      assert.ok(performance.now() - started < 1000, 'the new SPF is served within a second');
      await new Promise((r) => setTimeout(r, 20));
    }
    const s3 = await serial(port);
    assert.ok(serialGreater(s3, s2));
    await n.services.domains.remove(tenant.id, 'example.com');
    assert.ok((await answeredAfter(port, `${added.token}.dmarc.${Z}`, 'TXT', 'NXDOMAIN')) < 1000);
    const s4 = await serial(port);
    assert.ok(serialGreater(s4, s3));

    // 4. A restart over the same content keeps the serial (it never goes down).
    await n.stop();
    n = await start();
    port = dnsPort(n);
    assert.equal(await serial(port), s4);
    assert.equal((await dig(port, `${token}.bounce.${Z}`, 'MX')).status, 'NOERROR');

    // 5. Content changed while the node was down: the restart raises the serial.
    await n.stop();
    const offline = await openServices(testConfig(dir.path), { publicSuffixes: corpusPublicSuffixes() });
    const late = await offline.domains.add(tenant.id, 'example.net');
    await offline.close();
    n = await start();
    port = dnsPort(n);
    const s5 = await serial(port);
    assert.ok(serialGreater(s5, s4), `${s5} > ${s4}`);
    assert.equal((await dig(port, `${late.token}.dmarc.${Z}`, 'TXT')).status, 'NOERROR');

    // 6. So does a change of configuration (new egress addresses change spf.<zone>).
    await n.stop();
    n = await start(['platform.egressIps=["192.0.2.99"]']);
    port = dnsPort(n);
    assert.ok(serialGreater(await serial(port), s5));
  } finally {
    await node?.stop();
    dir.remove();
  }
});
