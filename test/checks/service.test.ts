/**
 * Checks wired into a real node: the API (run now, latest result, tenant isolation), verification when two
 * tenants add the same domain, the scheduler with a manual clock raising broken/fixed events as the real zone
 * changes under NSD, and the CLI table and JSON.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CheckScheduler, type DomainCheck } from '../../src/checks/index.ts';
import { runCli } from '../../src/cli/index.ts';
import { ManualClock, quietLogger } from '../../src/core/index.ts';
import type { RecordPlan } from '../../src/domains/index.ts';
import type { EventSink, NewEvent } from '../../src/events/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { startDnsTree, type DnsTree } from './dns-tree.ts';
import { body, customerLines, EGRESS, platformZone } from './scenario.ts';

let tree: DnsTree;
let node: TestNode;
const clock = new ManualClock('2026-11-01T00:00:00Z');
const events: NewEvent[] = [];
const sink: EventSink = {
  emit(e) {
    events.push(e);
    return Promise.resolve();
  },
};
let keyA = '';
let keyB = '';
let planA: RecordPlan;
let planB: RecordPlan;

before(async () => {
  // The tree starts first (the node's config needs its port) with empty zones; the real records, which need the
  // domains' tokens, are loaded with updateZone once the domains exist.
  tree = await startDnsTree(
    [
      { origin: 'shared.com', body: '', servers: ['ns1'] },
      { origin: 'mail.example.net', body: '', servers: ['ns1'] },
    ],
    { unbound: true },
  );
  node = await startTestNode({
    set: [
      `checks.rootServers=${tree.root.host}:${tree.port}`,
      `checks.nameserverPort=${tree.port}`,
      `resolvers.servers=${tree.unbound!.host}:${tree.port}`,
      'checks.recursiveView=true',
      'checks.timeoutMs=400',
      `platform.egressIps=${EGRESS.join(',')}`,
      'platform.ttl=300',
    ],
    runtime: { clock, events: sink },
  });
  const s = node.services;
  const a = await s.accounts.addTenant('alpha');
  const b = await s.accounts.addTenant('beta');
  keyA = (await s.accounts.createApiKey(a.id, 'test')).key;
  keyB = (await s.accounts.createApiKey(b.id, 'test')).key;
  // Two tenants add the same domain: each gets its own token. The DNS points at alpha's.
  await s.domains.add(a.id, 'shared.com');
  await s.domains.add(b.id, 'shared.com');
  planA = await s.domains.plan(a.id, 'shared.com');
  planB = await s.domains.plan(b.id, 'shared.com');
  await tree.updateZone('shared.com', body(customerLines(planA, 'shared.com')));
  await tree.updateZone('mail.example.net', platformZone([planA, planB]).body);
});

after(async () => {
  await node?.close();
  await tree?.stop();
});

async function api(key: string, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${node.http}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: await res.json() };
}

test('setup: both tenants added shared.com', async () => {
  const s = node.services;
  assert.notEqual(planA.token, planB.token);
  assert.equal((await s.domains.list((await s.accounts.tenantByName('alpha')).id)).length, 1);
});

test('POST check verifies the tenant whose token the DNS shows, and only that tenant', async () => {
  const a = await api(keyA, 'POST', '/v1/domains/shared.com/check');
  assert.equal(a.status, 200);
  const checkA = a.body as DomainCheck;
  assert.equal(
    checkA.grade,
    'perfect',
    JSON.stringify(checkA.records.map((r) => [r.key, r.grade, r.remarks])),
  );
  assert.equal(checkA.verification.verified, true);
  assert.ok(
    checkA.records.every((r) => r.observed.some((o) => o.path === 'recursive')),
    'resolver path seen',
  );

  const b = await api(keyB, 'POST', '/v1/domains/shared.com/check');
  const checkB = b.body as DomainCheck;
  assert.equal(checkB.verification.verified, false);
  const dmarc = checkB.records.find((r) => r.key === 'dmarc')!;
  assert.equal(dmarc.grade, 'error');
  assert.ok(dmarc.remarks.some((m) => m.code === 'cname-other-token'));
  // The remark does not reveal alpha's token beyond what beta's own DNS shows; it names no tenant.
  assert.ok(!JSON.stringify(checkB).includes('alpha'));

  const s = node.services;
  const [da] = await s.domains.list((await s.accounts.tenantByName('alpha')).id);
  const [db] = await s.domains.list((await s.accounts.tenantByName('beta')).id);
  assert.notEqual(da!.verifiedAt, null);
  assert.equal(db!.verifiedAt, null);
  const verified = events.filter((e) => e.type === 'checks.domain.verified');
  assert.equal(verified.length, 1);
  assert.equal(verified[0]!.domainId, da!.id);
});

test('GET check returns the latest result; another tenant or an unknown domain is not found', async () => {
  const got = await api(keyA, 'GET', '/v1/domains/shared.com/check');
  assert.equal(got.status, 200);
  assert.equal((got.body as { check: DomainCheck }).check.verification.verified, true);
  const s = node.services;
  const gamma = await s.accounts.addTenant('gamma');
  const keyC = (await s.accounts.createApiKey(gamma.id, 'test')).key;
  assert.equal((await api(keyC, 'GET', '/v1/domains/shared.com/check')).status, 404);
  assert.equal((await api(keyC, 'POST', '/v1/domains/shared.com/check')).status, 404);
  await s.domains.add(gamma.id, 'never-checked.com');
  const never = await api(keyC, 'GET', '/v1/domains/never-checked.com/check');
  assert.equal(never.status, 404);
  assert.match((never.body as { error: { message: string } }).error.message, /not been checked/);
});

test('the scheduler re-checks due domains and raises broken and fixed events as the zone changes', async () => {
  const s = node.services;
  const scheduler = new CheckScheduler({
    service: s.checks,
    concurrency: 4,
    tickMs: 1000,
    log: quietLogger(),
  });
  // Nothing is due right after the checks above, except the never-checked domain.
  assert.equal(await scheduler.runDue(), 1);
  assert.equal(await scheduler.runDue(), 0);

  // Break _dmarc (the customer deleted it), move past the jittered interval, and run the scheduler.
  await tree.updateZone(
    'shared.com',
    body(customerLines(planA, 'shared.com').filter((l) => l.name !== '_dmarc')),
  );
  clock.advance(3600 * 1.2 * 1000);
  assert.equal(await scheduler.runDue(), 3);
  const broken = events.filter((e) => e.type === 'checks.record.broken');
  assert.equal(broken.length, 1, JSON.stringify(events));
  assert.equal(broken[0]!.data.record, 'dmarc');
  assert.equal(broken[0]!.severity, 'critical');
  const alphaDomain = (await s.domains.list((await s.accounts.tenantByName('alpha')).id))[0]!;
  const states = await s.store.checks.states(alphaDomain.id);
  const dmarcState = states.find((x) => x.key === 'dmarc')!;
  assert.equal(dmarcState.status, 'error');
  assert.match(dmarcState.error ?? '', /no CNAME/);
  // Unbound still holds the working CNAME it cached minutes ago (in real time): receivers using it see no
  // problem yet, and the remark says for how long.
  const brokenCheck = await s.checks.latest(alphaDomain.tenantId, 'shared.com');
  const brokenDmarc = brokenCheck!.check.records.find((r) => r.key === 'dmarc')!;
  assert.equal(brokenDmarc.grade, 'error');
  const stale = brokenDmarc.remarks.find((m) => m.code === 'resolver-stale');
  assert.ok(stale, JSON.stringify(brokenDmarc.remarks));
  assert.match(stale.message, /cached for up to \d+ s/);

  // Fix it.
  await tree.updateZone('shared.com', body(customerLines(planA, 'shared.com')));
  clock.advance(3600 * 1.2 * 1000);
  await scheduler.runDue();
  const fixed = events.filter((e) => e.type === 'checks.record.fixed');
  assert.equal(fixed.length, 1);
  assert.equal(fixed[0]!.data.record, 'dmarc');
  const latest = await s.checks.latest((await s.accounts.tenantByName('alpha')).id, 'shared.com');
  assert.equal(latest!.check.records.find((r) => r.key === 'dmarc')!.grade, 'perfect');
  await scheduler.stop();
});

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

test('senderd check prints a table (coloured only on a TTY without NO_COLOR) and --json', async () => {
  const configPath = `${node.config.dataDir}/senderd.yaml`;
  const { writeFileSync } = await import('node:fs');
  const { stringify } = await import('yaml');
  writeFileSync(configPath, stringify({ ...node.config, http: { ...node.config.http, enabled: false } }));
  const run = async (args: string[], env: Record<string, string>, tty: boolean) => {
    const stdout = new Collect();
    stdout.isTTY = tty;
    const stderr = new Collect();
    const code = await runCli(['-c', configPath, ...args], { env, cwd: node.config.dataDir, stdout, stderr });
    return { code, out: stdout.text, err: stderr.text };
  };
  const plain = await run(['check', 'shared.com', '--tenant', 'alpha'], {}, false);
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out, /shared\.com \(delegated\)/);
  assert.match(plain.out, /dkim:sd1/);
  assert.ok(!plain.out.includes('\u001b['), 'no colour when not a TTY');
  const tty = await run(['check', 'shared.com', '--tenant', 'alpha'], {}, true);
  assert.ok(tty.out.includes('\u001b[32m'), 'colour on a TTY');
  const noColor = await run(['check', 'shared.com', '--tenant', 'alpha'], { NO_COLOR: '1' }, true);
  assert.ok(!noColor.out.includes('\u001b['), 'NO_COLOR wins');
  const json = await run(['--json', 'check', 'shared.com', '--tenant', 'beta'], {}, false);
  const parsed = JSON.parse(json.out) as DomainCheck;
  assert.equal(parsed.domain, 'shared.com');
  assert.equal(parsed.verification.verified, false);
  // beta's CNAMEs were never created (the DNS shows alpha's token): an error, and exit code 9 for scripts.
  assert.equal(parsed.grade, 'error');
  assert.equal(json.code, 9, 'a check that finds errors exits 9');
});
