import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode, type TestNode } from '../support/node.ts';

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}
interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
}

/** The smallest body the route's schema accepts in shape: required fields only, with placeholder values. */
function minimalBody(doc: OpenApiDoc, op: { requestBody?: { content: Record<string, { schema: Schema }> } }) {
  const schema = op.requestBody?.content['application/json']?.schema;
  if (schema === undefined) return undefined;
  const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!]! : s);
  const value = (s: Schema): unknown => {
    const r = resolve(s);
    if (r.enum) return r.enum[0];
    if (r.type === 'object') {
      return Object.fromEntries((r.required ?? []).map((k) => [k, value(r.properties![k]!)]));
    }
    return r.type === 'boolean'
      ? false
      : r.type === 'number' || r.type === 'integer'
        ? 1
        : r.type === 'array'
          ? []
          : 'x';
  };
  return value(schema);
}

let t: TestNode;
let alpha: string;
let beta: string;

async function call(method: string, path: string, key: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.http}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const json =
    (res.headers.get('content-type') ?? '').includes('json') && text !== ''
      ? (JSON.parse(text) as unknown)
      : undefined;
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

before(async () => {
  t = await startTestNode();
  const a = await t.services.accounts.addTenant('alpha');
  const b = await t.services.accounts.addTenant('beta');
  alpha = (await t.services.accounts.createApiKey(a.id, 'test')).key;
  beta = (await t.services.accounts.createApiKey(b.id, 'test')).key;
});
after(async () => {
  await t.close();
});

