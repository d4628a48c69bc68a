import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.ts';
import { RawSmtp, session, spoolBytes } from './raw-smtp.ts';

/**
 * Raw SMTP against the gateway for what a client must not get away with. Each refusal is a clear reply, and
 * nothing is half-accepted: the spool holds no record of a refused message, and the sink gets nothing.
 */

const good = 'From: a@example.com\r\nTo: b@sink.test\r\nSubject: ok\r\n\r\nBody\r\n';

test('abuse: each bad message gets a clear error and leaves nothing in the spool', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: ['gateway.limits.maxMessageBytes=20000', 'gateway.limits.maxRecipients=3'],
  });
  try {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'no From',
        'To: b@sink.test\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The message has no From: header field/,
      ],
      [
        'two From fields',
        'From: a@example.com\r\nFrom: c@example.com\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The message has 2 From: header fields/,
      ],
      [
        'two addresses in From',
        'From: a@example.com, c@example.com\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The From: header field is not exactly one mailbox \(RFC 5322 section 3\.4\): a "," \(a list of mailboxes; the gateway signs for exactly one author\) after the address at character 14 in "a@example\.com, c@example\.com"\./,
      ],
      // A lenient parser reads each of these as a@example.com (signed as example.com); a reader may show victim.test.
      [
        'text after the angle address',
        'From: <a@example.com>@victim.test\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The From: header field is not exactly one mailbox .*: a second "@" after the address/,
      ],
      [
        'a source route',
        'From: <@victim.test:a@example.com>\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The From: header field is not exactly one mailbox .*: a source route/,
      ],
      [
        'a group',
        'From: undisclosed:; a@example.com\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The From: header field is not exactly one mailbox .*: a ":" \(a group/,
      ],
      [
        'an escaped space before the angle address',
        'From: y@victim.test\\ <a@example.com>\r\nSubject: x\r\n\r\nBody\r\n',
        /^554 5\.6\.0 The From: header field is not exactly one mailbox .*: "\\" after the address/,
      ],
      [
        '8-bit header',
        Buffer.concat([
          Buffer.from('From: a@example.com\r\nSubject: caf'),
          Buffer.from([0xc3, 0xa9]),
          Buffer.from('\r\n\r\nBody\r\n'),
        ]),
        /^554 5\.6\.0 Header line 2 contains 8-bit bytes/,
      ],
      [
        'line over 998',
        `From: a@example.com\r\nSubject: x\r\n\r\n${'x'.repeat(999)}\r\n`,
        /^554 5\.6\.0 Line 4 is 999 characters long; RFC 5322 section 2\.1\.1 allows at most 998/,
      ],
      [
        'NUL byte',
        'From: a@example.com\r\nSubject: x\r\n\r\nBo\0dy\r\n',
        /^554 5\.6\.0 Line 4 contains a NUL byte/,
      ],
      [
        'over the size limit',
        `From: a@example.com\r\nSubject: x\r\n\r\n${'y'.repeat(900).concat('\r\n').repeat(30)}`,
        /^552 5\.3\.4 Message size exceeds the limit of 20000 bytes/,
      ],
    ];
    const before = spoolBytes(h);
    for (const [what, message, expected] of cases) {
      const c = await session(h);
      try {
        assert.match(await c.command('MAIL FROM:<a@example.com>'), /^250/, what);
        assert.match(await c.command('RCPT TO:<b@sink.test>'), /^250/, what);
        assert.match(await c.command('DATA'), /^354/, what);
        c.write(message);
        assert.match(await c.command('\r\n.'), expected, what);
        // The session goes on: a good message right after is taken.
        assert.match(await c.command('MAIL FROM:<a@example.com>'), /^250/, what);
      } finally {
        c.close();
      }
      assert.equal(spoolBytes(h), before, `${what}: the spool grew`);
    }
    assert.equal(h.sink.messages.length, 0);
    const stats = await h.node.services.store.db.selectFrom('gateway_messages').select('id').execute();
    assert.equal(stats.length, 0, 'no trace row for refused messages');

    // A declared SIZE over the limit is refused at MAIL FROM (RFC 1870), too many recipients at RCPT.
    const c = await session(h);
    try {
      assert.match(await c.command('MAIL FROM:<a@example.com> SIZE=50000'), /^552 /);
      assert.match(await c.command('MAIL FROM:<a@example.com>'), /^250/);
      for (const r of ['a', 'b', 'c']) assert.match(await c.command(`RCPT TO:<${r}@sink.test>`), /^250/);
      assert.match(await c.command('RCPT TO:<d@sink.test>'), /^452 .*Too many recipients \(limit 3\)/);
      assert.match(await c.command('DATA'), /^354/);
      c.write(good);
      assert.match(await c.command('\r\n.'), /^250 .*queued as/);
    } finally {
      c.close();
    }
    await h.sink.waitFor(3);
    assert.ok(spoolBytes(h) > before, 'a good message is spooled');
  } finally {
    await h.close();
  }
});

