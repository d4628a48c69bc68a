import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RSA_KEY_BITS } from '../../src/dkim/index.ts';
import { startTestNode } from '../support/node.ts';
import { scriptedProbe } from './support.ts';

/** The values a schema of /openapi.json allows, from `enum` entries at any depth (anyOf of literals, or one enum). */
function allowedValues(schema: unknown): unknown[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as { enum?: unknown[]; anyOf?: unknown[] };
  return [...(s.enum ?? []), ...(s.anyOf ?? []).flatMap(allowedValues)];
}

test('the DKIM rsaBits the API documents and accepts are exactly those the rotation policy allows', async () => {
  const t = await startTestNode({ runtime: { probe: scriptedProbe() } });
  try {
    const tenant = await t.services.accounts.addTenant('acme');
    const key = (await t.services.accounts.createApiKey(tenant.id, 'test')).key;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t.http}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    assert.equal((await call('POST', '/v1/domains', { name: 'example.com' })).status, 201);

    const doc = (await call('GET', '/openapi.json')).json;
    const policyInput = doc.components.schemas.DkimPolicyInput.properties.rsaBits;
    assert.deepEqual(allowedValues(policyInput).sort(), [...RSA_KEY_BITS].sort());
    const rotate = doc.paths['/v1/domains/{domain}/dkim/rotate'].post.requestBody.content['application/json'];
    assert.deepEqual(allowedValues(rotate.schema.properties.bits).sort(), [...RSA_KEY_BITS].sort());

    for (const bits of [1024, 2047, 8192]) {
      const refused = await call('PATCH', '/v1/domains/example.com/dkim/policy', { rsaBits: bits });
      assert.equal(refused.status, 422, `rsaBits ${bits}`);
      assert.equal(refused.json.error.code, 'validation_failed');
      assert.match(JSON.stringify(refused.json.error.details), /must be 2048, 3072 or 4096/);
      assert.equal((await call('POST', '/v1/domains/example.com/dkim/rotate', { bits })).status, 422);
    }
    for (const bits of RSA_KEY_BITS) {
      const accepted = await call('PATCH', '/v1/domains/example.com/dkim/policy', { rsaBits: bits });
      assert.equal(accepted.status, 200, `rsaBits ${bits}`);
      assert.equal(accepted.json.effective.rsaBits, bits);
    }
    const cleared = await call('PATCH', '/v1/domains/example.com/dkim/policy', { rsaBits: null });
    assert.equal(cleared.json.effective.rsaBits, 2048);
  } finally {
    await t.close();
  }
});
