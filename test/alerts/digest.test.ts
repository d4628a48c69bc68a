/**
 * The digest e-mail (issue 21): opted in per tenant, it carries only what changed since the last one, as text and
 * HTML. It goes through the notification mail path to a real SMTP listener (smtp-server on 127.0.0.1, port 0), its
 * parts are read back with senderd's own MIME walker, and the HTML part is rendered in Chromium, screenshotted
 * into the test's directory and read back from the rendered page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { ManualClock } from '../../src/core/index.ts';
import { MimeParser } from '../../src/mail/index.ts';
import { openTestServices } from '../support/node.ts';
import { CHROMIUM } from '../web/browser.ts';

/** A real SMTP listener that keeps what it is given (no STARTTLS: it has no certificate a client would trust). */
async function smtpSink() {
  const messages: Array<{ rcptTo: string[]; data: Buffer }> = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded leaf parts of a message, by media type, with the message's own header. */
function parts(raw: Buffer): { top: string; byType: Map<string, string> } {
  const parser = new MimeParser({ maxHeaderBytes: 64 * 1024, maxDepth: 4 });
  const byType = new Map<string, string>();
  let top = '';
  for (const e of [...parser.write(raw), ...parser.end()]) {
    if (e.type === 'entity' && e.entity.id === '') top = e.entity.type.mediaType;
    if (e.type === 'data' && e.entity.kind === 'leaf') {
      const t = e.entity.type.mediaType;
      byType.set(t, (byType.get(t) ?? '') + e.data.toString('utf8'));
    }
  }
  return { top, byType };
}

/** Services with e-mail through a real SMTP listener, and a clock the test moves. */
async function digestNode() {
  const sink = await smtpSink();
  const clock = new ManualClock(new Date('2026-11-20T08:00:00Z'));
  const s = await openTestServices({
    set: ['events.email.enabled=true', 'events.email.host=127.0.0.1', `events.email.port=${sink.port}`],
    runtime: { clock },
  });
  return {
    s,
    sink,
    clock,
    close: async () => {
      await s.close();
      await sink.close();
    },
  };
}

test('the daily digest: only what changed, multipart text and HTML, through SMTP, rendered in Chromium', async () => {
  const { s, sink, clock, close } = await digestNode();
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domain = await s.domains.add(tenant.id, 'example.com');
    await s.events.setNotifications(tenant.id, { emailTo: ['ops@example.org'], minSeverity: 'critical' });
    // Before the digest is switched on: not in it.
    await s.events.emit({
      tenantId: tenant.id,
      domainId: domain.id,
      type: 'checks.record.broken',
      severity: 'warning',
      message: 'example.com: an old change, before the digest was switched on.',
      data: {},
    });
    clock.advance(60_000);
    await s.alerts.setSettings(tenant.id, { digest: 'daily' });
    clock.advance(3_600_000);
    await s.events.emit({
      tenantId: tenant.id,
      domainId: domain.id,
      type: 'alerts.reporter.silent',
      severity: 'warning',
      // As the alert pass writes it: the sentence, then the action (which the digest shows on its own).
      message:
        'example.com: Yahoo sent a report on 14 of 14 days up to 2026-11-17, and none since. What to do: Check that the rua= address in _dmarc.example.com still names senderd.',
      data: {
        kind: 'reporter.silent',
        subject: 'yahoo',
        action: 'Check that the rua= address in _dmarc.example.com still names senderd.',
        evidence: { lastDay: '2026-11-17' },
      },
    });
    await s.events.emit({
      tenantId: tenant.id,
      domainId: domain.id,
      type: 'dmarc.step.changed',
      severity: 'info',
      message: 'example.com: the DMARC policy went to p=quarantine pct=25.',
      data: {},
    });
    // Not a change the digest reports on (and a key's text must never reach it).
    await s.events.emit({
      tenantId: tenant.id,
      domainId: domain.id,
      type: 'dkim.key.published',
      severity: 'info',
      message: 'example.com: selector sd3 published.',
      data: {},
    });

    assert.equal((await s.alerts.runOnce()).digests, 0, 'not due yet: a day has not passed');
    clock.advance(86_400_000);
    assert.equal((await s.alerts.runOnce()).digests, 1);
    assert.equal((await s.alerts.runOnce()).digests, 0, 'one digest per day');
    assert.equal(sink.messages.length, 1, 'it reached the SMTP listener');
    const mail = sink.messages[0]!;
    assert.deepEqual(mail.rcptTo, ['ops@example.org']);
    const raw = mail.data.toString('utf8');
    assert.match(raw, /^Subject: \[senderd\] Daily digest for acme: 1 to fix, 2 changes in all/m);
    assert.match(raw, /^From: senderd@mail\.example\.net/m);
    const { top, byType } = parts(mail.data);
    assert.equal(top, 'multipart/alternative');
    const text = byType.get('text/plain')!;
    const html = byType.get('text/html')!;
    assert.match(text, /WARNING alerts\.reporter\.silent \(example\.com\)/);
    assert.match(text, /What to do: Check that the rua= address/);
    assert.equal(text.match(/What to do/g)?.length, 1, 'the action once, not in the sentence as well');
    assert.match(text, /dmarc\.step\.changed/);
    assert.doesNotMatch(
      text + html,
      /an old change|sd3/,
      'only what changed since the digest was switched on',
    );

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
      // The page may fetch nothing: an e-mail's HTML must stand alone.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html);
      const shot = join(s.dir.path, 'digest.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 5_000, 'a screenshot with something on it');
      assert.equal(await page.locator('h1').innerText(), 'senderd daily digest for acme');
      const rows = await page.locator('tr').allInnerTexts();
      assert.equal(rows.length, 2);
      assert.match(
        rows[0]!,
        /warning[\s\S]*alerts\.reporter\.silent · example\.com[\s\S]*What to do: Check that the rua=/,
      );
      assert.match(rows[1]!, /info[\s\S]*dmarc\.step\.changed[\s\S]*p=quarantine pct=25/);
      // The action stands out: its box is drawn (a visible background), not just text.
      const box = await page.locator('.action').first().boundingBox();
      assert.ok(box !== null && box.height > 10 && box.width > 200);
    } finally {
      await browser.close();
    }
  } finally {
    await close();
  }
});

test('a digest with nothing changed is not sent, and the next one starts from there', async () => {
  const { s, sink, clock, close } = await digestNode();
  try {
    const tenant = await s.accounts.addTenant('acme');
    await s.events.setNotifications(tenant.id, { emailTo: ['ops@example.org'] });
    await s.alerts.setSettings(tenant.id, { digest: 'weekly' });
    clock.advance(7 * 86_400_000);
    assert.equal((await s.alerts.runOnce()).digests, 0);
    assert.equal(sink.messages.length, 0);
    clock.advance(86_400_000);
    await s.events.emit({
      tenantId: tenant.id,
      domainId: null,
      type: 'edge.certificate.failed',
      severity: 'warning',
      message: 'clicks.example.com: the certificate order failed.',
      data: {},
    });
    clock.advance(3 * 86_400_000);
    assert.equal((await s.alerts.runOnce()).digests, 0, 'a week since the empty one has not passed');
    clock.advance(3 * 86_400_000);
    assert.equal((await s.alerts.runOnce()).digests, 1);
    assert.match(
      sink.messages[0]!.data.toString('utf8'),
      /Weekly digest for acme: 1 to fix, 1 change in all/,
    );
  } finally {
    await close();
  }
});