test('abuse: no relay without AUTH; credentials only after STARTTLS; repeated failures shut the address out', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: [
      'gateway.limits.maxAuthFailures=3',
      'gateway.relay.enabled=true',
      'gateway.relay.networks=[{"cidr":"192.0.2.0/24","tenant":"acme"}]',
    ],
  });
  try {
    const c = await RawSmtp.open(h.port());
    assert.match(await c.reply(), /^220 /);
    const clear = await c.command('EHLO client.test');
    assert.match(clear, /^250/);
    assert.match(clear, /STARTTLS/);
    // RFC 4954 §4: AUTH is offered only once the session is encrypted.
    assert.doesNotMatch(clear, /AUTH/, 'no AUTH advertised before STARTTLS');
    assert.match(await c.command('MAIL FROM:<a@example.com>'), /^530 .*[Aa]uthentication [Rr]equired/);
    const token = Buffer.from(`\0${h.username}\0${h.password}`).toString('base64');
    assert.match(await c.command(`AUTH PLAIN ${token}`), /^5\d\d /, 'no AUTH in clear text');
    assert.match(await c.command('STARTTLS'), /^220 /);
    await c.startTls(h.ca);
    assert.match(await c.command('EHLO client.test'), /^250-AUTH PLAIN LOGIN\r?$/m, 'AUTH after STARTTLS');
    c.close();

    // The relay port takes nobody outside its networks (127.0.0.1 is not in 192.0.2.0/24).
    const relay = await RawSmtp.open(h.port('gateway-relay'));
    assert.match(await relay.reply(), /^554 .*Relaying from your address is not allowed/);
    relay.close();

    const bad = Buffer.from(`\0${h.username}\0${'a'.repeat(32)}`).toString('base64');
    const d = await RawSmtp.open(h.port());
    await d.reply();
    await d.command('EHLO client.test');
    await d.command('STARTTLS');
    await d.startTls(h.ca);
    await d.command('EHLO client.test');
    assert.match(await d.command(`AUTH PLAIN ${bad}`), /^535 /);
    assert.match(await d.command(`AUTH PLAIN ${bad}`), /^535 /);
    assert.match(await d.command(`AUTH PLAIN ${bad}`), /^421 .*Too many failed logins/);
    d.close();
    const e = await RawSmtp.open(h.port());
    assert.match(await e.reply(), /^421 .*Too many failed logins/, 'the address is shut out for the window');
    e.close();
    assert.equal(h.sink.messages.length, 0);
  } finally {
    await h.close();
  }
});

test('abuse: connections per address are limited', async () => {
  const h = await startHarness({ domains: [], set: ['gateway.limits.maxConnectionsPerIp=2'] });
  const open: RawSmtp[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const c = await RawSmtp.open(h.port());
      open.push(c);
      assert.match(await c.reply(), /^220 /);
    }
    const third = await RawSmtp.open(h.port());
    open.push(third);
    assert.match(await third.reply(), /^421 .*Too many connections from your address \(limit 2\)/);
  } finally {
    for (const c of open) c.close();
    await h.close();
  }
});

test('abuse: a STARTTLS session that has ended gives its connection slot back', async () => {
  // smtp-server's STARTTLS removes every listener from the plain socket (its upgrade), src/connections' too: the
  // slot was never released, and after maxConnectionsPerIp such sessions the address was shut out for good.
  const h = await startHarness({ domains: [], set: ['gateway.limits.maxConnectionsPerIp=2'] });
  try {
    for (let i = 0; i < 4; i++) {
      const c = await session(h);
      assert.match(await c.command('QUIT'), /^221 /);
      c.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await h.close();
  }
});
