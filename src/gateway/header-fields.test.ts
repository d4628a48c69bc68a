import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorOf, parseHeaderFields } from './header-fields.ts';

const author = (header: string) => {
  const fields = parseHeaderFields(header);
  assert.ok(fields.ok, header);
  return authorOf(fields.value);
};

test('authorOf: one mailbox in any legitimate form gives its address and normalised domain', () => {
  const cases: Array<[string, string, string]> = [
    ['From: "Doe, John" <j@X.com>\r\n', 'j@x.com', 'x.com'],
    ['From: =?utf-8?q?J=C3=B6rg?= <j@x.com>\r\n', 'j@x.com', 'x.com'],
    ['From: j@x.com (comment)\r\n', 'j@x.com', 'x.com'],
    ['From: John <j@x.com>\r\n', 'j@x.com', 'x.com'],
    ['From: John\r\n <j@x.com>\r\nSubject: folded\r\n', 'j@x.com', 'x.com'],
    ['From:\r\n\t"Doe,\r\n John"\r\n <j@sub.x.com>\r\n', 'j@sub.x.com', 'sub.x.com'],
    ['from: j@xn--exmple-cua.org\r\n', 'j@xn--exmple-cua.org', 'xn--exmple-cua.org'],
  ];
  for (const [header, address, domain] of cases) {
    const a = author(header);
    assert.ok(a.ok, `${JSON.stringify(header)}: ${a.ok ? '' : a.error.text}`);
    assert.deepEqual(a.value, { address, domain }, JSON.stringify(header));
  }
});

test('authorOf: the ambiguous forms a lenient parser signed as tenant.com are refused with 554 5.6.0', () => {
  for (const body of [
    '<x@tenant.com>@victim.com',
    'y@victim.com\\ <x@tenant.com>',
    '<@victim.com:x@tenant.com>',
    'x@tenant.com y@victim.com',
    'undisclosed:; x@tenant.com',
    'y@victim.com <x@tenant.com>',
    '"y@victim.com" x@tenant.com',
    '<x@tenant.com\r\n\t>y@victim.com',
  ]) {
    const a = author(`From: ${body}\r\n`);
    assert.ok(!a.ok, `${JSON.stringify(body)} was accepted as ${JSON.stringify(a.ok && a.value)}`);
    assert.equal(a.error.code, 554);
    assert.equal(a.error.enhanced, '5.6.0');
    assert.match(
      a.error.text,
      /^The From: header field is not exactly one mailbox \(RFC 5322 §3\.4\): .+ at character \d+ in ".*"\.$/,
    );
  }
  const bad = author('From: j@exa_mple.com\r\n');
  assert.ok(!bad.ok);
  assert.match(bad.error.text, /domain "exa_mple\.com" is not a valid domain name/);
});
