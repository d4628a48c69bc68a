/**
 * Sign-in and sessions over real HTTP: cookies, CSRF and Origin checks, fixation, sign-out, expiry, the sign-in
 * rate limit, tenant isolation through a session, and the operator's read-only and operator views.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { Browser } from './http-client.ts';

const PASSWORD = 'correct horse battery staple';
const clock = new ManualClock('2026-11-01T09:00:00Z');
let t: TestNode;
let apiKey: string;

before(async () => {
  t = await startTestNode({
    set: ['dashboard.sessionIdle=30m', 'dashboard.sessionMaxAge=8h', 'dashboard.signInFailures=3'],
    runtime: { clock },
  });
  const s = t.services;
  const alpha = await s.accounts.addTenant('alpha');
  const beta = await s.accounts.addTenant('beta');
  const ops = await s.accounts.addTenant('ops');
  await s.accounts.addUser(alpha.id, 'ann@alpha.example', PASSWORD, 'owner');
  await s.accounts.addUser(alpha.id, 'max@alpha.example', PASSWORD, 'member');
  await s.accounts.addUser(beta.id, 'bob@beta.example', PASSWORD, 'owner');
  await s.accounts.addUser(ops.id, 'olga@ops.example', PASSWORD, 'operator');
  await s.domains.add(alpha.id, 'alpha.com');
  await s.domains.add(beta.id, 'beta-only.com');
  await s.domains.add(beta.id, 'beta-two.com');
  apiKey = (await s.accounts.createApiKey(alpha.id, 'test')).key;
});

after(async () => {
  await t?.close();
});

test('without a session or key every /v1 route is 401; health stays open', async () => {
  const b = new Browser(t.http);
  for (const path of ['/v1/domains', '/v1/session', '/v1/overview/domains', '/v1/operator/tenants']) {
    const r = await b.request('GET', path);
    assert.equal(r.status, 401, path);
    assert.equal(r.body.error.code, 'unauthorized');
  }
  assert.equal((await b.request('GET', '/healthz')).status, 200);
});

test('sign-in sets an HttpOnly, SameSite=Lax session cookie, and the session acts for its tenant', async () => {
  const b = new Browser(t.http);
  const wrong = await b.signIn('ann@alpha.example', 'not the password');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.setCookie.length, 0);
  const unknown = await b.signIn('nobody@alpha.example', PASSWORD);
  assert.equal(unknown.status, 401);
  assert.equal(
    unknown.body.error.message,
    wrong.body.error.message,
    'unknown user and wrong password look alike',
  );

  const r = await b.signIn('Ann@Alpha.example', PASSWORD);
  assert.equal(r.status, 200);
  assert.equal(r.body.user.email, 'ann@alpha.example');
  assert.equal(r.body.tenant.name, 'alpha');
  assert.equal(r.body.access, 'user');
  assert.match(r.body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  const cookie = r.setCookie[0]!;
  assert.match(cookie, /^senderd_session=[A-Za-z0-9_-]{43}; /);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Secure/, 'plain HTTP: no Secure flag (it would be dropped)');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  // Only a hash of the secret is stored.
  const secret = b.cookie!.split('=')[1]!;
  const rows = await t.services.store.db.selectFrom('sessions').selectAll().execute();
  assert.ok(rows.length > 0);
  assert.ok(rows.every((row) => !JSON.stringify(row).includes(secret)));

  const list = await b.request('GET', '/v1/domains');
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.domains.map((d: { name: string }) => d.name),
    ['alpha.com'],
  );
  const me = await b.request('GET', '/v1/session');
  assert.equal(me.body.csrfToken, r.body.csrfToken);
});

test('a state-changing request needs the CSRF token and our Origin', async () => {
  const b = new Browser(t.http);
  await b.signIn('ann@alpha.example', PASSWORD);
  const body = { name: 'csrf.alpha.com' };
  const noToken = await b.request('POST', '/v1/domains', { body, csrf: null });
  assert.equal(noToken.status, 403);
  assert.match(noToken.body.error.message, /CSRF/);
  const badToken = await b.request('POST', '/v1/domains', { body, csrf: 'x'.repeat(43) });
  assert.equal(badToken.status, 403);
  const crossOrigin = await b.request('POST', '/v1/domains', { body, origin: 'https://evil.example' });
  assert.equal(crossOrigin.status, 403);
  assert.match(crossOrigin.body.error.message, /evil\.example/);
  const sameHostOtherPort = await b.request('POST', '/v1/domains', {
    body,
    origin: t.http.replace(/:\d+$/, ':1'),
  });
  assert.equal(sameHostOtherPort.status, 403);
  const noOrigin = await b.request('POST', '/v1/domains', { body, origin: null });
  assert.equal(noOrigin.status, 403);
  const viaReferer = await b.request('DELETE', '/v1/domains/nothing.alpha.com', {
    origin: null,
    headers: { referer: `${t.http}/domains` },
  });
  assert.equal(viaReferer.status, 404, 'a same-origin Referer stands in for a missing Origin');
  // Nothing was created by the refused requests.
  assert.equal(
    (await t.services.domains.list((await t.services.accounts.tenantByName('alpha')).id)).length,
    1,
  );

  const okay = await b.request('POST', '/v1/domains', { body });
  assert.equal(okay.status, 201);
  assert.equal((await b.request('DELETE', '/v1/domains/csrf.alpha.com')).status, 204);
  // A sign-in form posted from another site is refused too (login CSRF).
  const fresh = new Browser(t.http);
  const login = await fresh.request('POST', '/v1/session', {
    body: { email: 'ann@alpha.example', password: PASSWORD },
    origin: 'https://evil.example',
  });
  assert.equal(login.status, 403);
  assert.equal(login.setCookie.length, 0);
});

test('an API key needs no CSRF token: it is not sent by browsers on their own', async () => {
  const r = await fetch(`${t.http}/v1/domains`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'key.alpha.com' }),
  });
  assert.equal(r.status, 201);
  const d = await fetch(`${t.http}/v1/domains/key.alpha.com`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(d.status, 204);
});

test("another tenant's domain is not found through a session, worded like a missing one", async () => {
  const b = new Browser(t.http);
  await b.signIn('ann@alpha.example', PASSWORD);
  for (const path of [
    '/v1/domains/beta-only.com',
    '/v1/domains/beta-only.com/records',
    '/v1/domains/beta-only.com/dmarc',
    '/v1/domains/beta-only.com/dkim/keys',
  ]) {
    const theirs = await b.request('GET', path);
    const none = await b.request('GET', path.replace('beta-only.com', 'absent-domain.com'));
    assert.equal(theirs.status, 404, path);
    assert.equal(
      theirs.body.error.message.replace('beta-only.com', 'X'),
      none.body.error.message.replace('absent-domain.com', 'X'),
    );
  }
  const step = await b.request('POST', '/v1/domains/beta-only.com/dmarc/step', { body: { to: 'forward' } });
  assert.equal(step.status, 404);
  const overview = await b.request('GET', '/v1/overview/domains');
  assert.deepEqual(
    overview.body.domains.map((d: { name: string }) => d.name),
    ['alpha.com'],
  );
});

test('session fixation: a planted session id never becomes a signed-in session', async () => {
  // The attacker signs in with their own account and plants that cookie in the victim's browser.
  const attacker = new Browser(t.http);
  await attacker.signIn('bob@beta.example', PASSWORD);
  const planted = attacker.cookie!;
  const victim = new Browser(t.http);
  victim.cookie = planted;
  const r = await victim.signIn('ann@alpha.example', PASSWORD);
  assert.equal(r.status, 200);
  assert.notEqual(victim.cookie, planted, 'sign-in issues a new session id');
  // The planted id is discarded: neither the attacker nor anyone else can use it now.
  assert.equal((await attacker.request('GET', '/v1/session')).status, 401);
  // An id the attacker made up is ignored and replaced the same way.
  const madeUp = new Browser(t.http);
  madeUp.cookie = `senderd_session=${'A'.repeat(43)}`;
  await madeUp.signIn('ann@alpha.example', PASSWORD);
  assert.notEqual(madeUp.cookie, `senderd_session=${'A'.repeat(43)}`);
  const reuse = new Browser(t.http);
  reuse.cookie = `senderd_session=${'A'.repeat(43)}`;
  assert.equal((await reuse.request('GET', '/v1/domains')).status, 401);
});

test('sign-out ends the session on the server and clears the cookie', async () => {
  const b = new Browser(t.http);
  await b.signIn('ann@alpha.example', PASSWORD);
  const stolen = b.cookie;
  const noCsrf = await b.request('DELETE', '/v1/session', { csrf: null });
  assert.equal(noCsrf.status, 403, 'a cross-site page cannot sign the user out either');
  const out = await b.request('DELETE', '/v1/session');
  assert.equal(out.status, 204);
  assert.match(out.setCookie[0]!, /^senderd_session=; .*Max-Age=0/);
  assert.equal(b.cookie, undefined);
  const replay = new Browser(t.http);
  replay.cookie = stolen;
  const r = await replay.request('GET', '/v1/domains');
  assert.equal(r.status, 401);
  assert.match(r.body.error.message, /session has ended/);
});

test('sessions end after the idle timeout and at the absolute expiry', async () => {
  const idle = new Browser(t.http);
  await idle.signIn('ann@alpha.example', PASSWORD);
  clock.advance(29 * 60_000);
  assert.equal((await idle.request('GET', '/v1/domains')).status, 200, 'still within 30 minutes');
  clock.advance(29 * 60_000);
  assert.equal((await idle.request('GET', '/v1/domains')).status, 200, 'use resets the idle timer');
  clock.advance(31 * 60_000);
  assert.equal((await idle.request('GET', '/v1/domains')).status, 401, 'idle for 31 minutes');

  const busy = new Browser(t.http);
  await busy.signIn('ann@alpha.example', PASSWORD);
  for (let i = 0; i < 19; i++) {
    clock.advance(25 * 60_000);
    assert.equal((await busy.request('GET', '/v1/domains')).status, 200, `after ${(i + 1) * 25} min`);
  }
  clock.advance(25 * 60_000); // 8 h 20 min after sign-in
  assert.equal((await busy.request('GET', '/v1/domains')).status, 401, 'past the absolute 8 h');
  await t.services.sessions.purgeExpired();
  const now = clock.now().getTime();
  const left = await t.services.store.db.selectFrom('sessions').selectAll().execute();
  assert.ok(
    left.every((s) => Date.parse(s.expires_at) > now && Date.parse(s.last_seen_at) > now - 30 * 60_000),
    'the purge leaves only live sessions',
  );
});

test('failed sign-ins are limited per account; the right password waits too', async () => {
  const b = new Browser(t.http);
  for (let i = 0; i < 3; i++)
    assert.equal((await b.signIn('max@alpha.example', 'wrong password!')).status, 401);
  const locked = await b.signIn('max@alpha.example', PASSWORD);
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'limit_exceeded');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  // Another account is not affected.
  assert.equal((await new Browser(t.http).signIn('ann@alpha.example', PASSWORD)).status, 200);
  clock.advance(16 * 60_000);
  assert.equal((await b.signIn('max@alpha.example', PASSWORD)).status, 200, 'after the window');
});

test('operators list tenants and look into one read-only or as operator; others may not', async () => {
  const member = new Browser(t.http);
  await member.signIn('max@alpha.example', PASSWORD);
  assert.equal((await member.request('GET', '/v1/operator/tenants')).status, 403);
  const switchTry = await member.request('PUT', '/v1/session/tenant', { body: { tenant: 'beta' } });
  assert.equal(switchTry.status, 403);
  const keyTry = await fetch(`${t.http}/v1/operator/tenants`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(keyTry.status, 403);

  const op = new Browser(t.http);
  await op.signIn('olga@ops.example', PASSWORD);
  const tenants = await op.request('GET', '/v1/operator/tenants');
  assert.equal(tenants.status, 200);
  const beta = tenants.body.tenants.find((x: { name: string }) => x.name === 'beta');
  assert.deepEqual({ domains: beta.domains, users: beta.users }, { domains: 2, users: 1 });

  const before = op.cookie;
  const ro = await op.request('PUT', '/v1/session/tenant', { body: { tenant: 'beta', access: 'read-only' } });
  assert.equal(ro.status, 200);
  assert.equal(ro.body.tenant.name, 'beta');
  assert.equal(ro.body.access, 'read-only');
  assert.notEqual(op.cookie, before, 'a switch issues a new session id');
  const old = new Browser(t.http);
  old.cookie = before;
  assert.equal((await old.request('GET', '/v1/domains')).status, 401, 'the old id stops working');
  op.csrf = ro.body.csrfToken;
  const seen = await op.request('GET', '/v1/domains');
  assert.deepEqual(
    seen.body.domains.map((d: { name: string }) => d.name),
    ['beta-only.com', 'beta-two.com'],
  );
  const write = await op.request('POST', '/v1/domains/beta-only.com/dmarc/step', { body: { to: 'forward' } });
  assert.equal(write.status, 403);
  assert.match(write.body.error.message, /read-only/);

  const asOp = await op.request('PUT', '/v1/session/tenant', {
    body: { tenant: 'beta', access: 'operator' },
  });
  op.csrf = asOp.body.csrfToken;
  const stepped = await op.request('POST', '/v1/domains/beta-only.com/dmarc/step', {
    body: { to: 'forward', force: true }, // beta-only.com is not verified
  });
  assert.equal(stepped.status, 200);
  const home = await op.request('DELETE', '/v1/session/tenant');
  assert.equal(home.status, 200);
  assert.equal(home.body.tenant.name, 'ops');
  assert.equal(home.body.access, 'user');
  op.csrf = home.body.csrfToken;
  assert.deepEqual((await op.request('GET', '/v1/domains')).body.domains, []);
  const missing = await op.request('PUT', '/v1/session/tenant', { body: { tenant: 'nope' } });
  assert.equal(missing.status, 404);
});
