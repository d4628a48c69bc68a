/** The alert settings over HTTP: defaults, a change kept per tenant (another tenant's stay), refusals with 422. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode } from '../support/node.ts';

test('GET/PUT /v1/alerts/settings: per tenant, partial changes, invalid values refused', async () => {
  const t = await startTestNode({ set: ['alerts.enabled=false'] });
  try {
    const s = t.services;
    const keyOf = async (name: string) =>
      (await s.accounts.createApiKey((await s.accounts.addTenant(name)).id, 'test')).key;
    const [alpha, beta] = [await keyOf('alpha'), await keyOf('beta')];
    const call = async (key: string, method: string, body?: unknown) => {
      const r = await fetch(`${t.http}/v1/alerts/settings`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, json: (await r.json()) as Record<string, unknown> };
    };
    const initial = await call(alpha, 'GET');
    assert.equal(initial.status, 200);
    assert.deepEqual(initial.json, {
      enabled: true,
      disabled: [],
      passRateDropPoints: 10,
      minDailyMessages: 100,
      minSourceMessages: 20,
      confirmDays: 2,
      silentDays: 3,
      baselineDays: 14,
      digest: 'off',
    });
    const changed = await call(alpha, 'PUT', { passRateDropPoints: 25, digest: 'daily' });
    assert.equal(changed.status, 200);
    assert.deepEqual(
      [changed.json['passRateDropPoints'], changed.json['digest'], changed.json['confirmDays']],
      [25, 'daily', 2],
    );
    assert.equal((await call(alpha, 'PUT', { enabled: false })).json['passRateDropPoints'], 25, 'kept');
    assert.deepEqual((await call(beta, 'GET')).json, initial.json, "another tenant's settings are its own");

    const refused = await call(alpha, 'PUT', { confirmDays: 0, disabled: ['no.such.kind'] });
    assert.equal(refused.status, 422);
    assert.equal((await call(alpha, 'PUT', { unknown: 1 })).status, 422);
    assert.equal((await call(alpha, 'GET')).json['confirmDays'], 2, 'nothing of a refused change is saved');
  } finally {
    await t.close();
  }
});
