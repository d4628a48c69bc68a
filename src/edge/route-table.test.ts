import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable, type EdgeRoute } from './route-table.ts';

const route = (path: string, methods: string[], prefix = false, role = 'click'): EdgeRoute => ({
  role,
  methods,
  path,
  prefix,
  handle: () => ({ status: 200, body: `${methods.join(',')} ${path}` }),
});

test('routes by role, exact path first, then the longest prefix; HEAD where GET is; 405 with Allow', () => {
  const table = new RouteTable().add(
    route('/', ['GET']),
    route('/u/', ['GET', 'POST'], true),
    route('/u/special', ['POST']),
    route('/c/', ['GET'], true),
    route('/c/x/', ['GET'], true),
    route('/.well-known/mta-sts.txt', ['GET'], false, 'mta-sts'),
  );
  const path = (role: string, method: string, p: string) => {
    const m = table.match(role, method, p);
    return m.kind === 'route' ? m.route.path : m.kind === 'method' ? `405 ${m.allow.join(', ')}` : 'none';
  };
  const cases: Array<[string, string, string, string]> = [
    ['click', 'GET', '/', '/'],
    ['click', 'HEAD', '/', '/'],
    ['click', 'POST', '/', '405 GET, HEAD'],
    ['click', 'POST', '/u/abc', '/u/'],
    ['click', 'POST', '/u/special', '/u/special'],
    ['click', 'GET', '/u/special', '/u/'],
    ['click', 'PUT', '/u/special', '405 GET, HEAD, POST'],
    ['click', 'GET', '/c/x/1', '/c/x/'],
    ['click', 'GET', '/c/1', '/c/'],
    ['click', 'GET', '/nothing', 'none'],
    ['click', 'GET', '/.well-known/mta-sts.txt', 'none'],
    ['mta-sts', 'GET', '/.well-known/mta-sts.txt', '/.well-known/mta-sts.txt'],
    ['bimi', 'GET', '/', 'none'],
  ];
  for (const [role, method, p, want] of cases)
    assert.equal(path(role, method, p), want, `${role} ${method} ${p}`);
});

test('the same role, path and method twice is a programming error', () => {
  assert.throws(() => new RouteTable().add(route('/', ['GET']), route('/', ['GET', 'POST'])), /added twice/);
  assert.throws(
    () => new RouteTable().add(route('/c/', ['GET'], true), route('/c/', ['GET'], true)),
    /added twice/,
  );
  new RouteTable().add(route('/', ['GET']), route('/', ['POST']), route('/', ['GET'], false, 'mta-sts'));
});
