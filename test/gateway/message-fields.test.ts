import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaxedHeader } from '../../src/dkim/canonicalization.ts';
import { verifyWithDkimpy } from '../support/dkimpy.ts';
import { run, SYSTEM_PYTHON } from '../support/tools.ts';
import { startHarness, type Harness } from './harness.ts';
import { session } from './raw-smtp.ts';

/**
 * The header fields as they leave the gateway: the Received field we add (RFC 5321 §4.1.3, §4.4), fields with WSP
 * before the colon (RFC 5322 §4.5) signed so that an independent verifier (dkimpy) agrees, and no Return-Path from
 * the client (RFC 5321 §4.4).
 */

/** Submits `message` over a signed-in session and returns the header as the sink received it. */
async function relay(h: Harness, message: string, host = '127.0.0.1'): Promise<Buffer> {
  const c = await session(h, h, host);
  try {
    assert.match(await c.command('MAIL FROM:<a@example.com>'), /^250 /);
    assert.match(await c.command('RCPT TO:<bob@sink.test>'), /^250 /);
    assert.match(await c.command('DATA'), /^354/);
    c.write(message);
    assert.match(await c.command('.'), /^250 .*queued as/);
  } finally {
    c.close();
  }
  const before = h.sink.messages.length;
  return (await h.sink.waitFor(before + 1))[before]!.data;
}

test('Received: a client over IPv6 (::1) is written as an IPv6 address literal', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: ['gateway.host=::1'],
  });
  try {
    const data = await relay(
      h,
      'From: a@example.com\r\nTo: bob@sink.test\r\nSubject: v6\r\n\r\nBody\r\n',
      '::1',
    );
    const first = data.toString('latin1').split('\r\n')[0];
    assert.equal(first, 'Received: from client.test ([IPv6:::1])');
  } finally {
    await h.close();
  }
});

test('a field with WSP before its colon is taken and signed; dkimpy verifies it, and a changed value fails', async () => {
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const data = await relay(
      h,
      'From : a@example.com\r\nTo: bob@sink.test\r\nSubject : hi there\r\nX-Tab\t: t\r\n\r\nBody\r\n',
    );
    const text = data.toString('latin1');
    assert.match(text, /\r\nSubject : hi there\r\n/, 'the field is relayed as it came');
    const verify = (message: Buffer) =>
      verifyWithDkimpy(message, h.dns.dkimpyRecordsFile, h.node.config.dataDir, { obsoleteFieldNames: true });
    assert.deepEqual(
      (await verify(data)).map((r) => [r.ok, r.domain]),
      [[true, 'example.com']],
    );
    // The Subject and From are covered: change either value and dkimpy refuses the signature.
    for (const [from, to] of [
      ['Subject : hi there', 'Subject : hi thera'],
      ['From : a@example.com', 'From : b@example.com'],
    ] as const) {
      const [result] = await verify(Buffer.from(text.replace(from, to), 'latin1'));
      assert.equal(result?.ok, false, to);
    }
  } finally {
    await h.close();
  }
});

test('relaxed canonicalisation of WSP before the colon agrees with dkimpy (RFC 6376 §3.4.2)', async () => {
  const fields = [
    'Subject : hi\r\n',
    'Subject\t \t:  a  b \r\n\t c\r\n',
    'X-Y :\r\n',
    'From :a@example.com\r\n',
  ];
  const script = String.raw`
import json, sys
from dkim.canonicalization import Relaxed
out = []
for raw in json.loads(sys.argv[1]):
    raw = raw.encode('latin1')
    i = raw.index(b':')
    [(n, v)] = Relaxed.canonicalize_headers([(raw[:i], raw[i + 1:])])
    out.append((n + b':' + v).decode('latin1'))
print(json.dumps(out))
`;
  const r = await run(SYSTEM_PYTHON, ['-c', script, JSON.stringify(fields)]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fields.map(relaxedHeader), JSON.parse(r.stdout));
  assert.equal(relaxedHeader(fields[0]!), 'subject:hi\r\n');
});

test('a Return-Path from the client is removed before signing and relaying (RFC 5321 §4.4)', async () => {
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const data = await relay(
      h,
      'Return-Path: <ceo@victim.test>\r\nFrom: a@example.com\r\nTo: bob@sink.test\r\nSubject: rp\r\n\r\nBody\r\n',
    );
    const header = data.toString('latin1').split('\r\n\r\n')[0]!;
    assert.doesNotMatch(header, /^return-path:/im);
    assert.match(header, /\r\nFrom: a@example\.com\r\nTo: bob@sink\.test\r\nSubject: rp\r\nDate: /);
    const [result] = await verifyWithDkimpy(data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
    assert.equal(result?.ok, true, JSON.stringify(result));
  } finally {
    await h.close();
  }
});
