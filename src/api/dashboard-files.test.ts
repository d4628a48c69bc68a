import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { DASHBOARD_CSP, DASHBOARD_ROUTES, loadDashboardFiles, serveDashboard } from './dashboard-files.ts';

function site() {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-web-'));
  mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>senderd</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  writeFileSync(join(dir, 'assets', 'nested', 'font.woff2'), 'font');
  writeFileSync(join(dir, '.build-stamp'), 'hash');
  const app = new Hono();
  app.use('*', serveDashboard(loadDashboardFiles(dir)));
  app.get('/v1/domains', (c) => c.json({ api: true }));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return { app, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

test('pages get index.html with no-cache and the CSP; assets are immutable', async () => {
  const { app, remove } = site();
  try {
    for (const path of [
      '/',
      '/domains/new',
      '/domains/example.com',
      '/domains/b%C3%BCcher.example',
      '/operator',
      '/sign-in',
    ]) {
      const r = await app.request(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'no-cache');
      assert.equal(r.headers.get('content-security-policy'), DASHBOARD_CSP);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.match(await r.text(), /<div id="root">/);
    }
    const js = await app.request('/assets/app-abc123.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const etag = js.headers.get('etag')!;
    const again = await app.request('/assets/app-abc123.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const gz = await app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.ok(Number((await gz.arrayBuffer()).byteLength) < 4000);
    const head = await app.request('/assets/app-abc123.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  } finally {
    remove();
  }
});

test('no listing, no traversal, no hidden files, no page for unknown paths; the API passes through', async () => {
  const { app, remove } = site();
  try {
    for (const path of [
      '/assets',
      '/assets/',
      '/assets/nested',
      '/assets/missing.js',
      '/.build-stamp',
      '/../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/etc/passwd',
      '/index.html/../../etc/passwd',
      '/favicon.ico',
      '/random-page',
    ]) {
      const r = await app.request(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(await r.text(), /<div id="root">|hash|app-abc123/, path);
    }
    const api = await app.request('/v1/domains');
    assert.deepEqual(await api.json(), { api: true });
    const post = await app.request('/', { method: 'POST' });
    assert.equal(post.status, 404, 'only GET and HEAD are served');
  } finally {
    remove();
  }
});

test('without a build, pages say how to build it', async () => {
  const app = new Hono();
  app.use('*', serveDashboard(loadDashboardFiles(join(tmpdir(), 'senderd-no-such-dir'))));
  const r = await app.request('/');
  assert.equal(r.status, 503);
  assert.match(await r.text(), /npm run build:web/);
});

test('the route pattern matches the router', () => {
  for (const p of [
    '/',
    '/sign-in',
    '/operator',
    '/domains',
    '/domains/',
    '/domains/new',
    '/domains/x.example',
    '/api-keys',
    '/smtp-credentials',
    '/notifications/',
  ])
    assert.ok(DASHBOARD_ROUTES.test(p), p);
  for (const p of ['/v1/domains', '/openapi.json', '/assets/x.js', '/sign-in/x', '/domainsx'])
    assert.ok(!DASHBOARD_ROUTES.test(p), p);
});
