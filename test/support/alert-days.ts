/**
 * Days of reports and alert passes, as the alerts tests run them: a day's aggregate reports through the real
 * intake, then the pass the next morning (as the node's hourly job would), noting the day each alert first fired.
 */
import assert from 'node:assert/strict';
import type { ManualClock } from '../../src/core/index.ts';
import type { Services } from '../../src/services.ts';
import { aggregateReport, type ReportRow } from './send-log-reports.ts';

/** Stores one reporter's aggregate report of a day, mailed to the domain's token address; asserts it is stored. */
export async function storeDayReport(
  s: Services,
  options: {
    token: string;
    reporter: string;
    day: string;
    rows: readonly ReportRow[];
    /** Stored as an operator's trusted report (verified); otherwise nothing proves its reporter. */
    trusted: boolean;
    reportId?: string;
  },
): Promise<void> {
  const { reporter, day } = options;
  const result = await s.reports.ingest({
    source: [
      aggregateReport({
        reporter,
        domain: 'example.com',
        reportId: options.reportId ?? `${reporter}-${day}`,
        day,
        rows: options.rows,
      }),
    ],
    via: 'smtp',
    trustReporters: options.trusted,
    recipients: [`${options.token}@reports.mail.example.net`],
    name: `${reporter}-${day}.xml.gz`,
  });
  assert.equal(result.outcomes[0]?.status, 'stored', JSON.stringify(result.outcomes));
}

/** Runs the alert pass at 01:00 the day after `day` and notes, per alert, the day it first fired. */
export async function passTheMorningAfter(
  s: Services,
  clock: ManualClock,
  tenantId: string,
  day: string,
  firedOn: Map<string, string>,
): Promise<void> {
  clock.set(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 + 3_600_000));
  await s.alerts.runOnce();
  for (const e of await s.events.list(tenantId, { type: 'alerts', limit: 1000 })) {
    if (e.type === 'alerts.resolved') continue;
    const key = `${e.type}:${String(e.data['subject'])}`;
    if (!firedOn.has(key)) firedOn.set(key, day);
  }
}
