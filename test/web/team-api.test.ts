/**
 * Team management and passwords over real HTTP, on a real node: the role matrix (members are refused what only
 * owners may do, API keys keep tenant-wide rights), adding users with a password or a one-time set-password
 * link, the last owner, tenant isolation, CSRF on every new state-changing route, and password changes ending
 * every other session.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import { OWNER_RULES } from '../../src/api/roles.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { Browser, type Reply } from './http-client.ts';

const PASSWORD = 'correct horse battery staple';
const clock = new ManualClock('2026-11-01T09:00:00Z');
let t: TestNode;
let apiKey: string;
const ids: Record<string, string> = {};

async function signedIn(email: string, password = PASSWORD): Promise<Browser> {
  const b = new Browser(t.http);
  const r = await b.signIn(email, password);
  assert.equal(r.status, 200, `${email} signs in: ${JSON.stringify(r.body)}`);
  return b;
}

function withKey(method: string, path: string, body?: unknown): Promise<Reply> {
  const b = new Browser(t.http);
  return b.request(method, path, {
    body,
    origin: null,
    headers: { authorization: `Bearer ${apiKey}` },
  });
}

function linkToken(r: Reply): string {
  const url = r.body.setPasswordLink.url as string;
  assert.ok(url.startsWith(`${t.http}/set-password#`), url);
  return url.split('#')[1]!;
}

before(async () => {
  t = await startTestNode({
    set: ['dashboard.signInFailures=3', 'dashboard.setPasswordLinkTtl=72h'],
    runtime: { clock },
  });
  const s = t.services;
  const alpha = await s.accounts.addTenant('alpha');
  const beta = await s.accounts.addTenant('beta');
  const ops = await s.accounts.addTenant('ops');
  ids.ann = (await s.accounts.addUser(alpha.id, 'ann@alpha.example', PASSWORD, 'owner')).id;
  ids.max = (await s.accounts.addUser(alpha.id, 'max@alpha.example', PASSWORD, 'member')).id;
  ids.bob = (await s.accounts.addUser(beta.id, 'bob@beta.example', PASSWORD, 'owner')).id;
  ids.olga = (await s.accounts.addUser(ops.id, 'olga@ops.example', PASSWORD, 'operator')).id;
  await s.domains.add(alpha.id, 'alpha.com');
  apiKey = (await s.accounts.createApiKey(alpha.id, 'ci')).key;
});

after(async () => {
  await t?.close();
});

describe('the role matrix', () => {
  test('a member is refused every owner-only request with 403 and a sentence; nothing changes', async () => {
    const max = await signedIn('max@alpha.example');
    const requests: Array<[string, string, unknown?]> = [
      ['DELETE', '/v1/domains/alpha.com'],
      ['POST', '/v1/team/users', { email: 'x@alpha.example', role: 'member' }],
      ['PATCH', `/v1/team/users/${ids.ann}`, { role: 'member' }],
      ['DELETE', `/v1/team/users/${ids.ann}`],
      ['POST', `/v1/team/users/${ids.ann}/set-password-link`],
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'mine' }],
      ['DELETE', '/v1/api-keys/abc'],
    ];
    // Every rule of the table is exercised by at least one request above.
    for (const rule of OWNER_RULES) {
      assert.ok(
        requests.some(([m, p]) => rule.methods.has(m) && rule.path.test(p)),
        `a request for "${rule.action}"`,
      );
    }
    for (const [method, path, body] of requests) {
      const r = await max.request(method, path, { body });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.body.error.code, 'forbidden');
      assert.match(r.body.error.message, /Only an owner of tenant alpha can .+; you are a member/);
    }
    const alpha = (await t.services.accounts.tenantByName('alpha')).id;
    assert.equal((await t.services.domains.list(alpha)).length, 1, 'the domain is still there');
    assert.equal((await t.services.team.list(alpha)).length, 2, 'nobody was added or removed');
  });

  test('a member sees the team read-only and works on the domains', async () => {
    const max = await signedIn('max@alpha.example');
    const list = await max.request('GET', '/v1/team/users');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.users.map((u: { email: string; role: string }) => `${u.email} ${u.role}`),
      ['ann@alpha.example owner', 'max@alpha.example member'],
    );
    assert.ok(list.body.users.every((u: object) => !JSON.stringify(u).includes('scrypt')));
    assert.equal((await max.request('POST', '/v1/domains', { body: { name: 'm.alpha.com' } })).status, 201);
    assert.equal(
      (await max.request('PATCH', '/v1/domains/m.alpha.com', { body: { tracking: false } })).status,
      200,
    );
    // Removing it is for owners.
    assert.equal((await max.request('DELETE', '/v1/domains/m.alpha.com')).status, 403);
    const ann = await signedIn('ann@alpha.example');
    assert.equal((await ann.request('DELETE', '/v1/domains/m.alpha.com')).status, 204);
  });

  test('an API key keeps tenant-wide rights: it lists keys, manages the team and removes domains', async () => {
    assert.equal((await withKey('GET', '/v1/api-keys')).status, 200);
    const made = await withKey('POST', '/v1/api-keys', { name: 'deploy' });
    assert.equal(made.status, 201);
    assert.match(made.body.key, /^sdk_[a-z2-7]{12}_[a-z2-7]{32}$/);
    const listed = await withKey('GET', '/v1/api-keys');
    assert.ok(listed.body.apiKeys.some((k: { name: string }) => k.name === 'deploy'));
    assert.ok(!JSON.stringify(listed.body).includes(made.body.key.split('_')[2]), 'no secret in the list');
    assert.equal((await withKey('DELETE', `/v1/api-keys/${made.body.apiKey.id}`)).status, 204);
    assert.equal((await withKey('POST', '/v1/domains', { name: 'k.alpha.com' })).status, 201);
    assert.equal((await withKey('DELETE', '/v1/domains/k.alpha.com')).status, 204);
    const added = await withKey('POST', '/v1/team/users', { email: 'kim@alpha.example', role: 'member' });
    assert.equal(added.status, 201);
    assert.equal((await withKey('DELETE', `/v1/team/users/${added.body.user.id}`)).status, 204);
  });

  test('the OpenAPI document has the team routes and the 403 of the owner-only ones', async () => {
    const doc = (await (await fetch(`${t.http}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const path of [
      '/v1/team/users',
      '/v1/team/users/{id}',
      '/v1/team/users/{id}/set-password-link',
      '/v1/session/password',
      '/v1/set-password',
      '/v1/api-keys',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    assert.ok(doc.paths['/v1/domains/{domain}']!.delete!.responses['403']);
    assert.ok(doc.paths['/v1/team/users']!.post!.responses['403']);
  });
});

describe('adding users', () => {
  test('with a one-time link: the new user chooses a password, is signed in, and the link is spent', async () => {
    const ann = await signedIn('ann@alpha.example');
    const r = await ann.request('POST', '/v1/team/users', {
      body: { email: 'Nia@Alpha.example', role: 'member' },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.user.email, 'nia@alpha.example');
    assert.equal(r.body.user.passwordSet, false);
    assert.equal(
      r.body.setPasswordLink.expiresAt,
      new Date(clock.now().getTime() + 72 * 3600_000).toISOString(),
    );
    const token = linkToken(r);
    // Only a hash of the token is stored.
    const rows = await t.services.store.db.selectFrom('password_links').selectAll().execute();
    assert.ok(rows.length > 0 && rows.every((row) => !JSON.stringify(row).includes(token)));
    // Before the link is used, the account has no password that works.
    assert.equal((await new Browser(t.http).signIn('nia@alpha.example', '!')).status, 401);

    const nia = new Browser(t.http);
    const short = await nia.request('POST', '/v1/set-password', { body: { token, password: 'short' } });
    assert.equal(short.status, 422);
    const set = await nia.request('POST', '/v1/set-password', {
      body: { token, password: 'nia has a passphrase' },
    });
    assert.equal(set.status, 200);
    assert.equal(set.body.user.email, 'nia@alpha.example');
    assert.equal(set.body.user.role, 'member');
    assert.ok(nia.cookie, 'signed in by the link');
    nia.csrf = set.body.csrfToken;
    assert.equal((await nia.request('GET', '/v1/domains')).status, 200);

    const again = await new Browser(t.http).request('POST', '/v1/set-password', {
      body: { token, password: 'somebody else entirely' },
    });
    assert.equal(again.status, 404);
    assert.match(again.body.error.message, /used already, it has expired/);
    assert.equal((await new Browser(t.http).signIn('nia@alpha.example', 'nia has a passphrase')).status, 200);
    const listed = await ann.request('GET', '/v1/team/users');
    const entry = listed.body.users.find((u: { email: string }) => u.email === 'nia@alpha.example');
    assert.equal(entry.passwordSet, true);
    assert.equal(entry.linkExpiresAt, null);
  });

  test('with an initial password; a duplicate e-mail is 409, a bad one 422', async () => {
    const ann = await signedIn('ann@alpha.example');
    const r = await ann.request('POST', '/v1/team/users', {
      body: { email: 'oli@alpha.example', role: 'owner', password: 'an initial passphrase' },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.setPasswordLink, null);
    assert.equal(
      (await new Browser(t.http).signIn('oli@alpha.example', 'an initial passphrase')).status,
      200,
    );
    const dup = await ann.request('POST', '/v1/team/users', { body: { email: 'bob@beta.example' } });
    assert.equal(dup.status, 409);
    const bad = await ann.request('POST', '/v1/team/users', { body: { email: 'not-an-address' } });
    assert.equal(bad.status, 422);
    const operator = await ann.request('POST', '/v1/team/users', {
      body: { email: 'op@alpha.example', role: 'operator' },
    });
    assert.equal(operator.status, 422, 'the team API does not make operators');
    assert.equal((await ann.request('DELETE', `/v1/team/users/${r.body.user.id}`)).status, 204);
  });

  test('a new link replaces the old one; a garbage token is refused like a used one', async () => {
    const ann = await signedIn('ann@alpha.example');
    const r = await ann.request('POST', '/v1/team/users', { body: { email: 'pia@alpha.example' } });
    const first = linkToken(r);
    const again = await ann.request('POST', `/v1/team/users/${r.body.user.id}/set-password-link`);
    assert.equal(again.status, 201);
    const second = linkToken(again);
    const pia = new Browser(t.http);
    const old = await pia.request('POST', '/v1/set-password', { body: { token: first, password: PASSWORD } });
    assert.equal(old.status, 404);
    for (const token of ['', 'x'.repeat(43), '../../etc/passwd']) {
      const g = await pia.request('POST', '/v1/set-password', { body: { token, password: PASSWORD } });
      assert.equal(g.status, 404, JSON.stringify(token));
    }
    const ok = await pia.request('POST', '/v1/set-password', { body: { token: second, password: PASSWORD } });
    assert.equal(ok.status, 200);
  });
});

describe('the last owner, and other tenants', () => {
  test('the last owner can be neither demoted nor removed (409); with a second owner both work', async () => {
    const ann = await signedIn('ann@alpha.example');
    const demote = await ann.request('PATCH', `/v1/team/users/${ids.ann}`, { body: { role: 'member' } });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.error.code, 'conflict');
    assert.match(demote.body.error.message, /last owner/);
    const remove = await ann.request('DELETE', `/v1/team/users/${ids.ann}`);
    assert.equal(remove.status, 409);

    const promote = await ann.request('PATCH', `/v1/team/users/${ids.max}`, { body: { role: 'owner' } });
    assert.equal(promote.status, 200);
    assert.equal(promote.body.user.role, 'owner');
    // Max's session has an owner's rights from the next request on.
    const max = await signedIn('max@alpha.example');
    assert.equal((await max.request('GET', '/v1/api-keys')).status, 200);
    const back = await max.request('PATCH', `/v1/team/users/${ids.max}`, { body: { role: 'member' } });
    assert.equal(back.status, 200, 'an owner may step down while another owner remains');
    assert.equal((await max.request('GET', '/v1/api-keys')).status, 403, 'at once');
  });

  test("another tenant's user reads as not found, worded like a missing one", async () => {
    const ann = await signedIn('ann@alpha.example');
    for (const [method, suffix, body] of [
      ['PATCH', '', { role: 'member' }],
      ['DELETE', ''],
      ['POST', '/set-password-link'],
    ] as const) {
      const theirs = await ann.request(method, `/v1/team/users/${ids.bob}${suffix}`, { body });
      const none = await ann.request(method, `/v1/team/users/usr_nobody${suffix}`, { body });
      assert.equal(theirs.status, 404, `${method} ${suffix}`);
      assert.equal(
        theirs.body.error.message.replace(ids.bob!, 'X'),
        none.body.error.message.replace('usr_nobody', 'X'),
      );
    }
    const list = await ann.request('GET', '/v1/team/users');
    assert.ok(!JSON.stringify(list.body).includes('beta.example'));
    assert.equal((await t.services.team.list((await t.services.accounts.tenantByName('beta')).id)).length, 1);
  });

  test('operators are managed with the CLI, not by a team', async () => {
    const olga = await signedIn('olga@ops.example');
    const r = await olga.request('PATCH', `/v1/team/users/${ids.olga}`, { body: { role: 'member' } });
    assert.equal(r.status, 403);
    assert.match(r.body.error.message, /operators are managed with the CLI/);
  });

  test('removing a user ends their sessions at once', async () => {
    const ann = await signedIn('ann@alpha.example');
    const r = await ann.request('POST', '/v1/team/users', {
      body: { email: 'quinn@alpha.example', password: 'quinn passphrase' },
    });
    const quinn = await signedIn('quinn@alpha.example', 'quinn passphrase');
    assert.equal((await quinn.request('GET', '/v1/domains')).status, 200);
    assert.equal((await ann.request('DELETE', `/v1/team/users/${r.body.user.id}`)).status, 204);
    assert.equal((await quinn.request('GET', '/v1/domains')).status, 401);
    assert.equal((await new Browser(t.http).signIn('quinn@alpha.example', 'quinn passphrase')).status, 401);
    assert.equal((await ann.request('DELETE', `/v1/team/users/${r.body.user.id}`)).status, 404);
  });
});

describe('CSRF and origin on every new state-changing route', () => {
  test('without the token or from another origin, nothing happens', async () => {
    const ann = await signedIn('ann@alpha.example');
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/v1/team/users', { email: 'csrf@alpha.example' }],
      ['PATCH', `/v1/team/users/${ids.max}`, { role: 'owner' }],
      ['DELETE', `/v1/team/users/${ids.max}`],
      ['POST', `/v1/team/users/${ids.max}/set-password-link`],
      ['POST', '/v1/api-keys', { name: 'csrf' }],
      ['DELETE', '/v1/api-keys/abc'],
      ['PUT', '/v1/session/password', { currentPassword: PASSWORD, newPassword: 'csrf csrf csrf csrf' }],
    ];
    for (const [method, path, body] of routes) {
      const noToken = await ann.request(method, path, { body, csrf: null });
      assert.equal(noToken.status, 403, `${method} ${path} without a token`);
      assert.match(noToken.body.error.message, /CSRF/);
      const evil = await ann.request(method, path, { body, origin: 'https://evil.example' });
      assert.equal(evil.status, 403, `${method} ${path} from another origin`);
    }
    // The link form needs no session, but a post from another site is refused like a sign-in form.
    const r = await ann.request('POST', `/v1/team/users/${ids.max}/set-password-link`);
    const token = linkToken(r);
    const evil = await new Browser(t.http).request('POST', '/v1/set-password', {
      body: { token, password: 'chosen by the attacker' },
      origin: 'https://evil.example',
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.setCookie.length, 0);
    const alpha = (await t.services.accounts.tenantByName('alpha')).id;
    const team = await t.services.team.list(alpha);
    assert.equal(team.find((m) => m.id === ids.max)?.role, 'member');
    assert.ok(!team.some((m) => m.email === 'csrf@alpha.example'));
    assert.equal((await new Browser(t.http).signIn('max@alpha.example', PASSWORD)).status, 200, 'unchanged');
  });
});

describe('changing the own password', () => {
  test('needs the current password; ends every other session; the old password stops working', async () => {
    const here = await signedIn('max@alpha.example');
    const elsewhere = await signedIn('max@alpha.example');
    const oldCookie = here.cookie;
    const wrong = await here.request('PUT', '/v1/session/password', {
      body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
    });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.details[0].path, 'currentPassword');
    const short = await here.request('PUT', '/v1/session/password', {
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    assert.equal(short.status, 422);
    assert.match(short.body.error.message, /at least 12 characters/);

    const ok = await here.request('PUT', '/v1/session/password', {
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    assert.equal(ok.status, 200);
    assert.notEqual(here.cookie, oldCookie, 'a new session id');
    here.csrf = ok.body.csrfToken;
    assert.equal((await here.request('GET', '/v1/domains')).status, 200, 'this browser stays signed in');
    assert.equal((await elsewhere.request('GET', '/v1/domains')).status, 401, 'the other session ended');
    const stale = new Browser(t.http);
    stale.cookie = oldCookie;
    assert.equal((await stale.request('GET', '/v1/domains')).status, 401, 'the old id ended');
    assert.equal((await new Browser(t.http).signIn('max@alpha.example', PASSWORD)).status, 401);
    assert.equal(
      (await new Browser(t.http).signIn('max@alpha.example', 'a brand new passphrase')).status,
      200,
    );
    // An API key has no password to change.
    const byKey = await withKey('PUT', '/v1/session/password', {
      currentPassword: PASSWORD,
      newPassword: 'whatever whatever',
    });
    assert.equal(byKey.status, 400);
  });

  test('wrong current passwords are rate-limited like sign-ins', async () => {
    const b = await signedIn('ann@alpha.example');
    for (let i = 0; i < 3; i++) {
      const r = await b.request('PUT', '/v1/session/password', {
        body: { currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' },
      });
      assert.equal(r.status, 422);
    }
    const locked = await b.request('PUT', '/v1/session/password', {
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(
      (await new Browser(t.http).signIn('ann@alpha.example', PASSWORD)).status,
      429,
      'sign-in too',
    );
    clock.advance(16 * 60_000);
  });

  test('an expired link is refused (last: it moves the clock past every session)', async () => {
    const ann = await signedIn('ann@alpha.example');
    const r = await ann.request('POST', '/v1/team/users', { body: { email: 'ray@alpha.example' } });
    const token = linkToken(r);
    clock.advance(72 * 3600_000);
    const late = await new Browser(t.http).request('POST', '/v1/set-password', {
      body: { token, password: 'too late for this' },
    });
    assert.equal(late.status, 404);
    assert.match(late.body.error.message, /expired/);
  });
});
