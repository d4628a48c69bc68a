import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorMailbox } from './author.ts';
import { parseHeaderFields } from './header-fields.ts';

const author = (header: string) => {
  const fields = parseHeaderFields(header);
  assert.ok(fields.ok, header);
  return authorMailbox(fields.value);
};

test('authorMailbox: one From field with one mailbox, folded or not', () => {
  assert.deepEqual(author('Subject: s\r\nFrom:\r\n\t"Doe,\r\n John"\r\n <j@sub.x.com>\r\n'), {
    ok: true,
    value: { displayName: '"Doe, John"', localPart: 'j', domain: 'sub.x.com' },
  });
});

test('authorMailbox: no From, several From fields, or a From that is not one mailbox, each a problem', () => {
  assert.deepEqual(author('Subject: s\r\n'), { ok: false, error: { problem: 'no-from' } });
  assert.deepEqual(author('From: a@x.com\r\nfrom: b@x.com\r\n'), {
    ok: false,
    error: { problem: 'several-from', count: 2 },
  });
  assert.deepEqual(author('From: a@x.com, b@x.com\r\n'), {
    ok: false,
    error: {
      problem: 'not-one-mailbox',
      detail:
        'a "," (a list of mailboxes; the gateway signs for exactly one author) after the address at character 8',
      body: 'a@x.com, b@x.com',
    },
  });
});
