/**
 * Complaints and mailto unsubscribes end to end on a real node: a message goes out through the gateway to the
 * sink; a feedback report about it arrives over SMTP at the inbound MX's feedback address, is matched to the
 * message, suppresses the recipient (the next message to it is refused at RCPT naming the reason) and becomes an
 * event; a mail to the List-Unsubscribe mailto address does the same for an unsubscribe.
 *
 * The report shapes for the large mailbox providers are written here after their public descriptions, not copied
 * from real reports (which carry other people's mail):
 * - Yahoo's Complaint Feedback Loop (senders.yahooinc.com, "Complaint Feedback Loop"): ARF, Feedback-Type abuse,
 *   User-Agent Yahoo!-Mail-Feedback/2.0, Version 0.1, Original-Mail-From, the original message attached with the
 *   recipient redacted and no Original-Rcpt-To;
 * - Microsoft's Junk Mail Reporting Program (sendersupport.olc.protection.outlook.com/pm/junkmail.aspx): ARF with
 *   User-Agent Microsoft JMRP, the recipient replaced in the copy (X-HmXmrOriginalRecipient), no Return-Path;
 * - AOL's feedback loop (the "AOL SComp" reports, now run by Yahoo): ARF, Version 0.1, the original message
 *   base64-encoded, the recipient redacted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent } from '../../src/events/index.ts';
import { parseUnsubscribeAddress, unsubscribeAddress } from '../../src/gateway/index.ts';
import { verpKeyOnce } from '../../src/node-components.ts';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';
import { toInbound, until } from './inbound-client.ts';
import { arfReport } from '../support/arf-report.ts';

const CRLF = '\r\n';

async function api(h: Harness, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.node.http}${path}`, { headers: { authorization: `Bearer ${h.apiKey}` } });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** The header block of a message the sink received. */
const headerOf = (data: Buffer) => {
  const text = data.toString('utf8');
  return text.slice(0, text.search(/\r?\n\r?\n/));
};

/** The original message as a receiver copies it: the recipient's own address replaced, the rest as it came. */
const redacted = (header: string, recipient: string, replacement: string) =>
  header.split(recipient).join(replacement);

