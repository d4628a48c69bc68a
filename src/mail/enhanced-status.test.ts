import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEnhancedStatus, readReply } from './enhanced-status.ts';

const cases: { name: string; text: string; want: string | null }[] = [
  { name: 'after the basic code', text: '550 5.1.1 user unknown', want: '5.1.1' },
  {
    name: 'a multi-line reply joined (Gmail)',
    text: '550-5.7.26 This mail has been blocked',
    want: '5.7.26',
  },
  { name: 'three-digit detail (Microsoft)', text: '550 5.7.515 Access denied', want: '5.7.515' },
  { name: 'leading the text alone', text: '4.2.2 mailbox full', want: '4.2.2' },
  { name: 'a DSN diagnostic with its type', text: 'smtp; 552 5.2.2 over quota', want: '5.2.2' },
  { name: 'inside the text when not in front', text: '554 [TSS09] code 5.7.9 policy', want: '5.7.9' },
  { name: 'an IPv4 address is not one', text: '554 blocked [192.0.2.4] by policy', want: null },
  { name: 'class 3 does not exist (RFC 3463 §3.1)', text: '550 3.1.1 nope', want: null },
  { name: 'a version number is not one', text: '550 Exim 4.96.2 says no', want: null },
  { name: 'subject past three digits', text: '550 5.1234.1 nope', want: null },
  { name: 'no code at all', text: '550 Unrouteable address', want: null },
];

for (const c of cases) {
  test(`enhanced status: ${c.name}`, () => {
    assert.equal(readEnhancedStatus(c.text)?.code ?? null, c.want);
  });
}

test('the parts of an enhanced status code are numbers', () => {
  assert.deepEqual(readEnhancedStatus('550 5.7.515 x'), {
    code: '5.7.515',
    class: 5,
    subject: 7,
    detail: 515,
  });
});

test('a reply: basic code, enhanced code and text, from a DSN diagnostic or a joined multi-line reply', () => {
  assert.deepEqual(readReply('smtp; 550-5.1.1 The email account does not exist.'), {
    code: 550,
    status: '5.1.1',
    text: 'The email account does not exist.',
  });
  assert.deepEqual(readReply('X-Postfix; host said: nothing'), {
    code: null,
    status: null,
    text: 'host said: nothing',
  });
  assert.deepEqual(readReply('550 Unrouteable address'), {
    code: 550,
    status: null,
    text: 'Unrouteable address',
  });
});
