/**
 * Reconciliation over a real gateway run (issue 21): messages submitted to senderd's gateway, signed and delivered
 * to an SMTP sink standing for Gmail, Yahoo and Outlook; aggregate reports generated from the send log that run
 * wrote, with a gap (Yahoo sends no report) and a forgery (Outlook counts far more than was delivered there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, waitForTrace } from '../gateway/harness.ts';
import { aggregateReport, platformRowsFromLog, type ReportRow } from '../support/send-log-reports.ts';

const EGRESS = '192.0.2.10';

test('a gateway run reconciled with the reports made from its send log: coverage, a gap, the forgery alarm', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    recipientDomains: ['gmail.com', 'yahoo.com', 'outlook.com'],
    set: [`platform.egressIps=${EGRESS}`, 'alerts.enabled=false'],
  });
  try {
    const recipients = [
      ['ann@gmail.com'],
      ['bob@gmail.com', 'cy@gmail.com'], // one message to two Gmail users: Gmail counts it once
      ['dee@gmail.com'],
      ['eve@yahoo.com'],
      ['fay@yahoo.com'],
      ['gus@outlook.com'],
    ];
    const ids: string[] = [];
    for (const to of recipients) {
      const sent = await h.send({
        from: 'news@example.com',
        to,
        subject: 'Reconciled',
        text: 'A message of the test run.\n',
      });
      ids.push(sent.id);
    }
    for (const id of ids) await waitForTrace(h, id, 'delivered');
    assert.equal(h.sink.messages.length >= 6, true);

    const s = h.node.services;
    const domain = h.domains.get('example.com')!;
    const day = new Date().toISOString().slice(0, 10);
    const fromLog = await platformRowsFromLog(s.store, domain.id, day, EGRESS, {
      selectorPasses: () => true,
    });
    assert.deepEqual(
      [...fromLog].map(([reporter, rows]) => [reporter, rows.map((r) => [r.dkim?.selector, r.count])]).sort(),
      [
        ['Enterprise Outlook', [['sd1', 1]]],
        ['Yahoo', [['sd1', 2]]],
        ['google.com', [['sd1', 3]]],
      ],
      'the log says what the gateway signed and where it went',
    );
    const reports: Array<[string, ReportRow[]]> = [
      ['google.com', fromLog.get('google.com')!],
      // Outlook counts 60 messages from our address as example.com; one was delivered there.
      ['Enterprise Outlook', fromLog.get('Enterprise Outlook')!.map((r) => ({ ...r, count: 60 }))],
    ];
    for (const [reporter, rows] of reports) {
      const result = await s.reports.ingest({
        source: [
          aggregateReport({ reporter, domain: 'example.com', reportId: `${reporter}-run`, day, rows }),
        ],
        via: 'smtp',
        trustReporters: true,
        recipients: [`${domain.token}@reports.mail.example.net`],
      });
      assert.equal(result.outcomes[0]?.status, 'stored');
    }

    const response = await fetch(`${h.node.http}/v1/domains/example.com/reconciliation?days=1&to=${day}`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(response.status, 200);
    const rec = (await response.json()) as {
      rows: Array<{
        receiver: string;
        sent: number;
        seen: number;
        coveragePercent: number | null;
        alarm: boolean;
        dkim: Array<{ selector: string; failPercent: number }>;
      }>;
      totals: { sent: number; alarms: number };
    };
    const row = (receiver: string) => rec.rows.find((r) => r.receiver === receiver)!;
    assert.deepEqual(
      ['google.com', 'yahoo', 'microsoft'].map((r) => [
        r,
        row(r).sent,
        row(r).seen,
        row(r).coveragePercent,
        row(r).alarm,
      ]),
      [
        ['google.com', 3, 3, 100, false],
        ['yahoo', 2, 0, 0, false],
        ['microsoft', 1, 60, 100, true],
      ],
    );
    assert.deepEqual(
      row('google.com').dkim.map((d) => [d.selector, d.failPercent]),
      [['sd1', 0]],
    );
    assert.deepEqual([rec.totals.sent, rec.totals.alarms], [6, 1]);
  } finally {
    await h.close();
  }
});
