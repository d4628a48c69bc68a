/**
 * node bench/edge/click-path.ts [clicks] — senderd's own work per tracked click, in process and without the
 * network: the click route's answer (token verified, message found, 302) and then the recording (classified,
 * stored, its event), each as CPU microseconds per click, over a store like `npm run bench:clicks` uses. The
 * HTTP and TLS work of a request is not in it (bench:clicks measures that, against nginx and bare node:https).
 * BENCH_RECIPIENTS (1): the clicks cycle over that many recipients of one message, each with its own token.
 */
import { openServices } from '../../src/main.ts';
import type { ServedHost } from '../../src/edge/index.ts';
import { signLinkToken } from '../../src/tracking/index.ts';
import { corpusPublicSuffixes, tempDir, testConfig } from '../../test/support/node.ts';

const CLICKS = Number(process.argv[2] ?? 100_000);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1);
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const dir = tempDir('senderd-bench-click-path-');
const s = await openServices(testConfig(dir.path), { publicSuffixes: corpusPublicSuffixes() });
try {
  const tenant = await s.accounts.addTenant('bench');
  const domain = await s.domains.add(tenant.id, 'example.com');
  const accepted = new Date(Date.now() - 3_600_000).toISOString();
  await s.store.gateway.insertMessages([
    {
      id: 'bench-1',
      tenantId: tenant.id,
      domainId: domain.id,
      senderDomain: 'example.com',
      headerFrom: 'news@example.com',
      submittedMailFrom: 'news@example.com',
      recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({
        address: `reader${i}@example.net`,
        envelopeFrom: 'b@bounce.example.com',
      })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '127.0.0.1',
      credential: null,
      size: 1000,
      acceptedAt: accepted,
      status: 'delivered',
      updatedAt: accepted,
    },
  ]);
  const keys = await s.tracking.keys();
  const paths = Array.from(
    { length: RECIPIENTS },
    (_, i) =>
      `/c/${signLinkToken(keys, { kind: 'click', messageId: 'bench-1', recipientId: String(i), linkIndex: 0, url: 'https://example.com/' })}`,
  );
  const host: ServedHost = {
    hostname: 'clicks.example.com',
    role: 'click',
    domain: 'example.com',
    domainId: domain.id,
    tenantId: tenant.id,
    certificateId: 'bench',
  };
  const route = s.edge.routes.match('click', 'GET', paths[0]!);
  if (route.kind !== 'route') throw new Error('no click route');
  const request = (path: string) => ({
    method: 'GET',
    path,
    query: '',
    host,
    secure: true,
    headers: { host: 'clicks.example.com', 'user-agent': UA, accept: '*/*' },
    remoteAddress: '127.0.0.1',
    body: Buffer.alloc(0),
  });
  let next = 0;
  const answer = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const r = await route.route.handle(request(paths[next++ % RECIPIENTS]!));
      if (r.status !== 302) throw new Error(`answered ${r.status}`);
    }
  };
  // CPU inside the store's calls of the recording, by method (the same repository objects the service holds).
  const inStore = new Map<string, number>();
  const timed = (repo: object, names: readonly string[]) => {
    const r = repo as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of names) {
      const original = r[name]!.bind(repo);
      r[name] = async (...args: unknown[]) => {
        const c = process.cpuUsage();
        try {
          return await original(...args);
        } finally {
          const d = process.cpuUsage(c);
          inStore.set(name, (inStore.get(name) ?? 0) + d.user + d.system);
        }
      };
    }
  };
  timed(s.store.tracking, ['recentClicks', 'insertAll', 'reclassify']);
  timed(s.store.events, ['settings', 'insertAll']);
  await answer(2000);
  await s.tracking.service.settled();
  // Answer in slices of 500 and record each slice, so the recording is timed apart from the answers.
  let answerUs = 0;
  let recordUs = 0;
  for (let done = 0; done < CLICKS; done += 500) {
    const a = process.cpuUsage();
    await answer(500);
    const b = process.cpuUsage(a);
    answerUs += b.user + b.system;
    const c = process.cpuUsage();
    await s.tracking.service.settled();
    const d = process.cpuUsage(c);
    recordUs += d.user + d.system;
  }
  inStore.clear();
  for (let done = 0; done < CLICKS; done += 500) {
    await answer(500);
    await s.tracking.service.settled();
  }
  console.log(
    `  of the recording, in the store (µs CPU per click; a second pass): ${[...inStore].map(([k, v]) => `${k} ${(v / CLICKS).toFixed(2)}`).join(', ')}`,
  );
  console.log(
    `${CLICKS} clicks over ${RECIPIENTS} recipient(s): answer ${(answerUs / CLICKS).toFixed(2)} µs CPU per click, record ${(recordUs / CLICKS).toFixed(2)} µs`,
  );
  if (process.env.BENCH_EXPLAIN === '1') {
    const { sql } = await import('kysely');
    const plan =
      await sql`explain query plan select * from (select id, message_id, recipient_index, link_index, at from tracking_events where message_id = ${'bench-1'} and recipient_index = ${5} and kind = 'click' and at >= ${new Date().toISOString()} order by at desc, id desc limit 50) as r0`.execute(
        s.store.db,
      );
    console.log(plan.rows);
    const count = await sql`select count(*) as n from tracking_events`.execute(s.store.db);
    console.log(count.rows);
    for (const first of [0, 200_000]) {
      const keys = Array.from({ length: 500 }, (_, j) => ({
        messageId: 'bench-1',
        recipientIndex: first + j,
      }));
      const c = process.cpuUsage();
      const r = await s.store.tracking.recentClicks(keys, new Date(Date.now() - 2000).toISOString());
      const d = process.cpuUsage(c);
      console.log(
        `recentClicks of 500 from ${first}: ${r.length} rows, ${((d.user + d.system) / 500).toFixed(1)} µs CPU per key`,
      );
    }
  }
} finally {
  await s.close();
  dir.remove();
}
