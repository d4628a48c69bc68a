/**
 * End to end with a real Postfix as the recipients' server: a message to a mailbox that does not exist is refused
 * by Postfix at RCPT and becomes a hard bounce; the recipient is then on the tenant's suppression list and the
 * next message to it is refused by the gateway at RCPT with a reply that names the reason, while another recipient
 * of the same transaction is accepted; once the mailbox exists and the suppression is removed through the API
 * (who and why in the audit trail), mail to it is accepted and delivered. The same after the fact: a Postfix that
 * accepts every recipient sends a DSN (RFC 3464) for the unknown one to the VERP return path at the inbound MX.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';
import { freePort } from '../support/ports.ts';
import { postfixUnavailable, startPostfix } from '../support/postfix.ts';

async function api(h: Harness, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.node.http}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${h.apiKey}`, ...(init.headers ?? {}) },
  });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unavailable = postfixUnavailable();

test(
  'a hard bounce at a real Postfix suppresses the recipient; the next message is refused at RCPT naming the reason; removing it lets mail through',
  { skip: unavailable ?? false },
  async () => {
    const postfix = await startPostfix('recipient.test');
    let h: Harness | undefined;
    try {
      h = await startHarness({
        domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
        set: [
          'gateway.delivery.mode=smarthost',
          'gateway.delivery.smarthost.host=127.0.0.1',
          `gateway.delivery.smarthost.port=${postfix.port}`,
          'gateway.delivery.smarthost.tls=none',
        ],
      });
      const harness = h;
      const to = 'nobody@recipient.test';
      const first = await harness.send({ from: 'a@example.com', to, subject: 'one', text: 'x' });
      const trace = await waitForTrace(harness, first.id, 'bounced');
      assert.match(trace.attempts[0].reply, /User unknown in virtual mailbox table/, 'Postfix refused it');

      const bounces = (await api(harness, '/v1/bounces')).body.bounces;
      assert.deepEqual(
        bounces.map((b: any) => [b.recipient, b.reason, b.code, b.class, b.status]),
        [[to, 'rejected', 550, 'hard', '5.1.1']],
      );
      const entry = await until('the suppression', async () => {
        const r = await api(harness, `/v1/suppressions/${encodeURIComponent(to)}`);
        return r.status === 200 ? r.body : undefined;
      });
      assert.equal(entry.reason, 'hard-bounce');
      assert.equal(entry.source, 'bounce');
      assert.equal(entry.messageId, first.id);
      assert.equal(entry.expiresAt, null);
      assert.match(entry.evidence, /^550 5\.1\.1 <nobody@recipient\.test>: Recipient address rejected/);

      // The next message: refused at RCPT with the reason, while the other recipient of the transaction is taken.
      const second = await harness.send({
        from: 'a@example.com',
        to: [to, 'postmaster@recipient.test'],
        subject: 'two',
        text: 'x',
      });
      const day = new Date().toISOString().slice(0, 10);
      await assert.rejects(
        harness.send({ from: 'a@example.com', to, subject: 'three', text: 'x' }),
        (e: { responseCode?: number; response?: string }) => {
          assert.equal(e.responseCode, 550);
          assert.equal(
            e.response,
            `550 5.1.1 <${to}>: suppressed after a hard bounce on ${day} (senderd suppression list)`,
          );
          return true;
        },
      );
      await waitForTrace(harness, second.id, 'delivered');
      const secondTrace = (await api(harness, `/v1/messages/${second.id}`)).body;
      assert.deepEqual(
        secondTrace.message.recipients.map((r: any) => r.address),
        ['postmaster@recipient.test'],
        'only the recipient that is not suppressed was accepted',
      );

      // The mailbox is created; the tenant removes the suppression, saying why.
      await postfix.addMailbox('nobody');
      const refused = await api(harness, `/v1/suppressions/${encodeURIComponent(to)}`, { method: 'DELETE' });
      assert.equal(refused.status, 422, 'a removal needs a reason');
      const removed = await api(
        harness,
        `/v1/suppressions/${encodeURIComponent(to)}?why=${encodeURIComponent('the mailbox exists now')}`,
        { method: 'DELETE' },
      );
      assert.equal(removed.status, 204);
      const audit = (await api(harness, `/v1/suppressions/audit?address=${encodeURIComponent(to)}`)).body
        .audit;
      assert.deepEqual(
        audit.map((a: any) => [a.action, a.reason, a.why]),
        [
          ['removed', 'hard-bounce', 'the mailbox exists now'],
          ['added', 'hard-bounce', `hard bounce of message ${first.id}`],
        ],
      );
      assert.match(audit[0].actor, /^api-key:/);
      assert.equal(audit[1].actor, 'gateway');

      const fourth = await harness.send({ from: 'a@example.com', to, subject: 'four', text: 'x' });
      await waitForTrace(harness, fourth.id, 'delivered');
      const mail = await until(`the delivery (Postfix log: ${postfix.log().slice(-2000)})`, () =>
        Promise.resolve(postfix.delivered().find((m) => /Subject: four/.test(m))),
      );
      assert.match(mail, /DKIM-Signature:/);
    } finally {
      await h?.close();
      await postfix.stop();
    }
  },
);

test(
  'a DSN from a real Postfix (accepted, then unknown user) to the VERP return path: hard bounce, refused at RCPT, removed, accepted',
  { skip: unavailable ?? false },
  async () => {
    // The inbound MX's port is fixed first: Postfix relays its DSNs there, and the node starts after Postfix.
    const inboundPort = await freePort();
    const postfix = await startPostfix('recipient.test', { dsnTo: inboundPort });
    let h: Harness | undefined;
    try {
      h = await startHarness({
        domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
        set: [
          `inbound.port=${inboundPort}`,
          'gateway.delivery.mode=smarthost',
          'gateway.delivery.smarthost.host=127.0.0.1',
          `gateway.delivery.smarthost.port=${postfix.port}`,
          'gateway.delivery.smarthost.tls=none',
        ],
      });
      const harness = h;
      const to = 'nobody@recipient.test';
      const first = await harness.send({ from: 'a@example.com', to, subject: 'one', text: 'x' });
      await waitForTrace(harness, first.id, 'delivered');
      const bounce = await until(`the DSN (Postfix log: ${postfix.log().slice(-1500)})`, async () => {
        const bounces = (await api(harness, '/v1/bounces')).body.bounces as any[];
        return bounces.find((b) => b.messageId === first.id);
      });
      assert.deepEqual(
        [bounce.recipient, bounce.reason, bounce.class, bounce.status],
        [to, 'dsn', 'hard', '5.1.1'],
      );
      assert.match(bounce.reply, /^5\.1\.1 .*unknown user: "nobody@recipient\.test"/);
      const entry = (await api(harness, `/v1/suppressions/${encodeURIComponent(to)}`)).body;
      assert.deepEqual([entry.reason, entry.source, entry.messageId], ['hard-bounce', 'bounce', first.id]);

      const day = new Date().toISOString().slice(0, 10);
      await assert.rejects(
        harness.send({ from: 'a@example.com', to, subject: 'two', text: 'x' }),
        (e: { response?: string }) => {
          assert.equal(
            e.response,
            `550 5.1.1 <${to}>: suppressed after a hard bounce on ${day} (senderd suppression list)`,
          );
          return true;
        },
      );

      await postfix.addMailbox('nobody');
      const removed = await api(
        harness,
        `/v1/suppressions/${encodeURIComponent(to)}?why=${encodeURIComponent('the mailbox exists now')}`,
        { method: 'DELETE' },
      );
      assert.equal(removed.status, 204);
      const third = await harness.send({ from: 'a@example.com', to, subject: 'three', text: 'x' });
      await waitForTrace(harness, third.id, 'delivered');
      await until(`the delivery (Postfix log: ${postfix.log().slice(-1500)})`, () =>
        Promise.resolve(postfix.delivered().find((m) => /Subject: three/.test(m))),
      );
    } finally {
      if (process.env.DEBUG_POSTFIX) console.error(postfix.log());
      await h?.close();
      await postfix.stop();
    }
  },
);
