import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode } from '../support/node.ts';

test('a node starts on port 0, serves /healthz and refuses /v1 without a key', async () => {
  const t = await startTestNode();
  try {
    const health = await fetch(`${t.http}/healthz`);
    assert.equal(health.status, 200);
    const denied = await fetch(`${t.http}/v1/domains`);
    assert.equal(denied.status, 401);
    const body = (await denied.json()) as { error: { code: string; requestId: string } };
    assert.equal(body.error.code, 'unauthorized');
    assert.equal(body.error.requestId, denied.headers.get('x-request-id'));
  } finally {
    await t.close();
  }
});
