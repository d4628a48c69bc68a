/**
 * Benchmark: the dashboard's server-side answers with a large tenant. 1,000 sender domains (and 1,000 more in
 * another tenant), each with a stored check of every planned record, a DMARC policy, two DKIM keys and 20 events.
 * Every request goes over HTTP with a signed-in session cookie, as the browser sends it; the server time is read
 * from the Server-Timing header the API sets (the time inside the handler chain, without the network).
 *
 * Measured: the domains list (first page, last page, a search, a 200-row page) and each request the domain page
 * makes. The reference in the same run is GET /v1/domains, the plain list of all 1,000 domains.
 *
 * The sample domain also receives 1 million aggregate-report rows over its last 30 days (30 daily reports from
 * 20,000 sources, through the real intake: parsing, attribution, roll-ups), and the requests its 30-day report view
 * makes are measured the same way.
 *
 *   npm run bench:dashboard [-- --domains 1000 --runs 30 --report-rows 1000000]
 */
import { parseArgs } from 'node:util';
import type { DomainCheck, Grade, RecordState } from '../../src/checks/index.ts';
import { startTestNode } from '../../test/support/node.ts';
import { record, REPORT_TAIL, reportHead } from '../reports/generate.ts';

const { values } = parseArgs({
  options: {
    domains: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '30' },
    'report-rows': { type: 'string', default: '1000000' },
  },
});
const count = Number(values.domains);
const runs = Number(values.runs);
const reportRows = Number(values['report-rows']);
const TARGET_MS = 1000;
const PASSWORD = 'benchmark password';

