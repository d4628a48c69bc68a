/**
 * The tenant's choice to accept and drop suppressed recipients: the transaction succeeds, the suppressed recipient
 * gets nothing, the others get the message, and each dropped recipient is an event naming the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent } from '../../src/events/index.ts';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';

async function api(h: Harness, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.node.http}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${h.apiKey}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

test('drop: a suppressed recipient is accepted and dropped with an event; refuse again refuses it at RCPT', async () => {
  const events: NewEvent[] = [];
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }], events });
  try {
    assert.deepEqual((await api(h, '/v1/suppressions/settings')).body, { action: 'refuse' });
    const add = await api(h, '/v1/suppressions', {
      method: 'POST',
      body: JSON.stringify({ address: 'gone@sink.test', why: 'left the company' }),
    });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    const set = await api(h, '/v1/suppressions/settings', {
      method: 'PUT',
      body: JSON.stringify({ action: 'drop' }),
    });
    assert.deepEqual([set.status, set.body], [200, { action: 'drop' }]);
    const bad = await api(h, '/v1/suppressions/settings', {
      method: 'PUT',
      body: JSON.stringify({ action: 'bounce' }),
    });
    assert.equal(bad.status, 422);

    const both = await h.send({
      from: 'a@example.com',
      to: ['gone@sink.test', 'here@sink.test'],
      subject: 'x',
      text: 'x',
    });
    const trace = await waitForTrace(h, both.id, 'delivered');
    assert.deepEqual(
      trace.message.recipients.map((r: any) => r.address),
      ['here@sink.test'],
    );
    const only = await h.send({ from: 'a@example.com', to: 'gone@sink.test', subject: 'y', text: 'y' });
    assert.match(only.response, /^250 .*not queued, every recipient is suppressed/);
    assert.deepEqual(
      h.sink.messages.flatMap((m) => m.rcptTo),
      ['here@sink.test'],
      'nothing reached the suppressed recipient',
    );
    // The events are emitted after the reply: wait for the second.
    const deadline = Date.now() + 10_000;
    while (events.filter((e) => e.type === 'gateway.recipient.dropped').length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const dropped = events.filter((e) => e.type === 'gateway.recipient.dropped');
    assert.deepEqual(
      dropped.map((e) => [(e.data as any).recipient, (e.data as any).reason, (e.data as any).messageId]),
      [
        ['gone@sink.test', 'manual', both.id],
        ['gone@sink.test', 'manual', null],
      ],
    );

    await api(h, '/v1/suppressions/settings', { method: 'PUT', body: JSON.stringify({ action: 'refuse' }) });
    await assert.rejects(
      h.send({ from: 'a@example.com', to: 'gone@sink.test', subject: 'z', text: 'z' }),
      /550 5\.7\.1 <gone@sink\.test>: suppressed by the tenant \(api\)/,
    );
  } finally {
    await h.close();
  }
});
