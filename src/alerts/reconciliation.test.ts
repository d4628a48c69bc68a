import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile, type SeenRow } from './reconciliation.ts';
import { receiverOfDelivery, receiverOfReporter } from './receivers.ts';

const seen = (reporter: string, messages: number, dkim: 'pass' | 'fail', selector = 'sd1'): SeenRow => ({
  day: '2026-11-30',
  reporter,
  sourceIp: '192.0.2.10',
  messages,
  dmarcPass: dkim === 'pass' ? messages : 0,
  dkimResults: [{ domain: 'example.com', selector, result: dkim, humanResult: null }],
  spfResults: [{ domain: 'bounce.example.com', scope: 'mfrom', result: 'pass', humanResult: null }],
});

test('receivers: a mailbox domain, a hosted domain by its MX, a reporter by its org name', () => {
  assert.equal(receiverOfDelivery('gmail.com', 'gmail-smtp-in.l.google.com'), 'google.com');
  assert.equal(receiverOfDelivery('customer.example', 'aspmx.l.google.com'), 'google.com');
  assert.equal(receiverOfDelivery('corp.example', 'corp-example.mail.protection.outlook.com'), 'microsoft');
  assert.equal(receiverOfDelivery('small.example', 'mx.small.example'), 'small.example');
  assert.equal(receiverOfReporter('Enterprise Outlook'), 'microsoft');
  assert.equal(receiverOfReporter('small.example'), 'small.example');
});

test('reconciliation: coverage, the excess alarm, and DKIM failures by selector as receivers saw them', () => {
  const r = reconcile({
    domain: 'example.com',
    from: '2026-11-30',
    to: '2026-11-30',
    delivered: [
      { day: '2026-11-30', recipientDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', messages: 80 },
      { day: '2026-11-30', recipientDomain: 'customer.example', host: 'aspmx.l.google.com', messages: 20 },
      { day: '2026-11-30', recipientDomain: 'yahoo.com', host: 'mta5.am0.yahoodns.net', messages: 50 },
      { day: '2026-11-30', recipientDomain: 'quiet.example', host: 'mx.quiet.example', messages: 50 },
    ],
    seen: [seen('google.com', 90, 'pass'), seen('google.com', 5, 'fail', 'sd2'), seen('yahoo', 120, 'pass')],
    alarmFloor: 20,
  });
  const row = (receiver: string) => r.rows.find((x) => x.receiver === receiver)!;
  assert.deepEqual(
    [
      row('google.com').sent,
      row('google.com').seen,
      row('google.com').coveragePercent,
      row('google.com').alarm,
    ],
    [100, 95, 95, false],
  );
  assert.deepEqual(
    [row('yahoo').sent, row('yahoo').seen, row('yahoo').excess, row('yahoo').alarm],
    [50, 120, 70, true],
  );
  assert.deepEqual([row('quiet.example').coveragePercent, row('quiet.example').reporters], [0, []]);
  assert.deepEqual(
    row('google.com').dkim.map((d) => [d.selector, d.messages, d.fail, d.failPercent]),
    [
      ['sd1', 90, 0, 0],
      ['sd2', 5, 5, 100],
    ],
  );
  assert.deepEqual(
    [r.totals.sent, r.totals.seen, r.totals.alarms, r.totals.spf.failPercent],
    [200, 215, 1, 0],
  );
  // 95 of google's 100 and 50 of yahoo's 50 (its excess is not coverage), none of quiet.example's 50.
  assert.equal(r.totals.coveragePercent, 72.5);
});