const node = await startTestNode({ set: ['dashboard.enabled=false'] });
const s = node.services;
const db = s.store.db;
try {
  const started = performance.now();
  const tenant = await s.accounts.addTenant('bench');
  const other = await s.accounts.addTenant('other');
  await s.accounts.addUser(tenant.id, 'bench@example.com', PASSWORD, 'owner');
  const now = new Date();
  const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  for (const t of [tenant, other]) {
    for (let i = 0; i < count; i++) {
      const name = `d${String(i).padStart(4, '0')}.${t.name}-example.com`;
      const domain = await s.domains.add(t.id, name);
      const plan = await s.domains.planFor(domain);
      const grades = plan.customer.map((_, j): Grade => (j === 3 && i % 7 === 0 ? 'error' : 'perfect'));
      const check: DomainCheck = {
        domain: name,
        mode: 'delegated',
        checkedAt: iso(0),
        grade: grades.includes('error') ? 'error' : 'perfect',
        verification: { verified: true, evidence: `sd1._domainkey.${name}` },
        zone: {
          apex: `${t.name}-example.com`,
          nameservers: [{ name: 'ns1.example.net', address: '192.0.2.53', status: 'ok' }],
          remarks: [],
        },
        records: plan.customer.map((r, j) => ({
          key: `${r.purpose}:${j}`,
          name: r.name,
          type: r.data.type,
          purpose: r.purpose,
          required: r.required,
          expected: JSON.stringify(r.data),
          grade: grades[j]!,
          remarks:
            grades[j] === 'error'
              ? [{ code: 'missing', severity: 'error', message: `There is no record at ${r.name}.` }]
              : [],
          observed: [
            {
              path: 'authoritative',
              server: 'ns1.example.net (192.0.2.53)',
              name: r.name,
              type: r.data.type,
              value: JSON.stringify(r.data),
              ttl: 3600,
            },
          ],
        })),
        stats: { queries: 20, ms: 150 },
      } as unknown as DomainCheck;
      const states: RecordState[] = check.records.map((r) => ({
        key: r.key,
        status: r.grade,
        error: null,
        since: iso(3),
        checkedAt: iso(0),
      }));
      await s.store.checks.save({ domainId: domain.id, tenantId: t.id, check, nextCheckAt: iso(-1) }, states);
      await s.dmarc.step(t.id, name, i % 13, 'bench');
      // Key rows are written directly: the list reads their dates and states, never the key material.
      for (const [k, state] of [
        [1, 'active'],
        [2, 'retired'],
      ] as const) {
        await db
          .insertInto('dkim_keys')
          .values({
            id: `bk_${t.name}_${i}_${k}`,
            tenant_id: t.id,
            domain_id: domain.id,
            selector: `sd${k}`,
            algorithm: 'rsa',
            bits: 2048,
            origin: 'generated',
            state,
            public_key: 'bench',
            fingerprint: `bench${i}${k}`,
            kek_id: 'bench',
            sealed_private_key: 'not a key: benchmark row',
            created_at: iso(40 * k),
            activated_at: iso(40 * k - 3),
            retiring_at: state === 'retired' ? iso(10) : null,
            retired_at: state === 'retired' ? iso(8) : null,
            revoked_at: null,
            unpublished_at: null,
            visible_at: iso(40 * k - 1),
            activation_override: 0,
            revoke_reason: null,
            warnings: '[]',
          })
          .execute();
      }
      await db
        .insertInto('events')
        .values(
          Array.from({ length: 20 }, (_, e) => ({
            id: `ev_${t.name}_${i}_${e}`,
            tenant_id: t.id,
            domain_id: domain.id,
            type: 'checks.record.fixed',
            severity: 'info',
            message: `${name}: a record is fixed (${e}).`,
            data: '{}',
            at: iso(e),
          })),
        )
        .execute();
    }
  }
  process.stdout.write(
    `setup: ${2 * count} domains in 2 tenants, ${((performance.now() - started) / 1000) | 0} s\n`,
  );

  const sample = `d${String(Math.floor(count / 2)).padStart(4, '0')}.bench-example.com`;
  const sampleDomain = await s.domains.get(tenant.id, sample);
  const ingestStarted = performance.now();
  const perDay = Math.ceil(reportRows / 30);
  let stored = 0;
  for (let day = 0; day < 30; day++) {
    const begin = Math.floor((now.getTime() - (day + 1) * 86_400_000) / 1000);
    // Each daily report is generated in chunks, so the whole 1M rows are never held in memory.
    function* chunks() {
      yield Buffer.from(reportHead(sample, `bench-30d-${day}`, begin));
      for (let i = 0; i < perDay; i += 5000) {
        let text = '';
        for (let j = i; j < Math.min(perDay, i + 5000); j++) text += record(sample, day * perDay + j, 20_000);
        yield Buffer.from(text);
      }
      yield Buffer.from(REPORT_TAIL);
    }
    const result = await s.reports.ingest({
      source: chunks(),
      via: 'import',
      recipients: [`${sampleDomain.token}@reports.mail.example.net`],
      name: `bench-${day}.xml`,
    });
    const outcome = result.outcomes[0];
    if (outcome?.status !== 'stored')
      throw new Error(`report ${day} was not stored: ${JSON.stringify(outcome)}`);
    stored += perDay;
  }
  process.stdout.write(
    `reports: ${stored.toLocaleString('en')} report rows for ${sample} over 30 days, ingested in ${((performance.now() - ingestStarted) / 1000).toFixed(1)} s\n`,
  );

  const signIn = await fetch(`${node.http}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: node.http },
    body: JSON.stringify({ email: 'bench@example.com', password: PASSWORD }),
  });
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;

  async function measure(
    path: string,
  ): Promise<{ p50: number; p95: number; max: number; wall: number; bytes: number }> {
    const server: number[] = [];
    const wall: number[] = [];
    let bytes = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const res = await fetch(`${node.http}${path}`, { headers: { cookie } });
      const body = await res.arrayBuffer();
      wall.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body)}`);
      bytes = body.byteLength;
      server.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN));
    }
    server.sort((a, b) => a - b);
    wall.sort((a, b) => a - b);
    const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
    return {
      p50: at(server, 0.5),
      p95: at(server, 0.95),
      max: server[server.length - 1]!,
      wall: at(wall, 0.5),
      bytes,
    };
  }

  const rows: [string, string][] = [
    ['reference: GET /v1/domains (all, plain)', '/v1/domains'],
    ['domains list, first page (50)', '/v1/overview/domains?limit=50'],
    ['domains list, last page (50)', `/v1/overview/domains?limit=50&offset=${count - 50}`],
    ['domains list, search "d09"', '/v1/overview/domains?q=d09&limit=50'],
    ['domains list, 200 rows', '/v1/overview/domains?limit=200'],
    ['domain page: domain', `/v1/domains/${sample}`],
    ['domain page: record plan', `/v1/domains/${sample}/records`],
    ['domain page: latest check', `/v1/domains/${sample}/check`],
    ['domain page: DKIM keys', `/v1/domains/${sample}/dkim/keys`],
    ['domain page: DMARC policy', `/v1/domains/${sample}/dmarc`],
    ['domain page: DMARC impact (14 days)', `/v1/domains/${sample}/dmarc/impact?days=14`],
    ['domain page: events (20)', `/v1/overview/domains/${sample}/events?limit=20`],
    ['report view: 30-day summary (1M rows)', `/v1/reports/domains/${sample}/summary?days=30`],
    ['report view: 30-day sources (1M rows)', `/v1/reports/domains/${sample}/sources?days=30&limit=1000`],
    ['report view: 30-day reporters', `/v1/reports/reporters?days=30&domain=${sample}`],
  ];
  const results: { label: string; p50: number; p95: number; max: number; wall: number; bytes: number }[] = [];
  for (const [label, path] of rows) {
    await measure(path); // warm up
    results.push({ label, ...(await measure(path)) });
  }
  const reference = results[0]!.p50;
  process.stdout.write(`\nserver time (Server-Timing), ${runs} runs each, SQLite store:\n`);
  process.stdout.write(
    `${'request'.padEnd(42)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'wall p50'.padStart(9)} ${'bytes'.padStart(9)} ${'÷ ref'.padStart(6)}\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `${r.label.padEnd(42)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${r.wall.toFixed(1).padStart(9)} ${String(r.bytes).padStart(9)} ${(r.p50 / reference).toFixed(2).padStart(6)}\n`,
    );
  }
  const list = results.filter((r) => r.label.startsWith('domains list'));
  const page = results.filter((r) => r.label.startsWith('domain page'));
  const reportView = results.filter((r) => r.label.startsWith('report view'));
  const reportTotal = reportView.reduce((a, r) => a + r.p95, 0);
  const worstList = Math.max(...list.map((r) => r.max));
  const pageTotal = page.reduce((a, r) => a + r.p95, 0);
  process.stdout.write(
    `\ndomains list: worst ${worstList.toFixed(1)} ms (target < ${TARGET_MS} ms): ${worstList < TARGET_MS ? 'PASS' : 'FAIL'}\n`,
  );
  process.stdout.write(
    `domain page: every request together, p95 sum ${pageTotal.toFixed(1)} ms (target < ${TARGET_MS} ms): ${pageTotal < TARGET_MS ? 'PASS' : 'FAIL'}\n`,
  );
  process.stdout.write(
    `30-day report view with ${stored.toLocaleString('en')} report rows: every request together, p95 sum ${reportTotal.toFixed(1)} ms (target < ${TARGET_MS} ms): ${reportTotal < TARGET_MS ? 'PASS' : 'FAIL'}\n`,
  );
  if (worstList >= TARGET_MS || pageTotal >= TARGET_MS || reportTotal >= TARGET_MS) process.exitCode = 1;
} finally {
  await node.close();
}