describe('domains API', () => {
  test('POST /v1/domains normalises the name, draws a token, and answers 201 with Location', async () => {
    const r = await call('POST', '/v1/domains', alpha, {
      name: 'Bücher.Example.COM',
      spfMechanisms: ['ip4:192.0.2.0/24'],
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, 'xn--bcher-kva.example.com');
    assert.match(r.json.token, /^[a-z2-7]{12}$/);
    assert.equal(r.json.verified, false);
    assert.equal(r.headers.get('location'), '/v1/domains/xn--bcher-kva.example.com');
    assert.ok(!('id' in r.json) && !('tenantId' in r.json), 'internal ids leak into the API');
  });

  test('the same domain twice is 409; another tenant may add it and gets another token', async () => {
    await call('POST', '/v1/domains', alpha, { name: 'twice.example' });
    const again = await call('POST', '/v1/domains', alpha, { name: 'TWICE.example.' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'conflict');
    const other = await call('POST', '/v1/domains', beta, { name: 'twice.example' });
    assert.equal(other.status, 201);
    const mine = await call('GET', '/v1/domains/twice.example', alpha);
    assert.notEqual(mine.json.token, other.json.token);
  });

  test('an invalid name is 422 invalid_domain, with a sentence and a stable reason', async () => {
    const r = await call('POST', '/v1/domains', alpha, { name: 'co.uk' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'invalid_domain');
    assert.match(r.json.error.message, /public suffix/);
    assert.equal(r.json.error.details[0].reason, 'public_suffix');
    assert.equal(r.json.error.requestId, r.headers.get('x-request-id'));
  });

  test('invalid settings are 422 validation_failed, naming each field', async () => {
    const r = await call('POST', '/v1/domains', alpha, {
      name: 'settings.example',
      bounceLabel: '_bounce',
      spfMechanisms: ['ip4:300.1.1.1', 'all'],
      colour: 'blue',
    });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'validation_failed');
    const paths = (r.json.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    assert.deepEqual(paths, ['', 'bounceLabel', 'spfMechanisms.0', 'spfMechanisms.1']);
  });

  test("a customer's own DKIM record is checked with dkim's tag-list rules (RFC 6376 §3.2)", async () => {
    assert.equal((await call('POST', '/v1/domains', alpha, { name: 'own-dkim.example' })).status, 201);
    const patch = async (...records: string[]) => {
      const r = await call('PATCH', '/v1/domains/own-dkim.example', alpha, {
        ownDkimSelectors: records.map((record, i) => ({ selector: `own${i}`, record })),
      });
      const details = (r.json.error?.details ?? []) as Array<{ path: string; message: string }>;
      return { status: r.status, said: details.map((d) => `${d.path}: ${d.message}`) };
    };
    const faulty = [
      'v=DKIM1; k=rsa; p=AAAA; p=BBBB',
      'v=DKIM1; k=rsa; t; p=AAAA',
      'v=DKIM1; k=rsa',
      'v=DKIM2; p=AAAA',
      'v=DKIM1; k=rsa; p=AAAAA',
    ];
    assert.deepEqual(
      await patch(...faulty, 'v=DKIM1; k=rsa; p=café'),
      {
        status: 422,
        said: [
          'ownDkimSelectors.5.record: must be a DKIM key record in printable ASCII, such as "v=DKIM1; k=rsa; p=MIIB..."',
        ],
      },
      'the schema first refuses what cannot go into the zone',
    );
    assert.deepEqual(await patch(...faulty), {
      status: 422,
      said: [
        'ownDkimSelectors.0.record: is not a valid DKIM key record (RFC 6376 §3.2): The tag p= appears twice.',
        'ownDkimSelectors.1.record: is not a valid DKIM key record (RFC 6376 §3.2): "t" is not a tag=value pair.',
        'ownDkimSelectors.2.record: must be a DKIM key record with a p= tag, such as "v=DKIM1; k=rsa; p=MIIB..."',
        'ownDkimSelectors.3.record: has v=DKIM2; a DKIM key record has v=DKIM1 (RFC 6376 §3.6.1)',
        'ownDkimSelectors.4.record: has a p= value that is not base64',
      ],
    });
    assert.deepEqual(await patch('v=DKIM1; k=rsa; p=AAAA;'), { status: 200, said: [] });
  });

  test('a body that is not JSON is 400 bad_request', async () => {
    const r = await call('POST', '/v1/domains', alpha, '{"name": ');
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'bad_request');
  });

  test('PATCH changes settings and the plan follows; DELETE removes the domain', async () => {
    await call('POST', '/v1/domains', alpha, { name: 'patch.example' });
    const r = await call('PATCH', '/v1/domains/patch.example', alpha, {
      mode: 'self-hosted',
      clickLabel: 'go',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.settings.mode, 'self-hosted');
    const plan = await call('GET', '/v1/domains/patch.example/records', alpha);
    assert.ok(plan.json.customer.some((x: { name: string }) => x.name === 'go.patch.example'));
    assert.ok(
      plan.json.customer.some(
        (x: { name: string; type: string }) => x.name === '_dmarc.patch.example' && x.type === 'TXT',
      ),
    );
    assert.equal((await call('DELETE', '/v1/domains/patch.example', alpha)).status, 204);
    assert.equal((await call('GET', '/v1/domains/patch.example', alpha)).status, 404);
  });

  test('the record plan comes as JSON, a BIND snippet, CSV and a table', async () => {
    await call('POST', '/v1/domains', alpha, { name: 'formats.example.com' });
    const json = await call('GET', '/v1/domains/formats.example.com/records', alpha);
    assert.equal(json.status, 200);
    assert.equal(json.json.zone, 'example.com');
    assert.ok(json.json.customer.length >= 7);
    const bind = await call('GET', '/v1/domains/formats.example.com/records?format=bind', alpha);
    assert.match(bind.headers.get('content-type') ?? '', /^text\/dns/);
    assert.match(bind.headers.get('content-disposition') ?? '', /formats\.example\.com\.zone/);
    assert.match(
      bind.text,
      /^_dmarc\.formats\.example\.com\. 3600 IN CNAME [a-z2-7]{12}\.dmarc\.mail\.example\.net\.$/m,
    );
    const csv = await call('GET', '/v1/domains/formats.example.com/records?format=csv&hosted=true', alpha);
    assert.match(csv.text, /^name,host,type,value,ttl,required,purpose,note\r\n/);
    assert.match(csv.text, /\.spf\.mail\.example\.net,/);
    const table = await call('GET', '/v1/domains/formats.example.com/records?format=table', alpha);
    assert.match(table.text, /HOST\s+TYPE\s+NEEDED\s+VALUE/);
    const bad = await call('GET', '/v1/domains/formats.example.com/records?format=xml', alpha);
    assert.equal(bad.status, 422);
  });

  test('no key, a malformed key, an unknown key and a revoked key are all 401', async () => {
    const tenant = await t.services.accounts.tenantByName('alpha');
    const { key, record } = await t.services.accounts.createApiKey(tenant.id, 'to revoke');
    assert.equal((await call('GET', '/v1/domains', key)).status, 200);
    await t.services.accounts.revokeApiKey(tenant.id, record.id);
    for (const k of [null, 'nonsense', `${key.slice(0, -4)}aaaa`, key]) {
      const r = await call('GET', '/v1/domains', k);
      assert.equal(r.status, 401, `key ${k}`);
      assert.equal(r.json.error.code, 'unauthorized');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
  });
});

describe('tenant isolation', () => {
  test("every route with a {domain} in the OpenAPI document treats another tenant's domain as not found", async () => {
    await call('POST', '/v1/domains', alpha, { name: 'private.example' });
    const before = (await call('GET', '/v1/domains/private.example', alpha)).json;
    const doc = (await call('GET', '/openapi.json', null)).json as OpenApiDoc;
    const routes = Object.entries(doc.paths).filter(([path]) => path.includes('{domain}'));
    assert.ok(routes.length >= 2, 'expected the domain routes in the document');
    let checked = 0;
    for (const [path, methods] of routes) {
      for (const [method, op] of Object.entries(methods)) {
        const body = minimalBody(doc, op);
        const concrete = path.replace(/\{(\w+)\}/g, (_, p: string) =>
          p === 'domain' ? '%D%' : 'k0000000000',
        );
        const theirs = await call(
          method.toUpperCase(),
          concrete.replace('%D%', 'private.example'),
          beta,
          body,
        );
        const nowhere = await call(
          method.toUpperCase(),
          concrete.replace('%D%', 'nowhere.example'),
          beta,
          body,
        );
        // Never a success, never a server error, and not even the wording may reveal that the domain exists.
        assert.ok(
          theirs.status >= 400 && theirs.status < 500,
          `${method} ${path}: ${theirs.status} ${theirs.text}`,
        );
        assert.equal(theirs.status, nowhere.status, `${method} ${path}`);
        assert.equal(
          theirs.json.error.message.replace('private', 'X'),
          nowhere.json.error.message.replace('nowhere', 'X'),
        );
        if (body === undefined) assert.equal(theirs.status, 404, `${method} ${path}: ${theirs.text}`);
        checked++;
      }
    }
    assert.ok(checked >= 4);
    // And the owner still has it, untouched.
    assert.deepEqual((await call('GET', '/v1/domains/private.example', alpha)).json, before);
  });

  test("listing shows only the tenant's own domains", async () => {
    const a = (await call('GET', '/v1/domains', alpha)).json.domains as Array<{ name: string }>;
    const b = (await call('GET', '/v1/domains', beta)).json.domains as Array<{ name: string }>;
    assert.ok(a.some((d) => d.name === 'private.example'));
    assert.ok(!b.some((d) => d.name === 'private.example'));
  });
});

describe('OpenAPI', () => {
  test('/openapi.json is an OpenAPI 3.1 document generated from the route schemas', async () => {
    const r = await call('GET', '/openapi.json', null);
    assert.equal(r.status, 200);
    const doc = r.json as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    assert.equal(doc.openapi, '3.1.0');
    for (const p of ['/v1/domains', '/v1/domains/{domain}', '/v1/domains/{domain}/records'])
      assert.ok(doc.paths[p], p);
    for (const s of ['Domain', 'DomainCreate', 'RecordPlan', 'Error'])
      assert.ok(doc.components.schemas[s], s);
    assert.ok(doc.components.securitySchemes.apiKey);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Signing in is how a person gets credentials, so it is the one route without them (with setting the
        // first password through a one-time link, whose token in the body is the credential).
        const signIn = (path === '/v1/session' || path === '/v1/set-password') && method === 'post';
        if (path.startsWith('/v1/') && !signIn)
          assert.ok(op.security && op.security.length > 0, `${method} ${path} has no security`);
      }
    }
  });

  test('unknown routes get the same error shape', async () => {
    const r = await call('GET', '/v1/nothing-here', alpha);
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not_found');
  });
});
