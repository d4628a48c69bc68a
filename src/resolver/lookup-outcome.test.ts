import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerRecords, lookupOutcome, mapOutcome, queryNameProblem } from './lookup-outcome.ts';
import type { DnsResponse, ResourceRecord } from './model.ts';

const server = { host: '192.0.2.53', port: 53 };
const txt = (name: string, text: string): ResourceRecord => ({
  name,
  ttl: 60,
  data: { type: 'TXT', strings: [Buffer.from(text)] },
});
const cname = (name: string, target: string): ResourceRecord => ({
  name,
  ttl: 60,
  data: { type: 'CNAME', target },
});
const reply = (rcode: string, answers: ResourceRecord[] = []): DnsResponse => ({
  outcome: 'response',
  server,
  rcode,
  flags: { aa: false, tc: false, ra: true },
  answers,
  authority: [],
  additional: [],
  transport: 'udp',
});

test('names a query cannot carry (RFC 1035 §2.3.4)', () => {
  const cases: Array<[string, string | null, string]> = [
    ['example.com', null, 'a name'],
    ['example.com.', null, 'one trailing dot'],
    ['', null, 'the root'],
    ['a..b.example', 'an empty label', 'an empty label'],
    ['.example', 'an empty label', 'a leading dot'],
    [`${'x'.repeat(63)}.example`, null, 'a label of 63'],
    [`${'x'.repeat(64)}.example`, 'a label longer than 63 octets', 'a label of 64'],
    [`${'ü'.repeat(32)}.example`, 'a label longer than 63 octets', '32 two-octet characters are 64 octets'],
    [`${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61), null, '253 characters: 255 octets on the wire'],
    [`${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(62), 'longer than 255 octets', 'one octet more'],
    ['a b.example', 'a space or control character', 'a space'],
    ['a\tb.example', 'a space or control character', 'a tab'],
  ];
  for (const [name, problem, why] of cases) assert.equal(queryNameProblem(name), problem, why);
});

test('the records of an answer: at the name, or at the end of the CNAME chain', () => {
  const chain = [cname('a.example', 'b.example'), cname('b.example', 'c.example'), txt('c.example', 'end')];
  const cases: Array<[string, ResourceRecord[], string, string[]]> = [
    ['at the name', [txt('a.example', 'here')], 'A.Example.', ['here']],
    ['through a chain', chain, 'a.example', ['end']],
    ['a record of another owner is not ours', [txt('other.example', 'x')], 'a.example', []],
    ['a chain that ends nowhere', [cname('a.example', 'b.example')], 'a.example', []],
    ['a loop', [cname('a.example', 'b.example'), cname('b.example', 'a.example')], 'a.example', []],
  ];
  for (const [why, answers, name, texts] of cases)
    assert.deepEqual(
      answerRecords(answers, name, 'TXT').map((r) => (r.data.type === 'TXT' ? r.data.strings.join('') : '')),
      texts,
      why,
    );
  assert.equal(answerRecords(chain, 'a.example', 'CNAME').length, 1, 'asking for the CNAME itself');
});

test('one mapping of replies: NXDOMAIN and NODATA are answers, trouble is temporary', () => {
  const cases: Array<[string, DnsResponse, string]> = [
    ['records', reply('NOERROR', [txt('a.example', 'v=spf1 -all')]), 'answer'],
    ['NOERROR without records of the type', reply('NOERROR', []), 'nodata'],
    [
      'a CNAME whose target has no records of the type',
      reply('NOERROR', [cname('a.example', 'b')]),
      'nodata',
    ],
    ['NXDOMAIN', reply('NXDOMAIN'), 'nxdomain'],
    ['NXDOMAIN at the end of a chain', reply('NXDOMAIN', [cname('a.example', 'gone.example')]), 'nxdomain'],
    ['SERVFAIL', reply('SERVFAIL'), 'error'],
    ['REFUSED', reply('REFUSED'), 'error'],
    ['FORMERR', reply('FORMERR'), 'error'],
    ['a timeout', { outcome: 'timeout', server }, 'error'],
    ['no socket', { outcome: 'failure', server, reason: 'cannot send' }, 'error'],
  ];
  for (const [why, response, kind] of cases)
    assert.equal(lookupOutcome(response, 'a.example', 'TXT').kind, kind, why);
  assert.deepEqual(lookupOutcome(reply('SERVFAIL'), 'a.example', 'TXT'), {
    kind: 'error',
    reason: 'SERVFAIL from 192.0.2.53:53',
  });
});

test('mapping records keeps the outcome, and an answer with nothing left is NODATA', () => {
  const answer = { kind: 'answer' as const, records: [1, 2, 3] };
  assert.deepEqual(
    mapOutcome(answer, (n) => (n > 1 ? n * 10 : undefined)),
    { kind: 'answer', records: [20, 30] },
  );
  assert.deepEqual(
    mapOutcome(answer, () => undefined),
    { kind: 'nodata' },
  );
  assert.deepEqual(
    mapOutcome({ kind: 'nxdomain' }, () => 1),
    { kind: 'nxdomain' },
  );
});
