/**
 * Benchmark: one alert pass (issue 21) over many domains, each with 21 days of verified reports (two a day, two
 * sources, one selector) stored as the intake stores them, and a send log, in SQLite. Measured: the pass's wall time per domain (the detector's
 * six reads, the reconciliation's three, the detector itself and the state writes). The reference in the same
 * run reads each domain's daily roll-up once through the same store: the pass's cost is printed as a ratio to it.
 *
 *   npm run bench:alerts [-- --domains 500 --messages 5]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ManualClock } from '../../src/core/index.ts';
import type { AggregateRecord, NewReport } from '../../src/reports/index.ts';
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
  for (let d = 0; d < domainCount; d++) {
    const domain = await s.domains.add(tenant.id, `d${d}.example.com`);
    for (let i = 0; i < DAYS; i++) {
      const day = dayOf(i);
      // Two verified reports a day (alerts count verified reporters only), stored as the intake stores them.
      for (const reporter of ['google.com', 'yahoo.com']) {
        const report: NewReport = {
          id: `r${d}_${i}_${reporter}`,
          kind: 'aggregate',
          tenantId: tenant.id,
          domainId: domain.id,
          reporter,
          orgName: reporter,
          reporterEmail: `dmarc@${reporter}`,
          externalId: `${reporter}-${day}`,
          policyDomain: domain.name,
          begin: `${day}T00:00:00Z`,
          end: `${day}T23:59:59Z`,
          day,
          receivedAt: `${day}T23:59:59.000Z`,
          via: 'smtp',
          schema: null,
          policy: null,
          dedupKey: `r${d}_${i}_${reporter}`,
        };
        // Google counts the platform's own mail as sent (no reconciliation alarm); the rest is an ESP's.
        const sources: Array<[string, number]> =
          reporter === 'google.com'
            ? [
                ['192.0.2.10', perDay],
                ['198.51.100.7', 500 - perDay],
              ]
            : [['198.51.100.7', 500]];
        const records = sources.map(([ip, count]) => ({
          sourceIp: ip as AggregateRecord['sourceIp'],
          count,
          disposition: 'none' as const,
          dkim: 'pass' as const,
          spf: 'pass' as const,
          headerFrom: domain.name,
          envelopeFrom: null,
          envelopeTo: null,
          reasons: [],
          dkimResults: [{ domain: domain.name, selector: 'sd1', result: 'pass', humanResult: null }],
          spfResults: [],
        }));
        await s.store.reports.beginReport(report);
        await s.store.reports.addRecords(report, records);
        await s.store.reports.completeReport(
          report,
          {
            records: records.length,
            messages: 500,
            dmarcPass: 490,
            dkimAligned: 490,
            spfAligned: 500,
            dispositionNone: 500,
            dispositionQuarantine: 0,
            dispositionReject: 0,
            tlsSuccessful: 0,
            tlsFailed: 0,
            late: false,
            selectors: [{ signingDomain: domain.name, selector: 'sd1', messages: 500, pass: 495, fail: 5 }],
            details: {},
          },
          { trust: 'dkim', reason: 'bench', verifiedDomain: reporter, at: `${day}T23:59:59.000Z` },
        );
      }
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
