/**
 * Alerts over real-shaped report streams (issue 21): twenty days of a gateway's send log, aggregate reports
 * generated from it for Google, Yahoo and Microsoft through the real intake, with deliberate gaps, blips and
 * forgeries, and the alert pass run once a day as the node would. Every alert fires once, names its evidence and
 * its action, and nothing fires on a one-day blip or a small excess.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import type { PlatformEvent } from '../../src/events/index.ts';
import { openTestServices } from '../support/node.ts';
import { passTheMorningAfter, storeDayReport } from '../support/alert-days.ts';
import { logSends, platformRowsFromLog, type ReportRow } from '../support/send-log-reports.ts';

const EGRESS = '192.0.2.10';
const ESP = '203.0.113.5';
const CRM = '198.51.100.7';
const START = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const dayOf = (i: number) => new Date(START + i * DAY).toISOString().slice(0, 10);

/** Mail an ESP sends as the domain, signed d=example.com with its own selector. */
const esp = (count: number, pass: boolean): ReportRow => ({
  ip: ESP,
  count,
  dkim: { domain: 'example.com', selector: 'esp1', result: pass ? 'pass' : 'fail' },
  spf: { domain: 'esp.example', result: 'pass' },
  aligned: { dkim: pass, spf: false },
});
/** Unauthenticated mail as the domain (a CRM nobody set up, or a spoofer). */
const unauthenticated = (ip: string, count: number): ReportRow => ({
  ip,
  count,
  dkim: null,
  spf: { domain: 'example.com', result: 'softfail' },
  aligned: { dkim: false, spf: false },
});

