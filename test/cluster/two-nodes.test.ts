/**
 * Two senderd nodes, real processes, over one PostgreSQL (issue 20): each periodic job runs on one node at a time
 * (the job lease in the store), and when the node holding it is killed with SIGKILL the other takes it over within
 * one lease period plus one tick, with no duplicate DKIM key. On SQLite this cannot be set up (one server per data
 * directory, by design), so the test runs in the PostgreSQL pass of `npm test` (scripts/test.sh picks it by storeFlags()).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openServices, type Services } from '../../src/main.ts';
import { corpusPublicSuffixes, storeFlags, tempDir, testConfig, type TestDir } from '../support/node.ts';
import { startClusterNode, until, type SenderdProcess } from '../support/senderd-process.ts';

const onPostgres = process.env.TEST_STORE === 'postgres';
const LEASE_S = 3;
const TICK_S = 1;

let dir: TestDir;
let services: Services;
let store: string[];
const nodes: SenderdProcess[] = [];

before(async () => {
  if (!onPostgres) return;
  dir = tempDir('senderd-cluster-');
  store = await storeFlags();
  // The test's own view of the shared store, and the KEK file every node shares (as a cluster's nodes must).
  services = await openServices(testConfig(dir.path, store), { publicSuffixes: corpusPublicSuffixes() });
});
after(async () => {
  for (const n of nodes) await n.stop();
  await services?.close();
  dir?.remove();
});

function startNodeProcess(name: string): Promise<SenderdProcess> {
  return startClusterNode(dir.path, name, store, [
    'dkim.scheduler=true',
    `dkim.checkInterval=${TICK_S}s`,
    'dmarc.scheduler=true',
    `dmarc.tickInterval=${TICK_S}s`,
    `cluster.leaseTime=${LEASE_S}s`,
  ]).then((n) => (nodes.push(n), n));
}

async function leaseOf(job: string) {
  return (await services.store.jobLeases.list()).find((l) => l.name === job);
}

/** Every key of every domain, by domain: the series a single node would have made, no more. */
async function keysByDomain(tenantId: string, names: readonly string[]) {
  const out = new Map<string, string[]>();
  for (const name of names) {
    const { keys } = await services.dkim.list(tenantId, name);
    out.set(name, keys.map((k) => `${k.selector}/${k.algorithm}/${k.state}`).sort());
  }
  return out;
}

test(
  'one node runs each job; after SIGKILL of the holder the other takes over within a lease period',
  { skip: onPostgres ? false : 'needs PostgreSQL: the PostgreSQL pass of npm test runs it' },
  async () => {
    const tenant = await services.accounts.addTenant('acme');
    const first = ['a.example.com', 'b.example.com', 'c.example.com'];
    for (const name of first) await services.domains.add(tenant.id, name);

    const a = await startNodeProcess('a');
    const b = await startNodeProcess('b');
    const owners = new Map([
      [a.pid, a],
      [b.pid, b],
    ]);
    const holderOf = async (job: string) => {
      const lease = await leaseOf(job);
      return lease === undefined ? undefined : owners.get(Number(lease.owner.split(':').at(-2)));
    };
    const rotationHolder = await until('a holder of dkim-rotation', 20_000, () => holderOf('dkim-rotation'));
    await until('a holder of dmarc-scheduler', 20_000, () => holderOf('dmarc-scheduler'));

    // Keys for every domain, made by one node: let several ticks pass on both, then count.
    const keysFirst = await until('keys for every domain', 30_000, async () => {
      const k = await keysByDomain(tenant.id, first);
      return [...k.values()].every((v) => v.length > 0) ? k : undefined;
    });
    await sleep(3 * TICK_S * 1000);
    assert.deepEqual(
      await keysByDomain(tenant.id, first),
      keysFirst,
      'more ticks on two nodes made no more keys',
    );
    const took = (n: SenderdProcess) =>
      (n.output().match(/"job":"dkim-rotation"[^\n]*took the job lease/g) ?? []).length;
    assert.equal(took(a) + took(b), 1, 'exactly one node took the rotation');

    // SIGKILL the holder: no give-back, so the other waits the lease out and takes over.
    const survivor = rotationHolder === a ? b : a;
    const killedAt = Date.now();
    process.kill(rotationHolder.pid, 'SIGKILL');
    const newHolder = await until(
      'the survivor to take dkim-rotation',
      (LEASE_S + 2 * TICK_S + 5) * 1000,
      async () => ((await holderOf('dkim-rotation')) === survivor ? survivor : undefined),
    );
    const takeOverMs = Date.now() - killedAt;
    assert.equal(newHolder, survivor);
    assert.ok(takeOverMs <= (LEASE_S + TICK_S) * 1000 + 1500, `took over after ${takeOverMs} ms`);
    console.log(`take-over after SIGKILL: ${takeOverMs} ms (lease ${LEASE_S} s, tick ${TICK_S} s)`);

    // The survivor runs the job now: a new domain gets its keys, and the old ones are unchanged (no duplicate).
    await services.domains.add(tenant.id, 'd.example.com');
    await until('keys for the new domain', 20_000, async () => {
      const k = await keysByDomain(tenant.id, ['d.example.com']);
      return (k.get('d.example.com') ?? []).length > 0 ? k : undefined;
    });
    assert.deepEqual(await keysByDomain(tenant.id, first), keysFirst);
    assert.equal(took(survivor), 1);
  },
);

test(
  'a node that stops gives its jobs back at once',
  { skip: onPostgres ? false : 'needs PostgreSQL: the PostgreSQL pass of npm test runs it' },
  async () => {
    const alive = nodes.filter((n) => n.alive());
    assert.equal(alive.length, 1);
    const c = await startNodeProcess('c');
    const holder = alive[0]!;
    await holder.stop();
    const stoppedAt = Date.now();
    await until('c to take dkim-rotation', 10_000, async () => {
      const lease = await leaseOf('dkim-rotation');
      return lease?.owner.split(':').at(-2) === String(c.pid) ? lease : undefined;
    });
    const ms = Date.now() - stoppedAt;
    assert.ok(ms < LEASE_S * 1000, `given back, not waited out: ${ms} ms`);
  },
);
