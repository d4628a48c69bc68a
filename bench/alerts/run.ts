/**
 * Benchmark: one alert pass (issue 21) over many domains, each with 21 days of report roll-ups (two sources, two
 * reporters, one selector) and a send log, in SQLite. Measured: the pass's wall time per domain (the detector's
 * six reads, the reconciliation's three, the detector itself and the state writes). The reference in the same
 * run reads each domain's daily roll-up once through the same store: the pass's cost is printed as a ratio to it.
 *
 *   npm run bench:alerts [-- --domains 500 --messages 5]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ManualClock } from '../../src/core/index.ts';
import { openTestServices } from '../../test/support/node.ts';

const { values } = parseArgs({
  options: {
    domains: { type: 'string', default: '500' },
    messages: { type: 'string', default: '5' },
  },
});
const domainCount = Number(values.domains);
const perDay = Number(values.messages);
const DAYS = 21;
const asOf = Date.parse('2026-11-30T00:00:00Z');
const dayOf = (i: number) => new Date(asOf - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10);

const clock = new ManualClock(new Date(asOf + 86_400_000 + 3_600_000));
const s = await openTestServices({ set: ['platform.egressIps=192.0.2.10'], runtime: { clock } });
try {
  const tenant = await s.accounts.addTenant('bench');
  const loadStart = performance.now();
  const db = s.store.db;
  for (let d = 0; d < domainCount; d++) {
    const domain = await s.domains.add(tenant.id, `d${d}.example.com`);
    const base = { domain_id: domain.id, tenant_id: tenant.id };
    for (let i = 0; i < DAYS; i++) {
      const day = dayOf(i);
      await db
        .insertInto('report_daily')
        .values({
          ...base,
          day,
          reports: 2,
          messages: 1000,
          dmarc_pass: 980,
          dkim_aligned: 980,
          spf_aligned: 990,
          disposition_none: 1000,
          disposition_quarantine: 0,
          disposition_reject: 0,
          tls_successful: 0,
          tls_failed: 0,
          failure_reports: 0,
        })
        .execute();
      await db
        .insertInto('report_daily_sources')
        .values(
          ['192.0.2.10', '198.51.100.7'].map((ip, k) => ({
            ...base,
            day,
            source_ip: ip,
            messages: k === 0 ? 900 : 100,
            dmarc_pass: k === 0 ? 900 : 80,
            dkim_aligned: k === 0 ? 900 : 80,
            spf_aligned: k === 0 ? 900 : 90,
            disposition_quarantine: 0,
            disposition_reject: 0,
            auth_unaligned: 0,
          })),
        )
        .execute();
      await db
        .insertInto('report_daily_reporters')
        .values(
          ['google.com', 'yahoo'].map((reporter) => ({
            ...base,
            day,
            reporter,
            reports: 1,
            messages: 500,
            dmarc_pass: 490,
            duplicates: 0,
            malformed: 0,
            late: 0,
          })),
        )
        .execute();
      await db
        .insertInto('report_daily_selectors')
        .values({
          ...base,
          day,
          signing_domain: domain.name,
          selector: 'sd1',
          messages: 900,
          pass: 895,
          fail: 5,
        })
        .execute();
      const messages = Array.from({ length: perDay }, (_, m) => ({
        id: `m${d}_${i}_${m}`,
        tenantId: tenant.id,
        domainId: domain.id,
        senderDomain: domain.name,
        headerFrom: `news@${domain.name}`,
        submittedMailFrom: `news@${domain.name}`,
        recipients: [],
        signatures: [],
        signingDecision: 'signed',
        clientAddress: '127.0.0.1',
        credential: null,
        size: 1000,
        acceptedAt: `${day}T12:00:00.000Z`,
        status: 'delivered' as const,
        updatedAt: `${day}T12:00:00.000Z`,
      }));
      await s.store.gateway.insertMessages(messages);
      await s.store.gateway.insertAttempts(
        messages.map((m, k) => ({
          messageId: m.id,
          tenantId: tenant.id,
          recipient: `u${k}@gmail.com`,
          at: m.acceptedAt,
          status: 'delivered' as const,
          code: 250,
          reply: '250 OK',
          host: 'gmail-smtp-in.l.google.com',
          tls: true,
        })),
      );
    }
  }
  const loadMs = performance.now() - loadStart;
  const domains = await s.store.alerts.domains();

  const refStart = performance.now();
  for (const d of domains) await s.store.reportStats.daily(d.id, dayOf(0), dayOf(DAYS - 1));
  const refMs = performance.now() - refStart;

  const passStart = performance.now();
  const result = await s.alerts.runOnce();
  const passMs = performance.now() - passStart;

  console.log(
    JSON.stringify(
      {
        domains: domainCount,
        days: DAYS,
        messagesPerDay: perDay,
        loadSeconds: Math.round(loadMs / 100) / 10,
        fired: result.fired,
        passMsPerDomain: Math.round((passMs / domainCount) * 100) / 100,
        referenceMsPerDomain: Math.round((refMs / domainCount) * 100) / 100,
        ratioToReference: Math.round((passMs / refMs) * 10) / 10,
        loadAverage: loadavg()[0],
      },
      null,
      2,
    ),
  );
} finally {
  await s.close();
}
