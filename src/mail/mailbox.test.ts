import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMailbox } from './mailbox.ts';

/** RFC 5322 §3.4: exactly one mailbox, strictly; each bad case names its problem. */

test('mailbox: the forms real mail uses are accepted', () => {
  const cases: Array<[string, string, string, string]> = [
    // [field body, display name, local part, domain]
    ['j@x.com', '', 'j', 'x.com'],
    ['<j@x.com>', '', 'j', 'x.com'],
    ['John <j@x.com>', 'John', 'j', 'x.com'],
    ['"Doe, John" <j@x.com>', '"Doe, John"', 'j', 'x.com'],
    ['"Doe \\"JD\\" John" <j@x.com>', '"Doe \\"JD\\" John"', 'j', 'x.com'],
    ['=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <j@x.com>', '=?utf-8?q?J=C3=B6rg_M=C3=BCller?=', 'j', 'x.com'],
    ['=?utf-8?b?eUB2aWN0aW0uY29t?= <x@tenant.com>', '=?utf-8?b?eUB2aWN0aW0uY29t?=', 'x', 'tenant.com'],
    ['j@x.com (comment)', '', 'j', 'x.com'],
    ['(a (nested) comment) j@x.com', '', 'j', 'x.com'],
    ['y@victim.com (x@tenant.com)', '', 'y', 'victim.com'],
    ['John Q. Public <john.q.public@example.com>', 'John Q. Public', 'john.q.public', 'example.com'],
    ['John\r\n <j@x.com>', 'John', 'j', 'x.com'],
    ['John\t \t<j@x.com>  ', 'John', 'j', 'x.com'],
    ['"a b"@x.com', '', '"a b"', 'x.com'],
    ['< j@x.com >', '', 'j', 'x.com'],
    ['j (c) @ (c) x.com', '', 'j', 'x.com'],
    ["o'brien+tag@mail.x.co.uk", '', "o'brien+tag", 'mail.x.co.uk'],
    ['Jo (the boss) <j@X.COM>', 'Jo (the boss)', 'j', 'X.COM'],
  ];
  for (const [body, displayName, localPart, domain] of cases) {
    const parsed = parseMailbox(body);
    assert.ok(parsed.ok, `${JSON.stringify(body)}: ${parsed.ok ? '' : parsed.error}`);
    assert.deepEqual(parsed.value, { displayName, localPart, domain }, JSON.stringify(body));
  }
});

test('mailbox: ambiguous or malformed From bodies are refused, each with its problem named', () => {
  const cases: Array<[string, RegExp]> = [
    ['<x@tenant.com>@victim.com', /^a second "@" after the address at character 15$/],
    ['y@victim.com\\ <x@tenant.com>', /^"\\" after the address/],
    ['<@victim.com:x@tenant.com>', /^a source route/],
    ['<@a.example,@b.example:x@tenant.com>', /^a source route/],
    ['x@tenant.com y@victim.com', /^"y" after the address/],
    ['undisclosed:; x@tenant.com', /^a ":" \(a group, RFC 5322 section 3\.4/],
    ['g: y@victim.com;, <x@tenant.com>', /^a ":" \(a group/],
    ['a@example.com, c@example.com', /^a "," \(a list of mailboxes/],
    ['"a" <y@victim.com>, <x@tenant.com>', /^a "," \(a list of mailboxes.* after the address/],
    ['y@victim.com,', /^a "," /],
    ['x@tenant.com;y@victim.com', /^a ";" /],
    ['<y@victim.com> x@tenant.com', /^"x" after the address/],
    ['x@tenant.com <y@victim.com>', /^a second "<" after the address/],
    ['y@victim.com <x@tenant.com>', /^a second "<" after the address/],
    ['x@tenant.com@victim.com', /^a second "@" after the address/],
    ['"y@victim.com" x@tenant.com', /^a local part that is neither a dot-atom/],
    ['John Doe@x.com', /^a local part that is neither a dot-atom \(no spaces or comments inside\)/],
    ['j . d@x.com', /^a local part that is neither/],
    ['<x@tenant.com\t>y@victim.com', /^"y" after the address/],
    ['<x@tenant.com', /^a missing ">"/],
    ['<x@tenant.com y>', /^"y" where ">" should close the address/],
    ['x@[192.0.2.1]', /^a domain literal/],
    ['x@', /^a missing domain/],
    ['x@a..b', /^a domain that is not a dot-atom/],
    ['x@.b', /^a domain that is not a dot-atom/],
    ['@x.com', /^an empty local part at character 1$/],
    ['', /^no address$/],
    ['   ', /^no address$/],
    ['John Doe', /^a name but no address$/],
    ['John (unclosed <j@x.com>', /^an unclosed comment/],
    ['"unclosed <j@x.com>', /^an unclosed quoted string/],
    ['. John <j@x.com>', /^the display name starts with "\."/],
    ['j@x.com >', /^">" after the address/],
    ['[j]@x.com', /^"\["/],
  ];
  for (const [body, expected] of cases) {
    const parsed = parseMailbox(body);
    assert.ok(
      !parsed.ok,
      `${JSON.stringify(body)} was accepted as ${JSON.stringify(parsed.ok && parsed.value)}`,
    );
    assert.match(parsed.error, expected, JSON.stringify(body));
  }
});
