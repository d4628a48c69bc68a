/**
 * A small world for the edge's ACME tests, all real and all on loopback: NSD serving the customer's zone
 * (example.com) and the platform zone, Unbound resolving through both, Pebble validating HTTP-01 through Unbound
 * (so it follows clicks.example.com's CNAME to track.mail.example.net and connects to the edge), and senderd
 * nodes over one store. The edge's HTTP port is picked free per test and given to both Pebble and the nodes.
 */
import { Writable } from 'node:stream';
import { ManualClock, createLogger, cryptoRandom, type Logger } from '../../src/core/index.ts';
import type { RecordPlan, SenderDomain } from '../../src/domains/index.ts';
import type { NewEvent } from '../../src/events/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import type { Runtime, RunningNode } from '../../src/main.ts';
import { startDnsTree, type DnsTree } from '../checks/dns-tree.ts';
import { body, customerLines } from '../checks/scenario.ts';
import { sharedTestStore } from '../support/node.ts';
import { startPebble, type Pebble } from '../support/pebble.ts';
import { freePort } from '../support/ports.ts';

export const DOMAIN = 'example.com';
export const CLICK_HOST = 'clicks.example.com';

export interface AcmeWorld {
  readonly tree: DnsTree;
  readonly pebble: Pebble;
  readonly clock: ManualClock;
  readonly events: NewEvent[];
  /** Everything every node logged, JSON lines at trace level. */
  logs(): string;
  /** Resolves at the first log line (from now on) that matches. */
  nextLog(pattern: RegExp): Promise<string>;
  /** The edge HTTP port Pebble validates on: every node that serves the edge listens there. */
  readonly edgeHttpPort: number;
  /** Starts a node over the world's store; the first one also adds the tenant and the domain. */
  startNode(options?: { set?: readonly string[]; runtime?: Runtime }): Promise<RunningNode>;
  readonly tenantId: string;
  domain(): SenderDomain;
  plan(): RecordPlan;
  /** Publishes the customer's records, with or without the click host's CNAME. */
  customerZone(options: { clickCname: boolean }): Promise<void>;
  /** Where track.mail.example.net points; resolves once Unbound (Pebble's resolver) answers the new address. */
  trackAddress(address: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Waits until Unbound, which Pebble resolves through, gives the new address for the click host. A TTL of 0 is
 * not enough: Unbound keeps TTLs in whole seconds and still answers a record that expires "now" from its cache,
 * so an order placed within the same second as the last validation was once validated at the old address.
 */
async function untilUnboundAnswers(tree: DnsTree, address: string): Promise<void> {
  const resolver = new StubResolver({ timeoutMs: 300, attempts: 1, random: cryptoRandom });
  const deadline = Date.now() + 10_000;
  try {
    for (;;) {
      const r = await resolver.query({
        name: CLICK_HOST,
        type: 'A',
        server: { host: tree.unbound!.host, port: tree.unbound!.port },
        recursionDesired: true,
      });
      const seen =
        r.outcome === 'response'
          ? r.answers.some((a) => a.data.type === 'A' && a.data.address === address)
          : false;
      if (seen) return;
      if (Date.now() > deadline)
        throw new Error(`Unbound still does not answer ${address} for ${CLICK_HOST}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  } finally {
    resolver.close();
  }
}

export async function startAcmeWorld(): Promise<AcmeWorld> {
  const tree = await startDnsTree(
    [
      { origin: DOMAIN, body: '', servers: ['ns1'] },
      { origin: 'mail.example.net', body: 'track 0 IN A 127.0.0.1', servers: ['ns1'] },
    ],
    { unbound: true },
  );
  const nodes: RunningNode[] = [];
  let pebble: Pebble | undefined;
  let store: Awaited<ReturnType<typeof sharedTestStore>> | undefined;
  const stop = async () => {
    for (const n of nodes.splice(0)) await n.stop();
    await pebble?.stop();
    await tree.stop();
    store?.dir.remove();
  };
  try {
    const edgeHttpPort = await freePort();
    pebble = await startPebble({ httpPort: edgeHttpPort, dnsServer: `${tree.unbound!.host}:${tree.port}` });
    store = await sharedTestStore([
      `checks.rootServers=${tree.root.host}:${tree.port}`,
      `checks.nameserverPort=${tree.port}`,
      'checks.timeoutMs=400',
      'platform.ttl=300',
      `edge.acme.directoryUrl=${pebble.directoryUrl}`,
      `edge.acme.caFile=${pebble.listenerCaFile}`,
      'edge.acme.email=ops@example.net',
    ]);
    const clock = new ManualClock(new Date());
    const events: NewEvent[] = [];
    const lines: string[] = [];
    const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
    const log: Logger = createLogger({
      level: 'trace',
      format: 'json',
      destination: new Writable({
        write(chunk: Buffer, _e, done) {
          const text = chunk.toString('utf8');
          lines.push(text);
          for (const w of [...waiters])
            if (w.pattern.test(text)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(text);
            }
          done();
        },
      }),
    });
    const shared = store;
    let tenantId = '';
    let domain: SenderDomain | undefined;
    let plan: RecordPlan | undefined;
    const world: AcmeWorld = {
      tree,
      pebble,
      clock,
      events,
      logs: () => lines.join(''),
      nextLog: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
      edgeHttpPort,
      async startNode(options = {}) {
        const node = await shared.start(
          shared.configWith([`edge.httpPort=${edgeHttpPort}`, ...(options.set ?? [])]),
          {
            log,
            runtime: {
              clock,
              events: { emit: (e) => Promise.resolve(void events.push(e)) },
              ...options.runtime,
            },
          },
        );
        nodes.push(node);
        if (domain === undefined) {
          const s = node.services;
          tenantId = (await s.accounts.addTenant('acme')).id;
          domain = await s.domains.add(tenantId, DOMAIN);
          plan = await s.domains.plan(tenantId, DOMAIN);
        }
        return node;
      },
      get tenantId() {
        return tenantId;
      },
      domain: () => domain!,
      plan: () => plan!,
      async customerZone({ clickCname }) {
        const lines = customerLines(plan!, DOMAIN).filter((l) => clickCname || l.name !== 'clicks');
        await tree.updateZone(DOMAIN, body(lines));
      },
      async trackAddress(address) {
        await tree.updateZone('mail.example.net', `track 0 IN A ${address}`);
        await untilUnboundAnswers(tree, address);
      },
      stop,
    };
    return world;
  } catch (error) {
    await stop();
    throw error;
  }
}