test('feedback loops: Yahoo (VERP), Microsoft JMRP (Received) and AOL (Message-ID) reports suppress the recipient, once each; unmatched and bombs get 250', async () => {
  const events: NewEvent[] = [];
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }], events });
  try {
    const fbl = `fbl@${h.node.services.platform.reportsHost}`;
    const complaints = () => events.filter((e) => e.type === 'gateway.recipient.complained');

    // Yahoo: matched by the VERP return path in Original-Mail-From and the copy's Return-Path.
    const yahoo = await h.send({
      from: 'news@example.com',
      to: 'ann@sink.test',
      subject: 'deals',
      text: 'x',
    });
    await waitForTrace(h, yahoo.id, 'delivered');
    const sentYahoo = h.sink.messages.find((m) => m.rcptTo.includes('ann@sink.test'))!;
    const yahooReport = arfReport({
      from: 'Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>',
      fields: [
        'Feedback-Type: abuse',
        'User-Agent: Yahoo!-Mail-Feedback/2.0',
        'Version: 0.1',
        `Original-Mail-From: <${sentYahoo.mailFrom}>`,
        'Arrival-Date: Mon, 07 Dec 2026 10:00:00 +0000',
        'Source-IP: 192.0.2.25',
        'Reported-Domain: example.com',
      ],
      original: `Return-Path: <${sentYahoo.mailFrom}>${CRLF}${redacted(headerOf(sentYahoo.data), 'ann@sink.test', 'redacted@yahoo.com')}${CRLF}${CRLF}x${CRLF}`,
    });
    assert.match(await toInbound(h, '', fbl, yahooReport), /^250 2\.0\.0 Feedback report received/);
    const first = await until('the complaint event', () => complaints()[0]);
    assert.deepEqual(
      [first.tenantId, first.domainId, first.data.recipient, first.data.messageId, first.data.matchedBy],
      [h.tenantId, h.domains.get('example.com')!.id, 'ann@sink.test', yahoo.id, 'verp'],
    );
    assert.equal(first.data.userAgent, 'Yahoo!-Mail-Feedback/2.0');
    const entry = (await api(h, '/v1/suppressions/ann%40sink.test')).body;
    assert.equal(entry.reason, 'complaint');
    assert.equal(entry.source, 'complaint');
    assert.match(entry.evidence, /Yahoo!-Mail-Feedback\/2\.0/);
    await assert.rejects(
      h.send({ from: 'news@example.com', to: 'ann@sink.test', subject: 'again', text: 'y' }),
      /550 5\.7\.1 <ann@sink\.test>: suppressed after a complaint/,
    );
    // The same report again (feedback loops resend): 250, no second event, and a suppression the tenant removed
    // stays removed.
    const removed = await fetch(
      `${h.node.http}/v1/suppressions/ann%40sink.test?why=${encodeURIComponent('checked')}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${h.apiKey}` },
      },
    );
    assert.equal(removed.status, 204);
    assert.match(await toInbound(h, '', fbl, yahooReport), /^250 /);
    assert.equal((await api(h, '/v1/suppressions/ann%40sink.test')).status, 404);

    // Microsoft JMRP: no Return-Path or Original-Mail-From; the gateway's Received field names the message, and
    // Original-Rcpt-To (not redacted here) picks the recipient among two.
    const jmrp = await h.send({
      from: 'news@example.com',
      to: ['bob@sink.test', 'cat@sink.test'],
      subject: 'deals',
      text: 'x',
    });
    await waitForTrace(h, jmrp.id, 'delivered');
    const sentJmrp = h.sink.messages.find((m) => m.rcptTo.includes('bob@sink.test'))!;
    assert.match(
      await toInbound(
        h,
        'staff@hotmail.com',
        fbl,
        arfReport({
          from: 'staff@hotmail.com',
          fields: [
            'Feedback-Type: abuse',
            'User-Agent: Microsoft JMRP',
            'Version: 1',
            'Original-Rcpt-To: <cat@sink.test>',
          ],
          original: `X-HmXmrOriginalRecipient: <redacted@outlook.com>${CRLF}${headerOf(sentJmrp.data)}${CRLF}${CRLF}x${CRLF}`,
        }),
      ),
      /^250 /,
    );
    const second = await until('the JMRP complaint', () => complaints()[1]);
    assert.deepEqual([second.data.recipient, second.data.matchedBy], ['cat@sink.test', 'received']);

    // AOL: a message without a Message-ID of its own gets the gateway's, which matches; the copy is base64.
    const aol = await h.send({
      envelope: { from: 'news@example.com', to: 'dan@sink.test' },
      raw: `From: news@example.com${CRLF}To: dan@sink.test${CRLF}Subject: deals${CRLF}${CRLF}x${CRLF}`,
    });
    await waitForTrace(h, aol.id, 'delivered');
    const sentAol = h.sink.messages.find((m) => m.rcptTo.includes('dan@sink.test'))!;
    const aolHeader = headerOf(sentAol.data)
      .split(/\r?\n/)
      .filter((l) => !/^(received|\s)/i.test(l) || /^message-id/i.test(l))
      .join(CRLF);
    assert.match(aolHeader, new RegExp(`Message-ID: <${aol.id}@`));
    assert.match(
      await toInbound(
        h,
        '',
        fbl,
        arfReport({
          from: 'scomp@aol.net',
          fields: ['Feedback-Type: abuse', 'User-Agent: AOL SComp', 'Version: 0.1'],
          original: Buffer.from(
            `${redacted(aolHeader, 'dan@sink.test', 'redacted@aol.com')}${CRLF}${CRLF}x${CRLF}`,
          )
            .toString('base64')
            .replace(/.{76}/g, `$&${CRLF}`),
          originalType: `message/rfc822${CRLF}Content-Transfer-Encoding: base64`,
        }),
      ),
      /^250 /,
    );
    const third = await until('the AOL complaint', () => complaints()[2]);
    assert.deepEqual([third.data.recipient, third.data.matchedBy], ['dan@sink.test', 'message-id']);

    // RFC 5965 B.1's report matches nothing of ours: kept as unmatched, 250, no event.
    const unmatched = arfReport({
      from: '<abusedesk@example.com>',
      fields: ['Feedback-Type: abuse', 'User-Agent: SomeGenerator/1.0', 'Version: 1'],
      original: `From: <somespammer@example.net>${CRLF}Message-ID: 8787KJKJ3K4J3K4J3K4J3.mail@example.net${CRLF}${CRLF}Spam${CRLF}`,
    });
    assert.match(await toInbound(h, '', fbl, unmatched), /^250 /);
    assert.equal((await h.node.services.store.feedback.list(null, 10)).length, 1);
    // No original header, a MIME bomb, and a person writing: 250, nothing recorded.
    const bomb = [
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      ...Array.from({ length: 200 }, () => `--m${CRLF}${CRLF}x`),
      '--m--',
      '',
    ].join(CRLF);
    assert.match(await toInbound(h, '', fbl, bomb), /^250 2\.0\.0 Not a feedback report/);
    assert.match(
      await toInbound(h, '', fbl, `Subject: hi${CRLF}${CRLF}hello${CRLF}`),
      /^250 2\.0\.0 No feedback report/,
    );
    await assert.rejects(
      toInbound(h, '', `nobody@${h.node.services.platform.reportsHost}`, unmatched),
      /550/,
    );

    assert.equal(complaints().length, 3, 'one event per complaint, none for the repeat or the unmatched');
    assert.deepEqual(
      (await h.node.services.store.feedback.list(h.tenantId, 10)).map((r) => [r.kind, r.recipient]),
      [
        ['complaint', 'dan@sink.test'],
        ['complaint', 'cat@sink.test'],
        ['complaint', 'ann@sink.test'],
      ],
    );
  } finally {
    await h.close();
  }
});

