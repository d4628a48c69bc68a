/**
 * Suppression per sender domain (issue 18, optional part), on a real node's gateway: an entry scoped to one of
 * the tenant's sender domains refuses the recipient at RCPT only in a transaction whose MAIL FROM is in that
 * domain, with a reply that says so; mail of the tenant's other domain goes to it. A tenant-wide entry refuses it
 * for both. The API reads the entry per scope, and removes one scope without touching the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';

async function api(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.node.http}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${h.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

test('an entry scoped to one sender domain refuses its mail at RCPT and lets the other domain’s through', async () => {
  const h = await startHarness({
    domains: [
      { name: 'news.example', keys: [['rsa-sha256', 'sd1']] },
      { name: 'shop.example', keys: [['rsa-sha256', 'sd1']] },
    ],
  });
  try {
    const to = 'pat@sink.test';
    const q = encodeURIComponent(to);
    const day = new Date().toISOString().slice(0, 10);
    const foreign = await api(h, 'POST', '/v1/suppressions', {
      address: to,
      why: 'x',
      domain: 'other.example',
    });
    assert.equal(foreign.status, 422, 'only a sender domain of the tenant');
    const added = await api(h, 'POST', '/v1/suppressions', {
      address: to,
      why: 'newsletter only',
      domain: 'NEWS.example',
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.domain, 'news.example');

    await assert.rejects(
      h.send({ from: 'letters@news.example', to, subject: 'news', text: 'x' }),
      (e: { response?: string }) => {
        assert.equal(
          e.response,
          `550 5.7.1 <${to}>: suppressed by the tenant (api) on ${day} for mail from news.example (senderd suppression list)`,
        );
        return true;
      },
    );
    const receipt = await h.send({ from: 'orders@shop.example', to, subject: 'receipt', text: 'x' });
    await waitForTrace(h, receipt.id, 'delivered');

    // Read per scope: without a domain only the tenant's own entry counts.
    assert.equal((await api(h, 'GET', `/v1/suppressions/${q}`)).status, 404);
    assert.equal(
      (await api(h, 'GET', `/v1/suppressions/${q}?domain=news.example`)).body.domain,
      'news.example',
    );
    assert.equal((await api(h, 'GET', `/v1/suppressions/${q}?domain=shop.example`)).status, 404);

    // A tenant-wide entry beside it refuses the other domain's mail too; removing it leaves the scoped one.
    assert.equal((await api(h, 'POST', '/v1/suppressions', { address: to, why: 'everything' })).status, 201);
    await assert.rejects(
      h.send({ from: 'orders@shop.example', to, subject: 'receipt 2', text: 'x' }),
      /550 5\.7\.1 <pat@sink\.test>: suppressed by the tenant \(api\) on \d{4}-\d\d-\d\d \(senderd suppression list\)/,
    );
    assert.equal((await api(h, 'DELETE', `/v1/suppressions/${q}?why=sorted`)).status, 204);
    const receipt3 = await h.send({ from: 'orders@shop.example', to, subject: 'receipt 3', text: 'x' });
    await waitForTrace(h, receipt3.id, 'delivered');
    await assert.rejects(
      h.send({ from: 'letters@news.example', to, subject: 'news 2', text: 'x' }),
      /for mail from news\.example/,
    );
    assert.equal((await api(h, 'DELETE', `/v1/suppressions/${q}?why=again&domain=news.example`)).status, 204);
    const news = await h.send({ from: 'letters@news.example', to, subject: 'news 3', text: 'x' });
    await waitForTrace(h, news.id, 'delivered');

    const audit = (await api(h, 'GET', `/v1/suppressions/audit?address=${q}`)).body.audit as any[];
    assert.deepEqual(
      audit.map((a) => [a.action, a.domain, a.why]),
      [
        ['removed', 'news.example', 'again'],
        ['removed', null, 'sorted'],
        ['added', null, 'everything'],
        ['added', 'news.example', 'newsletter only'],
      ],
    );
  } finally {
    await h.close();
  }
});
