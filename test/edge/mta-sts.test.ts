/**
 * MTA-STS from `mta-sts enable` to a policy that an independent MTA-STS client accepts: the plan asks for
 * `_mta-sts`, `_smtp._tls` and `mta-sts.<domain>`, Pebble issues the policy host's certificate through Unbound and
 * the edge once its CNAME is seen, and Debian's postfix-mta-sts-resolver (`mta-sts-query`) looks up the TXT record,
 * fetches https://mta-sts.example.com/.well-known/mta-sts.txt on port 443, checks the chain against Pebble's root,
 * and prints the mode and MX list. Then enforce (refused without TLS-report evidence), a new MX host outside the
 * policy (an event, and enforce refused even with force), and `none`.
 *
 * The platform zone reaches Unbound through NSD, which serves what senderd's own DNS answers for each hosted record.
 * The edge listens on port 443 (the client has no other) of a loopback address of its own, so it needs root.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/index.ts';
import { AppError } from '../../src/core/index.ts';
import type { RecordPlan } from '../../src/domains/index.ts';
import type { RunningNode } from '../../src/main.ts';
import { body, customerLines } from '../checks/scenario.ts';
import { run, SYSTEM_PYTHON } from '../support/tools.ts';
import { dig } from '../support/dns-packets.ts';
import { edgeRequest, portOf } from './edge-client.ts';
import { DOMAIN, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

const POLICY_HOST = `mta-sts.${DOMAIN}`;
const QUERY = fileURLToPath(new URL('../support/mta-sts-query.py', import.meta.url));
const root = process.getuid?.() === 0;

let world: AcmeWorld;
let node: RunningNode;
/** A loopback address of this test's own, so port 443 is free whatever else runs. */
const edgeIp = `127.${randomInt(64, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;

before(async () => {
  if (!root) return;
  world = await startAcmeWorld();
  const unbound = world.tree.unbound!;
  node = await world.startNode({
    set: [
      `edge.host=${edgeIp}`,
      'edge.httpsPort=443',
      `resolvers.servers=${unbound.host}:${world.tree.port}`,
    ],
  });
});

after(async () => {
  await world?.stop();
});

/**
 * The customer's zone (the plan's records and the MX hosts, TTL 0 so that Unbound asks again) and the platform
 * zone in NSD as a secondary of senderd's own DNS: each hosted record of the plan is asked of the node's DNS
 * server and NSD serves what it answered, with track.<zone> pointing at the edge.
 */
async function publish(plan: RecordPlan, mx: readonly string[]): Promise<void> {
  const mxLines = mx.flatMap((host, i) => [
    `@ 0 IN MX ${10 * (i + 1)} ${host}.`,
    `${host.slice(0, -(DOMAIN.length + 1))} 0 IN A 192.0.2.${25 + i}`,
  ]);
  await world.tree.updateZone(DOMAIN, [body(customerLines(plan, DOMAIN)), ...mxLines].join('\n'));
  const zone = 'mail.example.net';
  const dnsPort = portOf(node, 'dns')!;
  const hosted: string[] = [];
  for (const r of plan.hosted) {
    // senderd's zone follows a change within a second: wait for the MTA-STS records to say what the plan says.
    const expected = /mta-sts|tls-rpt/.test(r.purpose) && r.data.type === 'TXT' ? `"${r.data.text}"` : null;
    let records: readonly { type: string; data: string }[] = [];
    for (let i = 0; i < 100; i++) {
      const answer = await dig(dnsPort, r.name, r.data.type);
      records = answer.answer.filter((x) => x.type === r.data.type);
      if (answer.status === 'NOERROR' && (expected === null || records.some((x) => x.data === expected)))
        break;
      records = [];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(records.length > 0, `senderd's DNS answers ${r.name} ${r.data.type} as planned`);
    for (const a of records) hosted.push(`${r.name.slice(0, -(zone.length + 1))} 0 IN ${a.type} ${a.data}`);
  }
  await world.tree.updateZone(zone, [`track 0 IN A ${edgeIp}`, ...new Set(hosted)].join('\n'));
}