test('mailto unsubscribe: a mail to the u- address suppresses its recipient once; a forged one is refused 550 5.1.1', async () => {
  const events: NewEvent[] = [];
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }], events });
  try {
    const sent = await h.send({
      from: 'news@example.com',
      to: ['eve@sink.test', 'fay@sink.test'],
      subject: 'n',
      text: 'x',
    });
    await waitForTrace(h, sent.id, 'delivered');
    const key = await verpKeyOnce(h.node.services)();
    const bounceHost = `bounce.${h.node.services.platform.zone}`;
    const address = unsubscribeAddress(key, sent.id, 1, bounceHost);
    assert.deepEqual(parseUnsubscribeAddress(key, address), { messageId: sent.id, recipient: 1 });

    // RFC 2369 §3.2: what the mail says does not matter.
    const mail = `From: fay@sink.test${CRLF}Subject: unsubscribe${CRLF}${CRLF}${CRLF}`;
    assert.match(await toInbound(h, 'fay@sink.test', address, mail), /^250 2\.0\.0 Unsubscribed/);
    const unsubscribed = () => events.filter((e) => e.type === 'gateway.recipient.unsubscribed');
    const event = await until('the unsubscribe event', () => unsubscribed()[0]);
    assert.deepEqual(
      [event.tenantId, event.data.recipient, event.data.messageId, event.data.source],
      [h.tenantId, 'fay@sink.test', sent.id, 'mailto'],
    );
    const entry = (await api(h, '/v1/suppressions/fay%40sink.test')).body;
    assert.deepEqual([entry.reason, entry.source, entry.messageId], ['unsubscribe', 'mailto', sent.id]);
    assert.equal((await api(h, '/v1/suppressions/eve%40sink.test')).status, 404, 'only the named recipient');
    await assert.rejects(
      h.send({ from: 'news@example.com', to: 'fay@sink.test', subject: 'n2', text: 'x' }),
      /550 5\.7\.1 <fay@sink\.test>: the recipient unsubscribed \(mailto\)/,
    );

    // Idempotent: the same mail again changes nothing and sends no second event.
    assert.match(await toInbound(h, 'fay@sink.test', address, mail), /^250 /);
    const forged = address.replace(
      /-([a-z2-7]{8})@/,
      (_m, mac: string) => `-${mac === 'aaaaaaaa' ? 'bbbbbbbb' : 'aaaaaaaa'}@`,
    );
    await assert.rejects(
      toInbound(h, 'x@sink.test', forged, mail),
      /550 5\.1\.1 No such unsubscribe address/,
    );
    const audit = (await api(h, '/v1/suppressions/audit?address=fay%40sink.test')).body.audit;
    assert.equal(audit.length, 1, 'one audit row');
    assert.equal(unsubscribed().length, 1);

    // Removed by the tenant, then asked again: suppressed again, with a second event.
    const removed = await fetch(`${h.node.http}/v1/suppressions/fay%40sink.test?why=re-subscribed`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(removed.status, 204);
    assert.match(await toInbound(h, 'fay@sink.test', address, mail), /^250 /);
    await until('the second unsubscribe event', () => unsubscribed()[1]);
    assert.equal((await api(h, '/v1/suppressions/fay%40sink.test')).body.reason, 'unsubscribe');
  } finally {
    await h.close();
  }
});
