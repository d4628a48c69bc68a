import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../accounts/index.ts';
import { actsAsOwner, ownerRuleFor } from './roles.ts';

const session = (role: Principal['role'], readOnly = false): Principal => ({
  tenantId: 'ten_a',
  tenantName: 'alpha',
  via: 'session',
  role,
  readOnly,
});

test('which requests only an owner may make', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['removing a domain', 'DELETE', '/v1/domains/example.com', 'remove domains'],
    ['changing a domain', 'PATCH', '/v1/domains/example.com', undefined],
    ['removing a DKIM key is not removing the domain', 'DELETE', '/v1/domains/example.com/dkim/x', undefined],
    ['reading the team', 'GET', '/v1/team/users', undefined],
    ['adding to the team', 'POST', '/v1/team/users', 'manage the team'],
    ['changing a role', 'PATCH', '/v1/team/users/usr_1', 'manage the team'],
    ['a new link', 'POST', '/v1/team/users/usr_1/set-password-link', 'manage the team'],
    ['reading API keys', 'GET', '/v1/api-keys', 'see and manage API keys'],
    ['revoking an API key', 'DELETE', '/v1/api-keys/abc', 'see and manage API keys'],
    ['a path that only starts alike', 'GET', '/v1/api-keysmith', undefined],
    ['changing the own password', 'PUT', '/v1/session/password', undefined],
    ['adding a domain', 'POST', '/v1/domains', undefined],
  ];
  for (const [what, method, path, action] of cases) {
    assert.equal(ownerRuleFor(method, path)?.action, action, what);
  }
});

test('who has an owner’s rights', () => {
  assert.equal(actsAsOwner(session('owner')), true);
  assert.equal(actsAsOwner(session('member')), false);
  assert.equal(actsAsOwner(session('operator')), true, 'read-only views are stopped before, in auth.ts');
  assert.equal(actsAsOwner({ tenantId: 't', tenantName: 'a', via: 'api-key', keyId: 'k' }), true);
  assert.equal(actsAsOwner({ tenantId: 't', tenantName: 'a', via: 'cli' }), true);
});