async function query(knownId?: string, caFile = world.pebble.rootFile) {
  const unbound = world.tree.unbound!;
  return run(
    SYSTEM_PYTHON,
    [QUERY, unbound.host, String(world.tree.port), DOMAIN, ...(knownId === undefined ? [] : [knownId])],
    { env: { SSL_CERT_FILE: caFile, PATH: '/usr/bin:/bin' }, timeoutMs: 30_000 },
  );
}

test(
  'enable: the MX hosts from the DNS, the records in the plan, a certificate for mta-sts.example.com, a policy mta-sts-query accepts',
  { skip: !root && 'needs root to listen on port 443' },
  async () => {
    const s = node.services;
    const tenantId = world.tenantId;
    await publish(world.plan(), ['mx1.example.com']);
    assert.equal((await s.mtaSts.status(tenantId, DOMAIN)).enabled, false);

    const view = await s.mtaSts.enable(tenantId, DOMAIN);
    assert.equal(view.mode, 'testing');
    assert.deepEqual(view.mx, ['mx1.example.com']);
    assert.equal(view.maxAge, 86_400);
    const plan = await s.domains.plan(tenantId, DOMAIN);
    await publish(plan, ['mx1.example.com']);

    const check = await s.checks.run(await s.domains.get(tenantId, DOMAIN));
    const grades = Object.fromEntries(check.records.map((r) => [r.key, r.grade]));
    assert.equal(grades['mta-sts-host'], 'perfect', JSON.stringify(grades));
    assert.equal(grades['mta-sts'], 'perfect', JSON.stringify(grades));
    assert.equal(grades['tls-rpt'], 'perfect', JSON.stringify(grades));

    const report = await s.edge.acme.runOnce();
    assert.equal(
      report.worked.get(POLICY_HOST),
      'issued',
      world
        .logs()
        .split('\n')
        .filter((l) => l.includes('acme'))
        .slice(-20)
        .join('\n'),
    );
    const edge = await s.edge.status.status(tenantId, DOMAIN);
    const host = edge.hosts.find((h) => h.hostname === POLICY_HOST);
    assert.equal(host?.role, 'mta-sts');
    assert.equal(host?.status, 'issued');
    await waitForCertificate();

    const q = await query();
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /STSFetchResult\.VALID/, q.stdout + q.stderr);
    assert.match(q.stdout, /'mode': 'testing'/);
    assert.match(q.stdout, /'mx': \['mx1\.example\.com'\]/);
    assert.match(q.stdout, /'max_age': 86400/);
    assert.ok(q.stdout.includes(`'${view.policyId}'`), `${q.stdout} names the id ${view.policyId}`);

    // The client really checks the chain: without Pebble's root the certificate is not trusted and nothing is fetched.
    const untrusted = await query(undefined, '/etc/ssl/certs/ca-certificates.crt');
    assert.match(untrusted.stdout, /FETCH_ERROR/, untrusted.stdout + untrusted.stderr);

    // The same id: nothing to fetch (RFC 8461 §3.1).
    const again = await query(view.policyId!);
    assert.match(again.stdout, /NOT_CHANGED/, again.stdout + again.stderr);

    // Over plain HTTP there is no policy: senders fetch it over HTTPS only and follow no redirects (§3.3).
    const plain = await edgeRequest({
      port: world.edgeHttpPort,
      host: POLICY_HOST,
      path: '/.well-known/mta-sts.txt',
      address: edgeIp,
    });
    assert.notEqual(plain.status, 200);
  },
);

