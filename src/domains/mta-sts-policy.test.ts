import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_AGE,
  mtaStsPolicyId,
  mtaStsPolicyText,
  mtaStsRecord,
  mxMatches,
  parseMxPattern,
  uncoveredMx,
} from './mta-sts-policy.ts';

test('the policy text follows RFC 8461 §3.2, with CRLF line ends and max_age by mode', () => {
  const text = mtaStsPolicyText(
    { mode: 'testing', mx: ['mx1.example.com', '*.example.net'] },
    DEFAULT_MAX_AGE,
  );
  assert.equal(
    text,
    'version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: *.example.net\r\nmax_age: 86400\r\n',
  );
  const enforce = mtaStsPolicyText({ mode: 'enforce', mx: ['mx1.example.com'] }, DEFAULT_MAX_AGE);
  assert.match(enforce, /^version: STSv1\r\nmode: enforce\r\nmx: mx1\.example\.com\r\nmax_age: 604800\r\n$/);
  assert.equal(
    mtaStsPolicyText({ mode: 'enforce', mx: [] }, { testing: 1, enforce: 99_999_999 }).includes('31557600'),
    true,
    'max_age is capped at 31557600 (RFC 8461 §3.2)',
  );
});

test('the id is 1-32 alphanumerics and changes whenever the policy text does', () => {
  const a = mtaStsPolicyId(mtaStsPolicyText({ mode: 'testing', mx: ['mx1.example.com'] }, DEFAULT_MAX_AGE));
  const b = mtaStsPolicyId(mtaStsPolicyText({ mode: 'enforce', mx: ['mx1.example.com'] }, DEFAULT_MAX_AGE));
  const c = mtaStsPolicyId(mtaStsPolicyText({ mode: 'testing', mx: ['mx2.example.com'] }, DEFAULT_MAX_AGE));
  for (const id of [a, b, c]) assert.match(id, /^[A-Za-z0-9]{1,32}$/);
  assert.equal(new Set([a, b, c]).size, 3);
  assert.equal(mtaStsRecord(a), `v=STSv1; id=${a};`);
});

test('MX matching follows RFC 8461 §4.1: a wildcard stands for exactly one leftmost label', () => {
  const cases: Array<[string, string, boolean]> = [
    ['mx1.example.com', 'mx1.example.com', true],
    ['MX1.Example.COM.', 'mx1.example.com', true],
    ['mx1.example.com', '*.example.com', true],
    ['a.b.example.com', '*.example.com', false],
    ['example.com', '*.example.com', false],
    ['mx1.example.com', 'mx2.example.com', false],
    ['mx1.example.org', '*.example.com', false],
  ];
  for (const [host, pattern, expected] of cases)
    assert.equal(mxMatches(host, pattern), expected, `${host} against ${pattern}`);
  assert.deepEqual(uncoveredMx(['mx1.example.com', 'backup.other.net'], ['*.example.com']), [
    'backup.other.net',
  ]);
});

test('MX patterns are made canonical or refused with the reason', () => {
  assert.deepEqual(parseMxPattern(' MX1.Example.com. '), { ok: true, value: 'mx1.example.com' });
  assert.deepEqual(parseMxPattern('*.example.net'), { ok: true, value: '*.example.net' });
  for (const bad of ['', 'localhost', 'mx1..example.com', '*.*.example.com', 'mx_1.example.com', 'a.*.com'])
    assert.equal(parseMxPattern(bad).ok, false, bad);
});
