/**
 * GET /metrics as Prometheus scrapes it: the DNS server's queries counted by transport and RCODE across its UDP
 * worker threads and TCP, the serial served, the gateway's queue, the job leases held; a bearer token when
 * http.metricsToken is set.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { cryptoRandom } from '../../src/core/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let open: TestNode;
let guarded: TestNode;

before(async () => {
  open = await startTestNode({ set: ['dns.workers=2', 'dkim.scheduler=true'] });
  guarded = await startTestNode({ set: ['http.metricsToken=s3cret-metrics-token-1'] });
});
after(async () => {
  await open?.close();
  await guarded?.close();
});

function dnsPort(t: TestNode): number {
  return Number(
    t.node.components
      .find((c) => c.name === 'dns')!
      .address.split(':')
      .at(-1),
  );
}

/** Every sample of the text format as "name{labels}" → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(\S+)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

async function scrape(t: TestNode, token?: string) {
  const res = await fetch(
    `${t.http}/metrics`,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

test('DNS queries are counted by transport and RCODE over every worker, with the serial served', async () => {
  const port = dnsPort(open);
  const resolver = new StubResolver({ timeoutMs: 1000, attempts: 1, random: cryptoRandom });
  let soaSerial = 0;
  try {
    // Several UDP queries, spread by the kernel over the worker threads' sockets (new source ports each).
    for (let i = 0; i < 12; i++) {
      const r = await resolver.query({
        name: 'mail.example.net',
        type: 'SOA',
        server: { host: '127.0.0.1', port },
        recursionDesired: false,
      });
      const soa = r.outcome === 'response' ? r.answers.find((a) => a.data.type === 'SOA')?.data : undefined;
      if (soa?.type === 'SOA') soaSerial = soa.serial;
    }
    for (let i = 0; i < 3; i++)
      await resolver.query({
        name: `nothing-${i}.mail.example.net`,
        type: 'A',
        server: { host: '127.0.0.1', port },
        recursionDesired: false,
      });
    await resolver.query({
      name: 'example.org',
      type: 'A',
      server: { host: '127.0.0.1', port },
      recursionDesired: false,
    });
  } finally {
    resolver.close();
  }
  // Over TCP: one SOA query, framed by hand (RFC 1035 §4.2.2), through a raw socket.
  const { connect } = await import('node:net');
  const query = Buffer.from('abcd01000001000000000000046d61696c076578616d706c65036e65740000060001', 'hex');
  await new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () =>
      s.write(Buffer.concat([Buffer.from([0, query.length]), query])),
    );
    s.once('data', () => (s.end(), resolve()));
    s.once('error', reject);
  });
  // And one datagram that is no DNS message at all.
  const junk = createSocket('udp4');
  await new Promise<void>((r) => junk.send(Buffer.from([1, 2, 3]), port, '127.0.0.1', () => r()));
  junk.close();
  await new Promise((r) => setTimeout(r, 200));

  const r = await scrape(open);
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/plain; version=0\.0\.4/);
  const m = samples(r.text);
  assert.equal(m.get('senderd_dns_queries_total{transport="udp",rcode="NOERROR"}'), 12);
  assert.equal(m.get('senderd_dns_queries_total{transport="udp",rcode="NXDOMAIN"}'), 3);
  assert.equal(m.get('senderd_dns_queries_total{transport="udp",rcode="REFUSED"}'), 1, 'out of zone');
  assert.equal(m.get('senderd_dns_queries_total{transport="tcp",rcode="NOERROR"}'), 1);
  assert.equal(m.get('senderd_dns_queries_total{transport="udp",rcode="dropped"}'), 1);
  assert.equal(m.get('senderd_dns_zone_serial'), soaSerial, 'the serial served');
  assert.ok(m.has('senderd_gateway_queue_messages{state="spooled"}'));
  assert.ok(m.has('senderd_process_resident_memory_bytes'));
  assert.match(r.text, /# TYPE senderd_dns_queries_total counter/);
});

test('the job leases this node holds', async () => {
  const deadline = Date.now() + 5000;
  for (;;) {
    const m = samples((await scrape(open)).text);
    if (m.get('senderd_job_lease_held{job="dkim-rotation"}') === 1) return;
    assert.ok(Date.now() < deadline, 'the rotation lease shows as held');
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('with http.metricsToken, /metrics needs that bearer token', async () => {
  assert.equal((await scrape(guarded)).status, 401);
  assert.equal((await scrape(guarded, 'wrong')).status, 401);
  const ok = await scrape(guarded, 's3cret-metrics-token-1');
  assert.equal(ok.status, 200);
  assert.match(ok.text, /senderd_dns_zone_serial \d+/);
});

test('report documents taken in, by input path and outcome', async () => {
  // Bytes that are no report: refused and quarantined, and counted as such.
  const result = await open.services.reports.ingest({
    source: [Buffer.from('this is not a DMARC report\r\n')],
    via: 'upload',
    name: 'junk.xml',
  });
  assert.deepEqual(
    result.outcomes.map((o) => o.status),
    ['quarantined'],
  );
  const m = samples((await scrape(open)).text);
  assert.equal(m.get('senderd_report_documents_total{via="upload",status="quarantined"}'), 1);
  assert.equal(m.get('senderd_report_documents_total{via="upload",status="stored"}'), undefined);
  // No mail was sent through this node: every outcome is there, at zero (the gateway tests count real deliveries).
  for (const outcome of ['delivered', 'deferred', 'bounced', 'expired'])
    assert.equal(m.get(`senderd_gateway_delivery_attempts_total{outcome="${outcome}"}`), 0, outcome);
});
