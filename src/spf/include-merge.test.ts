import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInclude } from './include-merge.ts';

const T = 't1.spf.mail.example.net';

test('an include merged into an existing SPF record, before "all" and the modifiers', () => {
  const cases: Array<[string, string, ReturnType<typeof mergeInclude>]> = [
    ['before ~all', 'v=spf1 mx ~all', { kind: 'merged', record: `v=spf1 mx include:${T} ~all` }],
    [
      'before -all',
      'v=spf1 ip4:192.0.2.0/24 -all',
      { kind: 'merged', record: `v=spf1 ip4:192.0.2.0/24 include:${T} -all` },
    ],
    [
      'before redirect=',
      'v=spf1 a redirect=_spf.example.com',
      { kind: 'merged', record: `v=spf1 a include:${T} redirect=_spf.example.com` },
    ],
    ['at the end without all', 'v=spf1 mx', { kind: 'merged', record: `v=spf1 mx include:${T}` }],
    ['extra spaces kept out', 'v=spf1  mx   ?all', { kind: 'merged', record: `v=spf1 mx include:${T} ?all` }],
    ['already there', `v=spf1 include:${T} ~all`, { kind: 'present' }],
    ['already there, other case and "+"', `v=spf1 +include:${T.toUpperCase()} ~all`, { kind: 'present' }],
  ];
  for (const [why, record, want] of cases) assert.deepEqual(mergeInclude(record, T), want, why);
  assert.equal(mergeInclude('v=spf1 ip4:192.0.2.300 ~all', T).kind, 'unmergeable', 'a syntax error');
  assert.equal(mergeInclude('v=spf1 +all', T).kind, 'unmergeable', '+all');
});
