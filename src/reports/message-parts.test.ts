import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteSource } from './byte-source.ts';
import { Budget, DEFAULT_REPORT_LIMITS } from './limits.ts';
import type { DocumentOutcome } from './outcome.ts';
import { unwrap } from './unwrap.ts';
import type { DocumentHandlers } from './unwrap-context.ts';

const none = (): Promise<DocumentOutcome> => Promise.reject(new Error('no document expected'));
const handlers: DocumentHandlers = { aggregate: none, tls: none, failure: none };

async function outcomes(message: string): Promise<DocumentOutcome[]> {
  const source = new ByteSource([Buffer.from(message, 'latin1')]);
  const context = {
    budget: new Budget({ ...DEFAULT_REPORT_LIMITS, maxParts: 1000 }),
    notes: [],
    path: 'message',
    depth: 0,
    inMessage: false,
    message: null,
  };
  return unwrap(source, context, handlers);
}

test('a MIME limit the parser stops at is the refusal of the message, with its reason and detail', async () => {
  let nested = 'From: r@reporter.example\r\n';
  for (let i = 0; i < 20; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
  assert.deepEqual(await outcomes(`${nested}\r\nx\r\n`), [
    {
      status: 'refused',
      reason: 'nesting_too_deep',
      message:
        'archives, MIME parts or XML elements are nested deeper than the limit: MIME parts nested more than 16 deep',
      path: 'message',
      reporter: null,
      reportId: null,
      policyDomain: null,
    },
  ]);
  const [long] = await outcomes(
    `From: r@reporter.example\r\nSubject: ${'x'.repeat(300 * 1024)}\r\n\r\nbody\r\n`,
  );
  assert.equal(long?.status, 'refused');
  assert.ok(long.status === 'refused');
  assert.equal(long.reason, 'token_too_long');
  assert.match(long.message, /: a MIME header block over 262144 bytes$/);
});

test('a message with no report in it is refused as such; its parts are walked, not refused one by one', async () => {
  const message = [
    'From: r@reporter.example',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Hello, this is not a report.',
    '--b--',
    '',
  ].join('\r\n');
  const [only, ...rest] = await outcomes(message);
  assert.deepEqual(rest, []);
  assert.ok(only?.status === 'refused');
  assert.equal(only.reason, 'no_report_found');
});