test('twenty days of send log and reports: each alert fires once with its evidence, blips never', async () => {
  const clock = new ManualClock(new Date(START));
  const s = await openTestServices({ set: [`platform.egressIps=${EGRESS}`], runtime: { clock } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domain = await s.domains.add(tenant.id, 'example.com');
    await s.events.setNotifications(tenant.id, { emailTo: ['ops@example.org'], minSeverity: 'warning' });
    const firedOn = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const day = dayOf(i);
      // The rotation: from day 15 the gateway signs with sd2, whose key the receivers cannot find.
      const selector = i < 15 ? 'sd1' : 'sd2';
      await logSends(s.store, {
        tenantId: tenant.id,
        domainId: domain.id,
        domain: 'example.com',
        day,
        signature: {
          signingDomain: 'example.com',
          selector,
          algorithm: 'rsa-sha256',
          keyId: `key-${selector}`,
        },
        sends: [
          { recipientDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', messages: 80 },
          { recipientDomain: 'yahoo.com', host: 'mta5.am0.yahoodns.net', messages: 40 },
          { recipientDomain: 'outlook.com', host: 'outlook-com.olc.protection.outlook.com', messages: 40 },
        ],
      });
      const fromLog = await platformRowsFromLog(s.store, domain.id, day, EGRESS, {
        selectorPasses: (sel) => sel !== 'sd2',
      });
      const google = fromLog.get('google.com')!.map((r) => ({ ...r, count: Math.round(r.count * 0.75) })); // a gap
      const extra: Record<string, ReportRow[]> = {
        'google.com': [
          // The ESP passes, fails for a one-day blip on day 8, and fails for good from day 16.
          esp(30, i !== 8 && i < 16),
          // A CRM nobody set up starts sending on day 12.
          ...(i >= 12 ? [unauthenticated(CRM, 40)] : []),
        ],
        Yahoo: i === 6 ? [unauthenticated('203.0.113.99', 500)] : [], // a one-day spoofing burst
        'Enterprise Outlook': [],
      };
      const outlook = fromLog.get('Enterprise Outlook')!.map((r) =>
        // Day 5: five more than sent (a day-boundary shift, no alarm); day 18: 300 against 40 sent (forgery).
        i === 5 ? { ...r, count: r.count + 5 } : i === 18 ? { ...r, count: 300 } : r,
      );
      const reports: Array<[string, ReportRow[]]> = [
        ['google.com', [...google, ...extra['google.com']!]],
        ['Enterprise Outlook', outlook],
        // Yahoo reports daily until day 10, then falls silent.
        ...(i <= 10
          ? [['Yahoo', [...fromLog.get('Yahoo')!, ...extra['Yahoo']!]] as [string, ReportRow[]]]
          : []),
      ];
      for (const [reporter, rows] of reports)
        await storeDayReport(s, { token: domain.token, reporter, day, rows, trusted: true });
      await passTheMorningAfter(s, clock, tenant.id, day, firedOn);
    }
    // Twice more: nothing new fires.
    const before = (await s.events.list(tenant.id, { type: 'alerts', limit: 1000 })).length;
    await s.alerts.runOnce();
    await s.alerts.runOnce();
    const events: PlatformEvent[] = await s.events.list(tenant.id, { type: 'alerts', limit: 1000 });
    assert.equal(events.length, before, 'the same conditions fire no second time');

    assert.deepEqual(Object.fromEntries([...firedOn].sort()), {
      'alerts.dkim.selector-failing:sd2._domainkey.example.com': dayOf(16),
      'alerts.dmarc.pass-rate-dropped:': dayOf(13),
      'alerts.reconciliation.excess:microsoft': dayOf(18),
      'alerts.reporter.silent:yahoo': dayOf(13),
      'alerts.source.failing:203.0.113.5': dayOf(17),
      'alerts.source.new:198.51.100.7': dayOf(13),
    });
    // Day 18's forged mail passes SPF from our address and lifts the day's pass rate: the drop no longer holds
    // on both recent days, and clears once (it would fire again, once, if it held for two days more).
    const resolved = events.filter((e) => e.type === 'alerts.resolved');
    assert.deepEqual(
      resolved.map((e) => [e.data['kind'], e.at.slice(0, 10)]),
      [['dmarc.pass-rate-dropped', dayOf(19)]],
    );
    const count = new Map<string, number>();
    for (const e of events.filter((x) => x.type !== 'alerts.resolved')) {
      const key = `${e.type}:${String(e.data['subject'])}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    for (const [key, n] of count) assert.equal(n, 1, `${key} fired ${n} times`);

    const byType = (type: string) => events.find((e) => e.type === type)!;
    const evidence = (type: string) => byType(type).data['evidence'] as Record<string, unknown>;
    assert.deepEqual(evidence('alerts.reconciliation.excess'), {
      receiver: 'microsoft',
      day: dayOf(18),
      sent: 40,
      seen: 300,
      excess: 260,
    });
    assert.equal(byType('alerts.reconciliation.excess').severity, 'critical');
    assert.deepEqual(
      [evidence('alerts.reporter.silent')['lastDay'], evidence('alerts.reporter.silent')['stillReporting']],
      [dayOf(10), ['enterprise outlook', 'google.com']],
    );
    assert.equal(evidence('alerts.dkim.selector-failing')['firstDay'], dayOf(15));
    assert.deepEqual(evidence('alerts.dmarc.pass-rate-dropped')['topFailingSource'], {
      source: CRM,
      failingMessages: 80,
    });
    assert.equal(
      evidence('alerts.source.failing')['baselinePercent'],
      100 - Math.round((1000 * 1) / 14) / 10,
    );
    for (const e of events.filter((x) => x.type !== 'alerts.resolved')) {
      assert.equal(typeof e.data['action'], 'string', e.type);
      assert.match(e.message, /What to do: /, e.type);
    }
    assert.match(
      String(byType('alerts.dkim.selector-failing').data['action']),
      /sd2\._domainkey\.example\.com/,
    );
    // Alerts are events: each warning or critical one is queued for the tenant's e-mail, once; info is only listed.
    for (const e of events) {
      const deliveries = await s.store.events.deliveriesOf(e.id);
      assert.deepEqual(
        deliveries.map((d) => [d.channel, d.target]),
        e.severity === 'info' ? [] : [['email', 'ops@example.org']],
        e.type,
      );
    }

    // Switching a kind off stops it being looked at; it does not make it "resolved".
    await s.alerts.setSettings(tenant.id, { disabled: ['reporter.silent'] });
    await s.alerts.runOnce();
    assert.deepEqual(
      (await s.events.list(tenant.id, { type: 'alerts.resolved', limit: 10 })).map((e) => e.data['kind']),
      ['dmarc.pass-rate-dropped'],
    );

    // The reconciliation of the last days, as the API and the domain page show it.
    const rec = await s.alerts.reconciliation(tenant.id, 'example.com', 3);
    const row = (day: string, receiver: string) =>
      rec.rows.find((r) => r.day === day && r.receiver === receiver)!;
    assert.deepEqual(
      [
        row(dayOf(18), 'google.com').sent,
        row(dayOf(18), 'google.com').seen,
        row(dayOf(18), 'google.com').coveragePercent,
      ],
      [80, 60, 75],
      'the deliberate gap: Google counted three quarters',
    );
    assert.equal(row(dayOf(18), 'microsoft').alarm, true);
    assert.equal(row(dayOf(19), 'microsoft').alarm, false);
    assert.deepEqual([row(dayOf(19), 'yahoo').sent, row(dayOf(19), 'yahoo').seen], [40, 0], 'silent Yahoo');
    assert.deepEqual(
      row(dayOf(19), 'google.com').dkim.map((d) => [d.selector, d.failPercent]),
      [['sd2', 100]],
      'our own failures as Google saw them, by selector',
    );
  } finally {
    await s.close();
  }
});
