import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { authenticate } from 'mailauth';
import { runCli } from '../../src/cli/index.ts';
import { parseVerpAddress } from '../../src/gateway/index.ts';
import { verifyWithDkimpy } from '../support/dkimpy.ts';
import { startHarness, waitForTrace, type Harness } from './harness.ts';

/**
 * nodemailer submits over STARTTLS with AUTH → the gateway signs and spools → it delivers by MX lookup to an SMTP
 * sink on 127.0.0.1. The received message is then checked by independent verifiers: dkimpy for every DKIM
 * signature, and mailauth for SPF (client 127.0.0.1, one of the platform's egress addresses) and DMARC.
 */

async function verifyReceived(h: Harness, index: number) {
  const received = h.sink.messages[index]!;
  const dkimpy = await verifyWithDkimpy(received.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
  const auth = await authenticate(received.data, {
    ip: '127.0.0.1',
    helo: received.helo,
    sender: received.mailFrom,
    mta: 'mx.sink.test',
    resolver: h.dns.mailauth,
  });
  return { received, dkimpy, auth };
}

test('a normal domain: DKIM passes under dkimpy, SPF passes on the bounce host, DMARC passes aligned', async () => {
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const sent = await h.send({
      from: 'Alice <alice@example.com>',
      to: 'bob@sink.test',
      subject: 'Hello from the gateway',
      text: 'One line.\nA line with  two  spaces and a trailing tab\t\n\n\n',
    });
    assert.match(sent.response, /^250 .*queued as [a-z2-7]{20}/);
    await h.sink.waitFor(1);
    const { received, dkimpy, auth } = await verifyReceived(h, 0);

    assert.equal(received.secure, true, 'direct delivery upgraded with opportunistic STARTTLS');
    assert.deepEqual(received.rcptTo, ['bob@sink.test']);
    assert.match(
      received.mailFrom,
      /^b-[a-z2-7]{20}-0-[a-z2-7]{8}@bounce\.example\.com$/,
      'VERP on the bounce host',
    );
    assert.ok(
      parseVerpAddress(Buffer.alloc(0), received.mailFrom) === null,
      'the VERP MAC needs the real key',
    );

    assert.deepEqual(
      dkimpy.map((r) => [r.ok, r.domain, r.selector]),
      [[true, 'example.com', 'sd1']],
      JSON.stringify(dkimpy),
    );
    assert.equal(auth.dkim.results[0]?.status.result, 'pass', 'mailauth DKIM');
    assert.equal(auth.spf && auth.spf.status.result, 'pass', `SPF: ${JSON.stringify(auth.spf)}`);
    assert.equal(auth.dmarc && auth.dmarc.status.result, 'pass', `DMARC: ${JSON.stringify(auth.dmarc)}`);
    // Aligned both ways: SPF on bounce.example.com and DKIM d=example.com, organisational domain example.com.
    const header = received.data.toString('latin1').split('\r\n\r\n')[0]!;
    assert.match(header, /^Received: from .*\r\n\tby mx\.mail\.example\.net \(senderd\) with ESMTPSA id /m);
    assert.match(header, /h=from:from:/, 'From is oversigned');

    // The trace, through the API, tenant-isolated.
    await h.node.node.services.store.db.selectFrom('gateway_messages').select('id').execute();
    const trace = await waitForTrace(h, sent.id, 'delivered');
    assert.equal(trace.message.senderDomain, 'example.com');
    assert.deepEqual(
      trace.message.signatures.map((s: any) => [s.signingDomain, s.selector, s.algorithm]),
      [['example.com', 'sd1', 'rsa-sha256']],
    );
    assert.equal(trace.message.recipients[0].envelopeFrom, received.mailFrom);
    assert.equal(trace.attempts.length, 1);
    assert.equal(trace.attempts[0].status, 'delivered');
    assert.equal(trace.attempts[0].code, 250);
    assert.match(trace.attempts[0].host, /^mx\.sink\.test \[127\.0\.0\.1\]$/);
    assert.equal(trace.attempts[0].tls, true);

    // The same trace from the CLI, and SMTP credentials listed without their secrets.
    const cli = await runCliHere(h, ['message', 'trace', sent.id, '--tenant', 'acme']);
    assert.equal(cli.code, 0, cli.err);
    assert.match(cli.out, /signature\s+d=example\.com s=sd1 a=rsa-sha256/);
    assert.match(cli.out, /bob@sink\.test delivered via mx\.sink\.test \[127\.0\.0\.1\] \(TLS\): 250/);
    const creds = await runCliHere(h, ['--json', 'smtp-credential', 'list', '--tenant', 'acme']);
    assert.equal(JSON.parse(creds.out).credentials[0].username, h.username);
    assert.ok(!creds.out.includes(h.password) && !creds.out.includes('secretHash'));

    const other = await h.node.services.accounts.addTenant('other');
    const { key } = await h.node.services.accounts.createApiKey(other.id, 'x');
    const hidden = await fetch(`${h.node.http}/v1/messages/${sent.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(hidden.status, 404, "another tenant's message reads as not found");
  } finally {
    await h.close();
  }
});

test('a domain in its rotation overlap: old and new RSA keys both sign, and both verify', async () => {
  const h = await startHarness({
    domains: [
      {
        name: 'rotating.example',
        keys: [
          ['rsa-sha256', 'sd1'],
          ['rsa-sha256', 'sd2'],
        ],
      },
      {
        name: 'dual.example',
        keys: [
          ['rsa-sha256', 'sd1'],
          ['ed25519-sha256', 'sd3'],
        ],
      },
    ],
  });
  try {
    await h.send({
      from: 'news@rotating.example',
      to: 'bob@sink.test',
      subject: 'Rotation',
      text: 'Signed twice.',
    });
    await h.send({
      from: 'news@mail.dual.example',
      to: 'bob@sink.test',
      subject: 'Dual',
      text: 'RSA and Ed25519.',
    });
    await h.sink.waitFor(2);
    const byFrom = (d: string) => h.sink.messages.findIndex((m) => m.data.toString().includes(`@${d}`));

    const rotation = await verifyReceived(h, byFrom('rotating.example'));
    assert.deepEqual(
      rotation.dkimpy.map((r) => [r.ok, r.domain, r.selector]).sort(),
      [
        [true, 'rotating.example', 'sd1'],
        [true, 'rotating.example', 'sd2'],
      ],
      JSON.stringify(rotation.dkimpy),
    );
    assert.deepEqual(
      rotation.auth.dkim.results.map((r) => r.status.result),
      ['pass', 'pass'],
    );
    assert.equal(rotation.auth.spf && rotation.auth.spf.status.result, 'pass');
    assert.equal(rotation.auth.dmarc && rotation.auth.dmarc.status.result, 'pass');

    // From a subdomain: signed by the parent sender domain (longest suffix match), DMARC-aligned (relaxed).
    const dual = await verifyReceived(h, byFrom('mail.dual.example'));
    assert.deepEqual(
      dual.dkimpy.map((r) => [r.ok, r.domain, r.selector]).sort(),
      [
        [true, 'dual.example', 'sd1'],
        [true, 'dual.example', 'sd3'],
      ],
      JSON.stringify(dual.dkimpy),
    );
    assert.match(dual.received.data.toString(), /a=ed25519-sha256/);
    assert.deepEqual(dual.auth.dkim.results.map((r) => r.status.result).sort(), ['pass', 'pass']);
    assert.equal(dual.auth.spf && dual.auth.spf.status.result, 'pass');
    assert.equal(dual.auth.dmarc && dual.auth.dmarc.status.result, 'pass');
  } finally {
    await h.close();
  }
});

test('an unverified domain is not signed as itself and uses the platform bounce domain; no key at all defers', async () => {
  const h = await startHarness({
    domains: [
      { name: 'new.example', keys: [['rsa-sha256', 'sd1']], verified: false },
      { name: 'keyless.example', keys: [] },
    ],
  });
  try {
    const sent = await h.send({ from: 'a@new.example', to: 'bob@sink.test', subject: 'x', text: 'x' });
    await h.sink.waitFor(1);
    const received = h.sink.messages[0]!;
    assert.doesNotMatch(received.data.toString(), /DKIM-Signature/i);
    assert.match(received.mailFrom, /@bounce\.mail\.example\.net$/);
    const trace = await waitForTrace(h, sent.id, 'delivered');
    assert.match(trace.message.signingDecision, /not verified yet; left unsigned/);

    await assert.rejects(
      h.send({ from: 'a@keyless.example', to: 'bob@sink.test', subject: 'x', text: 'x' }),
      (e: any) => e.responseCode === 451 && /No DKIM key is ready for keyless\.example/.test(e.response),
    );
    assert.equal(h.node.node.services.store.dialect, 'sqlite');
  } finally {
    await h.close();
  }
});

async function runCliHere(h: Harness, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({ write: (c: Buffer, _e, done) => (append(c.toString()), done()) });
  const flags = [
    '--set',
    `dataDir=${h.node.config.dataDir}`,
    '--set',
    `domains.publicSuffixList=${h.node.config.domains.publicSuffixList}`,
  ];
  const code = await runCli([...flags, ...argv], {
    env: {},
    cwd: h.node.config.dataDir,
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  return { code, out, err };
}
