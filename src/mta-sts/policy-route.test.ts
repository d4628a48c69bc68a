import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainName } from '../domain-name/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import { NOT_FOUND, type EdgeRequest } from '../edge/index.ts';
import { mtaStsPolicyRoute, POLICY_PATH } from './policy-route.ts';

const domain = (mtaSts: SenderDomain['settings']['mtaSts']): SenderDomain => ({
  id: 'dom_1',
  tenantId: 'ten_1',
  name: 'example.com' as DomainName,
  token: 'tok000000001',
  settings: {
    mode: 'delegated',
    bounceLabel: 'bounce',
    clickLabel: 'clicks',
    tracking: true,
    spfMechanisms: [],
    dkimSelectors: [],
    ownDkimSelectors: [],
    mtaSts,
  },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  verifiedAt: '2026-12-01T00:00:00.000Z',
});

const request = (over: Partial<EdgeRequest> = {}, tenantId = 'ten_1'): EdgeRequest => ({
  method: 'GET',
  path: POLICY_PATH,
  query: '',
  secure: true,
  headers: {},
  remoteAddress: '192.0.2.1',
  body: Buffer.alloc(0),
  host: {
    hostname: 'mta-sts.example.com',
    role: 'mta-sts',
    domainId: 'dom_1',
    tenantId,
    domain: 'example.com',
    certificateId: 'cert_1',
  },
  ...over,
});

test('the policy is served over HTTPS only, for the owning tenant, while MTA-STS is on', async () => {
  const sts = { mode: 'none' as const, mx: ['mx1.example.com'], checkedMx: [], checkedAt: null };
  let current: SenderDomain | null = domain(sts);
  const route = mtaStsPolicyRoute({ domainById: () => Promise.resolve(current) });
  const ok = await route.handle(request());
  assert.equal(ok.status, 200);
  assert.equal(ok.headers?.['content-type'], 'text/plain; charset=utf-8');
  assert.equal(ok.body, 'version: STSv1\r\nmode: none\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n');
  // RFC 8461 §3.3: HTTPS only; plain HTTP gets the edge's ordinary 404.
  assert.deepEqual(await route.handle(request({ secure: false })), NOT_FOUND);
  assert.deepEqual(await route.handle(request({}, 'ten_2')), NOT_FOUND);
  current = domain(null);
  assert.deepEqual(await route.handle(request()), NOT_FOUND);
  current = null;
  assert.deepEqual(await route.handle(request()), NOT_FOUND);
});
