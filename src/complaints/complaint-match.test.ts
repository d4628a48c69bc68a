import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeedbackFields, readHeaderFields, type FeedbackMessage } from '../mail/index.ts';
import { matchCandidates, reportedRecipient } from './complaint-match.ts';
import type { SentMessage } from './model.ts';

const ID = 'abcdefghijklmnopqrst';
const OTHER = 'zzzzzzzzzzzzzzzzzzzz';
/** Stands for the MAC check: only addresses whose MAC is "goodmacz" are ours. */
const readReturnPath = (address: string) => {
  const m = /^b-([a-z2-7]+)-(\d+)-goodmacz@/i.exec(address);
  return m === null ? null : { messageId: m[1]!, recipient: Number(m[2]) };
};

const report = (fields: string, original: string | null): FeedbackMessage => ({
  fields: parseFeedbackFields(fields),
  reportHeaders: [],
  wellFormed: true,
  originalHeaders: original === null ? null : readHeaderFields(original),
});

test('matchCandidates: VERP first (Original-Mail-From, Return-Path, any header), then Message-ID, then Received', () => {
  const cases: Array<[string, FeedbackMessage, Array<[string, string, number | null]>]> = [
    [
      'Original-Mail-From names the message and the recipient',
      report(`Feedback-Type: abuse\nOriginal-Mail-From: <b-${ID}-2-goodmacz@bounce.example.com>`, null),
      [['verp', ID, 2]],
    ],
    [
      'Return-Path of the original, and a Message-ID of ours after it',
      report(
        'Feedback-Type: abuse',
        `Return-Path: <b-${ID}-0-goodmacz@bounce.example.com>\nMessage-ID: <${OTHER}@example.com>`,
      ),
      [
        ['verp', ID, 0],
        ['message-id', OTHER, null],
      ],
    ],
    [
      'a forged MAC is no candidate; a VERP address in another field is',
      report(
        'Feedback-Type: abuse',
        `Return-Path: <b-${ID}-0-badmaczz@bounce.example.com>\nX-Original-Return-Path: b-${ID}-1-goodmacz@bounce.example.com`,
      ),
      [['verp', ID, 1]],
    ],
    [
      "a client's own Message-ID is not ours; the gateway's folded Received field is",
      report(
        'Feedback-Type: abuse',
        `Message-ID: <client-1@app.example>\nReceived: from app (app [192.0.2.1])\n\tby mx.mail.example.net (senderd) with ESMTPSA id ${ID.toUpperCase()};\n\tMon, 7 Dec 2026 10:00:00 +0000`,
      ),
      [['received', ID, null]],
    ],
    [
      'nothing of ours (RFC 5965 B.1)',
      report('Feedback-Type: abuse', 'Message-ID: 8787KJKJ3K4J3K4J3K4J3.mail@example.net'),
      [],
    ],
    ['no original header at all', report('Feedback-Type: abuse', null), []],
  ];
  for (const [name, r, expected] of cases) {
    assert.deepEqual(
      matchCandidates(r, readReturnPath).map((c) => [c.by, c.messageId, c.recipient]),
      expected,
      name,
    );
  }
});

test('reportedRecipient: the VERP index; else an Original-Rcpt-To among the recipients; else the only one', () => {
  const two: SentMessage = {
    id: ID,
    tenantId: 't',
    domainId: null,
    recipients: [{ address: 'a@x.example' }, { address: 'B@x.example' }],
  };
  const one: SentMessage = { ...two, recipients: [{ address: 'a@x.example' }] };
  const verp = { by: 'verp', messageId: ID, recipient: 1 } as const;
  const byId = { by: 'message-id', messageId: ID, recipient: null } as const;
  assert.equal(reportedRecipient(two, verp, []), 'B@x.example');
  assert.equal(reportedRecipient(two, { ...verp, recipient: 5 }, []), null, 'index out of range');
  assert.equal(reportedRecipient(two, byId, ['b@X.example']), 'B@x.example');
  assert.equal(reportedRecipient(two, byId, ['redacted@yahoo.com']), null, 'redacted and two recipients');
  assert.equal(reportedRecipient(one, byId, ['redacted@yahoo.com']), 'a@x.example');
});