test(
  'enforce needs TLS-report evidence or force; the id changes with the policy; none withdraws it',
  { skip: !root && 'needs root to listen on port 443' },
  async () => {
    const s = node.services;
    const tenantId = world.tenantId;
    const before = await s.mtaSts.status(tenantId, DOMAIN);
    await assert.rejects(
      s.mtaSts.setMode(tenantId, DOMAIN, 'enforce'),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'confirmation_required' &&
        e.details.some((d) => d.reason === 'no_tls_reports'),
    );
    assert.equal((await s.mtaSts.status(tenantId, DOMAIN)).mode, 'testing', 'nothing changed');

    // A TLS report (RFC 8460) sent to the rua of the plan's _smtp._tls record, with failed sessions at mx1: stored for
    // the domain by its token, and the guard now names the failures.
    const tlsRpt = (await s.domains.plan(tenantId, DOMAIN)).hosted.find((r) => r.purpose === 'tls-rpt')!;
    const rua = /rua=mailto:(\S+)/.exec(tlsRpt.data.type === 'TXT' ? tlsRpt.data.text : '')![1]!;
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const report = {
      'organization-name': 'Receiver X',
      'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
      'contact-info': 'tls-reports@receiver.example',
      'report-id': 'mta-sts-test-1',
      policies: [
        {
          policy: {
            'policy-type': 'sts',
            'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.example.com', 'max_age: 86400'],
            'policy-domain': DOMAIN,
          },
          summary: { 'total-successful-session-count': 120, 'total-failure-session-count': 3 },
          'failure-details': [
            {
              'result-type': 'certificate-expired',
              'sending-mta-ip': '192.0.2.7',
              'receiving-mx-hostname': 'mx1.example.com',
              'failed-session-count': 3,
            },
          ],
        },
      ],
    };
    const ingested = await s.reports.ingest({
      source: [Buffer.from(JSON.stringify(report))],
      via: 'smtp',
      recipients: [rua],
    });
    assert.deepEqual(
      ingested.outcomes.map((o) => o.status),
      ['stored'],
      JSON.stringify(ingested.outcomes),
    );
    await assert.rejects(
      s.mtaSts.setMode(tenantId, DOMAIN, 'enforce'),
      (e: unknown) =>
        e instanceof AppError &&
        e.details.map((d) => d.reason).join() === 'tls_failures' &&
        /3 failed sessions \(of 123\)/.test(e.message),
    );

    const enforced = await s.mtaSts.setMode(tenantId, DOMAIN, 'enforce', { force: true });
    assert.equal(enforced.mode, 'enforce');
    assert.equal(enforced.maxAge, 604_800);
    assert.notEqual(enforced.policyId, before.policyId);
    await publish(await s.domains.plan(tenantId, DOMAIN), ['mx1.example.com']);
    const q = await query(before.policyId!);
    assert.match(q.stdout, /STSFetchResult\.VALID/, q.stdout + q.stderr);
    assert.match(q.stdout, /'mode': 'enforce'/);
    assert.ok(q.stdout.includes(`'${enforced.policyId}'`), q.stdout);

    // A new MX host outside the policy: the re-check raises a critical event, and enforce is refused even with force.
    await publish(await s.domains.plan(tenantId, DOMAIN), ['mx1.example.com', 'mx2.example.com']);
    assert.equal(await s.mtaSts.recheck(), 1);
    const event = world.events.find((e) => e.type === 'mta-sts.mx.uncovered');
    assert.equal(event?.severity, 'critical');
    assert.deepEqual(event?.data.uncovered, ['mx2.example.com']);
    assert.deepEqual((await s.mtaSts.status(tenantId, DOMAIN)).uncoveredMx, ['mx2.example.com']);
    await s.mtaSts.setMode(tenantId, DOMAIN, 'testing');
    await assert.rejects(
      s.mtaSts.setMode(tenantId, DOMAIN, 'enforce', { force: true }),
      (e: unknown) => e instanceof AppError && e.details.some((d) => d.reason === 'mx_not_covered'),
    );
    // Enabling again takes the MX hosts in.
    assert.deepEqual((await s.mtaSts.enable(tenantId, DOMAIN)).mx, ['mx1.example.com', 'mx2.example.com']);

    // RFC 8461 §8.3: withdrawn with mode none (a new id), then off; the host goes with it.
    const none = await s.mtaSts.setMode(tenantId, DOMAIN, 'none');
    await publish(await s.domains.plan(tenantId, DOMAIN), ['mx1.example.com', 'mx2.example.com']);
    const withdrawn = await query();
    assert.match(withdrawn.stdout, /'mode': 'none'/, withdrawn.stdout + withdrawn.stderr);
    assert.ok(withdrawn.stdout.includes(`'${none.policyId}'`));
    await s.mtaSts.disable(tenantId, DOMAIN);
    const plan = await s.domains.plan(tenantId, DOMAIN);
    assert.equal(
      plan.customer.some((r) => r.name.includes('mta-sts')),
      false,
    );
    await s.edge.acme.runOnce();
    assert.equal(
      (await s.edge.status.status(tenantId, DOMAIN)).hosts.some((h) => h.hostname === POLICY_HOST),
      false,
    );
  },
);

