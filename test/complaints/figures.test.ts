/**
 * The figures per domain per day through the API and the CLI, and the complaint-rate events: with a minimum of two
 * deliveries a day, the first complaint among two deliveries crosses both 0.1% and 0.3% (two events, one each);
 * a further complaint the same day crosses nothing new and raises none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/index.ts';
import type { NewEvent } from '../../src/events/index.ts';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';
import { toInbound, until } from './inbound-client.ts';

const CRLF = '\r\n';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A Yahoo-shaped complaint about the message the sink received for `recipient` (see feedback-loop.test.ts). */
async function complain(h: Harness, recipient: string): Promise<void> {
  const sent = h.sink.messages.find((m) => m.rcptTo.includes(recipient))!;
  const raw = [
    'From: feedback@arf.mail.yahoo.com',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
    '',
    '--b',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: Yahoo!-Mail-Feedback/2.0',
    'Version: 0.1',
    `Original-Mail-From: <${sent.mailFrom}>`,
    '',
    '--b--',
    '',
  ].join(CRLF);
  await toInbound(h, '', `fbl@${h.node.services.platform.reportsHost}`, raw);
}

test('figures: API and CLI per day, and one complaint-rate event per threshold crossed', async () => {
  const events: NewEvent[] = [];
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    events,
    set: ['suppression.complaintRateMinimumDelivered=2'],
    sinkDecide: (rcpt) => (rcpt.startsWith('gone') ? { code: 550, text: '5.1.1 no such user' } : null),
  });
  try {
    const sent = await h.send({
      from: 'news@example.com',
      to: ['ann@sink.test', 'bob@sink.test', 'gone@sink.test'],
      subject: 'x',
      text: 'x',
    });
    await waitForTrace(h, sent.id, 'partially-bounced');
    const rate = () => events.filter((e) => e.type === 'gateway.domain.complaint-rate');

    await complain(h, 'ann@sink.test');
    await until('two crossing events', () => (rate().length >= 2 ? rate() : undefined));
    assert.deepEqual(
      rate()
        .map((e) => [e.data.threshold, e.severity, e.data.complaints, e.data.delivered])
        .sort(),
      [
        [0.001, 'warning', 1, 2],
        [0.003, 'critical', 1, 2],
      ],
    );
    await complain(h, 'bob@sink.test');
    await until('the second complaint', () =>
      events.filter((e) => e.type === 'gateway.recipient.complained').length === 2 ? true : undefined,
    );
    assert.equal(rate().length, 2, 'a further complaint crosses nothing new');

    const r = await fetch(`${h.node.http}/v1/domains/example.com/figures?days=7`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as any;
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(body, {
      domain: 'example.com',
      minimumDelivered: 2,
      thresholds: [0.001, 0.003],
      days: [
        {
          day: today,
          sent: 3,
          delivered: 2,
          bounced: { hard: 1, soft: 0, block: 0, unknown: 0 },
          complaints: 2,
          unsubscribes: 0,
          complaintRate: 1,
        },
      ],
    });
    const missing = await fetch(`${h.node.http}/v1/domains/example.org/figures`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(missing.status, 404);

    const configPath = `${h.node.config.dataDir}/senderd.yaml`;
    writeFileSync(
      configPath,
      stringify({ ...h.node.config, http: { ...h.node.config.http, enabled: false } }),
    );
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runCli(['-c', configPath, 'figures', 'example.com', '--days', '7'], {
      env: {},
      cwd: h.node.config.dataDir,
      stdout,
      stderr,
      stdin: Readable.from(['']),
    });
    assert.equal(code, 0, stderr.text);
    assert.match(
      stdout.text,
      /DAY\s+SENT\s+DELIVERED\s+HARD\s+SOFT\s+BLOCK\s+UNKNOWN\s+COMPLAINTS\s+UNSUBS\s+RATE/,
    );
    assert.match(stdout.text, new RegExp(`${today}\\s+3\\s+2\\s+1\\s+0\\s+0\\s+0\\s+2\\s+0\\s+100\\.000% !`));
  } finally {
    await h.close();
  }
});
