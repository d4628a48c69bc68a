/**
 * Alerts weigh reporters as the DMARC autopilot does (issue 14 item 8): the rua address is public, so anyone can
 * mail a report naming any reporter. Reports nobody verified neither raise an alert (a forged spoofing burst) nor
 * hide one (forged reports in the name of a reporter that fell silent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import { openTestServices } from '../support/node.ts';
import { passTheMorningAfter, storeDayReport } from '../support/alert-days.ts';
import type { ReportRow } from '../support/send-log-reports.ts';

const START = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const dayOf = (i: number) => new Date(START + i * DAY).toISOString().slice(0, 10);

const signed = (count: number): ReportRow => ({
  ip: '198.51.100.20',
  count,
  dkim: { domain: 'example.com', selector: 'sd1', result: 'pass' },
  spf: { domain: 'example.com', result: 'pass' },
  aligned: { dkim: true, spf: true },
});
const spoofed = (count: number): ReportRow => ({
  ip: '203.0.113.99',
  count,
  dkim: null,
  spf: { domain: 'example.com', result: 'softfail' },
  aligned: { dkim: false, spf: false },
});

test('forged (unverified) reports neither raise an alert nor hide one', async () => {
  const clock = new ManualClock(new Date(START));
  const s = await openTestServices({ runtime: { clock } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domain = await s.domains.add(tenant.id, 'example.com');
    const fired = new Map<string, string>();
    for (let i = 0; i < 17; i++) {
      const day = dayOf(i);
      // Verified: google.com every day, yahoo.com until day 11 and then no more.
      const verified: Array<[string, ReportRow[]]> = [
        ['google.com', [signed(200)]],
        ...(i <= 11 ? [['yahoo.com', [signed(100)]] as [string, ReportRow[]]] : []),
      ];
      // Forged from day 12: in yahoo.com's name, with a spoofing burst from an address never seen before.
      const forged: Array<[string, ReportRow[]]> =
        i >= 12 ? [['yahoo.com', [signed(100), spoofed(500)]]] : [];
      for (const [reporters, trusted] of [
        [verified, true],
        [forged, false],
      ] as const) {
        for (const [reporter, rows] of reporters) {
          const reportId = `${reporter}-${day}-${String(trusted)}`;
          await storeDayReport(s, { token: domain.token, reporter, day, rows, trusted, reportId });
        }
      }
      await passTheMorningAfter(s, clock, tenant.id, day, fired);
    }
    const trust = await s.store.reportStats.reporterTrust(
      { tenantId: tenant.id, domainId: domain.id },
      dayOf(12),
      dayOf(16),
    );
    assert.deepEqual(
      trust.filter((t) => t.trust === 'unverified').map((t) => [t.reporter, t.reports]),
      [['yahoo.com', 5]],
      'the forged reports are stored, as unverified',
    );
    // Only the silence of the verified yahoo.com: the forged burst is no pass-rate drop and no new source.
    assert.deepEqual(Object.fromEntries([...fired].sort()), {
      'alerts.reporter.silent:yahoo.com': dayOf(14),
    });
  } finally {
    await s.close();
  }
});
