/**
 * The bounce classifier held to real replies of large receivers (receiver-replies.ts, each row citing its
 * source), to DSN shapes, and to the rules' own invariants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOUNCE_RULES, classifyBounce } from '../../src/bounces/index.ts';
import { RECEIVER_REPLIES } from './receiver-replies.ts';

test('the table holds at least 40 replies from at least 10 receivers, each with its source', () => {
  assert.ok(RECEIVER_REPLIES.length >= 40, `${RECEIVER_REPLIES.length} rows`);
  assert.ok(new Set(RECEIVER_REPLIES.map((r) => r.receiver)).size >= 10);
  for (const r of RECEIVER_REPLIES) assert.match(r.source, /^https:\/\//);
});

for (const r of RECEIVER_REPLIES) {
  test(`${r.receiver}: ${r.code} ${r.reply.slice(0, 60)} → ${r.want}`, () => {
    const verdict = classifyBounce({ code: r.code, reply: r.reply });
    assert.equal(verdict.class, r.want, `rule ${verdict.rule}`);
  });
}

test('a DSN: its Status field decides over a code read from the diagnostic', () => {
  const verdict = classifyBounce({ code: 550, reply: 'smtp; 550 5.0.0 rejected', status: '5.1.1' });
  assert.deepEqual(verdict, { class: 'hard', rule: 'status.bad-mailbox', status: '5.1.1' });
});

test('a DSN without a diagnostic: the status alone gives the class', () => {
  assert.equal(classifyBounce({ code: 0, reply: '', status: '5.2.2' }).class, 'soft');
  assert.equal(classifyBounce({ code: 0, reply: '', status: '4.4.7' }).class, 'soft');
});

test('an expiry after connection failures (no reply from a receiver) is soft', () => {
  assert.equal(classifyBounce({ code: 451, reply: '4.4.1 connect ECONNREFUSED 192.0.2.4:25' }).class, 'soft');
});

test('the evidence names the rule and the code read', () => {
  const v = classifyBounce({
    code: 550,
    reply: "5.7.515 Access denied, sending domain [example.com] doesn't meet",
  });
  assert.deepEqual(v, { class: 'block', rule: 'status.policy', status: '5.7.515' });
});

test('rule ids are unique, and the last rule catches everything', () => {
  const ids = BOUNCE_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const last = BOUNCE_RULES.at(-1)!;
  assert.equal(last.status ?? last.text ?? last.replyClass, undefined);
});
