import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorOf, submittedFields, withoutReturnPath } from './submitted-header.ts';

const author = (header: string) => {
  const fields = submittedFields(header);
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

test('submittedFields: WSP before the colon (RFC 5322 §4.5 obs-optional) is taken and is not part of the name', () => {
  const parsed = submittedFields('From : a@example.com\r\nSubject\t: hi\r\n');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.text);
  assert.deepEqual(
    parsed.value.map((f) => f.name),
    ['from', 'subject'],
  );
  const a = authorOf(parsed.value);
  assert.ok(a.ok);
  assert.equal(a.value.domain, 'example.com');
  for (const bad of ['Sub ject: x\r\n', ': x\r\n', 'No colon\r\n']) {
    const refused = submittedFields(`From: a@example.com\r\n${bad}`);
    assert.ok(!refused.ok, JSON.stringify(bad));
    assert.deepEqual(refused.error, {
      code: 554,
      enhanced: '5.6.0',
      text: 'Header line 2 is not a header field ("name: value", RFC 5322 §2.2).',
    });
  }
  const first = submittedFields(' folded: x\r\nFrom: a@example.com\r\n');
  assert.ok(!first.ok);
  assert.equal(first.error.text, 'Header line 1 is a continuation with no field before it.');
});

test('authorOf: no From, or several, is refused with 554 5.6.0 and the count', () => {
  const none = author('Subject: s\r\n');
  assert.ok(!none.ok);
  assert.equal(none.error.text, 'The message has no From: header field; RFC 5322 §3.6 requires one.');
  const two = author('From: a@x.com\r\nFROM: b@x.com\r\n');
  assert.ok(!two.ok);
  assert.deepEqual(two.error, {
    code: 554,
    enhanced: '5.6.0',
    text: 'The message has 2 From: header fields; RFC 5322 §3.6 allows one.',
  });
});

test('withoutReturnPath: a client-supplied Return-Path (any case, folded) is dropped, the rest kept byte for byte', () => {
  const header =
    'Return-Path: <spoof@victim.test>\r\nFrom: a@example.com\r\nreturn-path :\r\n <x@y>\r\nSubject: s\r\n';
  const parsed = submittedFields(header);
  assert.ok(parsed.ok);
  const out = withoutReturnPath(header, parsed.value);
  assert.equal(out.header, 'From: a@example.com\r\nSubject: s\r\n');
  assert.deepEqual(
    out.fields.map((f) => f.name),
    ['from', 'subject'],
  );
  const plain = 'From: a@example.com\r\n';
  const same = submittedFields(plain);
  assert.ok(same.ok);
  assert.equal(withoutReturnPath(plain, same.value).header, plain);
});
