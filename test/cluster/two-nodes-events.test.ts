/**
 * Two senderd nodes, real processes, over one PostgreSQL (issue 20): both work the event outbox, each delivery
 * claimed by one of them; one is killed with SIGKILL while webhook requests are in flight. Every event must still
 * arrive, and only an event whose request was in flight at the kill may arrive twice (at-least-once: the dying
 * node's request may have counted). On SQLite this cannot be set up (one server per data directory, by design), so
 * the test runs in the PostgreSQL pass of `npm test` (scripts/test.sh picks it by storeFlags()).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openServices, type Services } from '../../src/main.ts';
import { corpusPublicSuffixes, storeFlags, tempDir, testConfig, type TestDir } from '../support/node.ts';
import { startClusterNode, until, type SenderdProcess } from '../support/senderd-process.ts';

const onPostgres = process.env.TEST_STORE === 'postgres';
const EVENTS = 20;
const HOLD_MS = 1000;
const WEBHOOK_TIMEOUT_S = 3;

let dir: TestDir;
let services: Services;
let store: string[];
let receiver: Server;
const nodes: SenderdProcess[] = [];
/** Every request the receiver got, by event id (answered or not). */
const arrivals = new Map<string, number>();
/** The event ids whose requests the receiver holds now. */
const inFlight = new Set<string>();

before(async () => {
  if (!onPostgres) return;
  dir = tempDir('senderd-cluster-events-');
  store = await storeFlags();
  services = await openServices(testConfig(dir.path, [...store, 'events.allowPrivateWebhooks=true']), {
    publicSuffixes: corpusPublicSuffixes(),
  });
  // A slow receiver: it holds each request HOLD_MS before answering 200, so deliveries are in flight.
  receiver = createServer((req, res) => {
    const id = String(req.headers['senderd-event-id']);
    arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
    inFlight.add(id);
    req.resume();
    const timer = setTimeout(() => {
      inFlight.delete(id);
      res.end('ok');
    }, HOLD_MS);
    // The sender died (or gave up): the request is no longer in flight.
    res.on('close', () => (clearTimeout(timer), inFlight.delete(id)));
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
});
after(async () => {
  for (const n of nodes) await n.stop();
  receiver?.closeAllConnections();
  await new Promise((done) => receiver?.close(done));
  await services?.close();
  dir?.remove();
});

function startNodeProcess(name: string): Promise<SenderdProcess> {
  return startClusterNode(dir.path, name, store, [
    'events.delivery=true',
    'events.deliveryInterval=500ms',
    `events.webhookTimeout=${WEBHOOK_TIMEOUT_S}s`,
    'events.allowPrivateWebhooks=true',
    'cluster.leaseTime=3s',
  ]).then((n) => (nodes.push(n), n));
}

test(
  'SIGKILL of a node with webhook requests in flight: no event lost, doubles only of requests in flight',
  { skip: onPostgres ? false : 'needs PostgreSQL: the PostgreSQL pass of npm test runs it' },
  async () => {
    const tenant = await services.accounts.addTenant('acme');
    const { port } = receiver.address() as AddressInfo;
    await services.events.setNotifications(tenant.id, { webhookUrl: `http://127.0.0.1:${port}/hook` });

    const a = await startNodeProcess('a');
    const b = await startNodeProcess('b');
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i++) ids.push((await services.events.sendTest(tenant.id)).event.id);

    // Each node sends one request at a time: two held at once means one of them is a's (and one b's).
    await until('both nodes to have a request in flight', 20_000, () =>
      inFlight.size >= 2 ? true : undefined,
    );
    const inFlightAtKill = new Set(inFlight);
    const killedAt = Date.now();
    process.kill(a.pid, 'SIGKILL');

    // Done means the store has every delivery settled as delivered (the dying node's claim taken over by the
    // survivor once it lapsed) and the receiver has seen every event.
    const settled = await until(`all ${EVENTS} deliveries settled`, 45_000, async () => {
      const recent = await services.events.recentDeliveries(tenant.id, 100);
      return recent.length === EVENTS && recent.every((d) => d.status === 'delivered') ? recent : undefined;
    });
    const allInMs = Date.now() - killedAt;
    assert.deepEqual(
      ids.filter((id) => !arrivals.has(id)),
      [],
      'every event arrived',
    );
    assert.deepEqual(settled.map((d) => d.eventId).sort(), [...ids].sort());
    const doubles = ids.filter((id) => (arrivals.get(id) ?? 0) > 1);
    console.log(
      `after SIGKILL: all ${EVENTS} events arrived in ${allInMs} ms; in flight at the kill: ${inFlightAtKill.size}; ` +
        `arrived twice: ${doubles.length}`,
    );
    assert.deepEqual(
      [...arrivals.keys()].filter((id) => !ids.includes(id)),
      [],
      'nothing but these events arrived',
    );
    for (const id of doubles)
      assert.ok(inFlightAtKill.has(id), `${id} arrived twice but was not in flight at the kill`);
    assert.ok(
      ids.every((id) => (arrivals.get(id) ?? 0) <= 2),
      'no event arrived more than twice',
    );
    assert.ok(doubles.length <= 1, 'a node sends one request at a time: one double at most');

    assert.ok(b.alive());
  },
);
