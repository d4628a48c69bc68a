import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode, type TestNode } from '../support/node.ts';

/** /openapi.json must say what the server does: the errors each operation can give, for every operation. */
interface Operation {
  security?: unknown[];
  parameters?: Array<{ in: string }>;
  requestBody?: { content?: Record<string, unknown> };
  responses: Record<string, unknown>;
}

let node: TestNode;
let operations: Array<{ method: string; path: string; op: Operation }>;

before(async () => {
  node = await startTestNode();
  const doc = (await (await fetch(`${node.http}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path, op })),
  );
  assert.ok(operations.length > 30, 'the document lists the API');
});

after(async () => {
  await node?.close();
});

test('every operation that needs a key documents 401, and answers 401 without one', async () => {
  for (const { method, path, op } of operations) {
    if ((op.security?.length ?? 0) === 0) continue;
    assert.ok('401' in op.responses, `${method.toUpperCase()} ${path} does not document 401`);
    const url = node.http + path.replace(/\{[^}]+\}/g, 'example.com');
    const r = await fetch(url, { method: method.toUpperCase() });
    assert.equal(r.status, 401, `${method.toUpperCase()} ${path} answered ${r.status} without a key`);
  }
});

test('every operation whose query or JSON body is checked documents 422, and JSON bodies document 400', () => {
  for (const { method, path, op } of operations) {
    const query = (op.parameters ?? []).some((p) => p.in === 'query');
    const json = op.requestBody?.content?.['application/json'] !== undefined;
    if (query || json)
      assert.ok('422' in op.responses, `${method.toUpperCase()} ${path} does not document 422`);
    if (json) assert.ok('400' in op.responses, `${method.toUpperCase()} ${path} does not document 400`);
  }
});

test('a body without Content-Type: application/json is a 400 that says which header to send', async () => {
  const tenant = await node.services.accounts.addTenant('acme');
  const { key } = await node.services.accounts.createApiKey(tenant.id, 'test');
  const r = await fetch(`${node.http}/v1/domains`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: JSON.stringify({ name: 'example.com' }),
  });
  assert.equal(r.status, 400);
  const body = (await r.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'bad_request');
  assert.match(body.error.message, /Content-Type: application\/json/);
});

test('POST /v1/smtp-credentials refuses a key it does not know, like every other body', async () => {
  const tenant = await node.services.accounts.addTenant('beta');
  const { key } = await node.services.accounts.createApiKey(tenant.id, 'test');
  const post = (body: string) =>
    fetch(`${node.http}/v1/smtp-credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
  const typo = await post(JSON.stringify({ label: 'newsletter' }));
  assert.equal(typo.status, 422, 'a typo is not silently a credential named "smtp"');
  const good = await post(JSON.stringify({ name: 'newsletter' }));
  assert.equal(good.status, 201);
  assert.equal(((await good.json()) as { name: string }).name, 'newsletter');
  const empty = await fetch(`${node.http}/v1/smtp-credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(empty.status, 201, 'the body is optional');
});