/** The edge reloads its hosts from the store on its poll; wait until it serves the new certificate. */
async function waitForCertificate(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      const answer = await edgeRequest({
        port: 443,
        host: POLICY_HOST,
        path: '/.well-known/mta-sts.txt',
        tls: { servername: POLICY_HOST },
        address: edgeIp,
      });
      if (answer.status === 200) return;
    } catch {
      // no certificate yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${POLICY_HOST} is not served over TLS`);
}

test(
  'as a user: the API and the CLI show and move MTA-STS, edge status lists the policy host',
  { skip: !root && 'needs root to listen on port 443' },
  async () => {
    const s = node.services;
    const { key } = await s.accounts.createApiKey(world.tenantId, 'mta-sts test');
    const http = node.components.find((c) => c.name === 'http')!.address;
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${http}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const enabled = await api('POST', '/v1/domains/example.com/mta-sts', {});
    assert.equal(enabled.status, 200, await enabled.clone().text());
    assert.equal(((await enabled.json()) as { mode: string }).mode, 'testing');
    // Switched off and on again, the host starts over: a new certificate on the next ACME pass.
    assert.equal((await s.edge.acme.runOnce()).worked.get(POLICY_HOST), 'issued');
    await waitForCertificate();
    const refused = await api('POST', '/v1/domains/example.com/mta-sts/mode', { mode: 'enforce' });
    assert.equal(refused.status, 409);
    const problem = (await refused.json()) as { error: { code: string; details: Array<{ reason: string }> } };
    assert.equal(problem.error.code, 'confirmation_required');
    assert.ok(problem.error.details.some((d) => d.reason === 'tls_failures'));
    const bad = await api('POST', '/v1/domains/example.com/mta-sts', { mx: ['not a host'] });
    assert.equal(bad.status, 422);

    const cli = async (args: string[]) => {
      const out: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _e, done) {
          out.push(chunk.toString());
          done();
        },
      });
      const flags = [
        `dataDir=${s.config.dataDir}`,
        `domains.publicSuffixList=${s.config.domains.publicSuffixList}`,
        `store.driver=${s.config.store.driver}`,
        ...(s.config.store.driver === 'postgres' ? [`store.postgresUrl=${s.config.store.postgresUrl}`] : []),
        `resolvers.servers=${world.tree.unbound!.host}:${world.tree.port}`,
      ].flatMap((f) => ['--set', f]);
      const code = await runCli([...flags, ...args], {
        env: {},
        cwd: s.config.dataDir,
        stdout: stream,
        stderr: stream,
        stdin: new PassThrough().end(),
      });
      return { code, text: out.join('') };
    };
    const show = await cli(['mta-sts', 'show', 'example.com', '--tenant', 'acme']);
    assert.equal(show.code, 0, show.text);
    assert.match(show.text, /MTA-STS testing \(id [0-9a-f]{32}, max_age 86400 s\)/);
    assert.match(show.text, /mode: testing/);
    const enforce = await cli(['mta-sts', 'mode', 'example.com', 'enforce', '--tenant', 'acme']);
    assert.notEqual(enforce.code, 0);
    assert.match(enforce.text, /3 failed sessions[\s\S]*--force/);
    const forced = await cli(['mta-sts', 'mode', 'example.com', 'enforce', '--force', '--tenant', 'acme']);
    assert.equal(forced.code, 0, forced.text);
    assert.match(forced.text, /MTA-STS enforce/);
    const edge = await cli(['edge', 'status', 'example.com', '--tenant', 'acme']);
    assert.equal(edge.code, 0, edge.text);
    assert.match(edge.text, /mta-sts\.example\.com\s+issued/);
    const policy = await edgeRequest({
      port: 443,
      host: POLICY_HOST,
      path: '/.well-known/mta-sts.txt',
      tls: { servername: POLICY_HOST, ca: readFileSync(world.pebble.rootFile, 'utf8') },
      address: edgeIp,
    });
    assert.equal(policy.status, 200);
    assert.equal(policy.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(
      policy.body,
      /^version: STSv1\r\nmode: enforce\r\nmx: mx1\.example\.com\r\nmx: mx2\.example\.com\r\nmax_age: 604800\r\n$/,
    );
  },
);
