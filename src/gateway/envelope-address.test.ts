import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecipient, checkReversePath } from './envelope-address.ts';
import { unofferedParameter } from './smtp-parameters.ts';

test('checkRecipient: ASCII local parts and DNS names pass, domains become lower-case A-labels', () => {
  const cases: Array<[string, string]> = [
    ['bob@example.org', 'bob@example.org'],
    ['Bob.Smith+tag@Example.ORG', 'Bob.Smith+tag@example.org'],
    // smtp-server shows A-labels as U-labels; delivery needs the A-labels back (RFC 5890).
    ['bob@exämple.org', 'bob@xn--exmple-cua.org'],
    ['bob@bücher.example', 'bob@xn--bcher-kva.example'],
  ];
  for (const [given, expected] of cases) {
    const checked = checkRecipient(given);
    assert.ok(checked.ok, `${given}: ${checked.ok ? '' : checked.error.text}`);
    assert.equal(checked.value, expected, given);
  }
});

test('checkRecipient: non-ASCII local parts, address literals and bad names are refused at RCPT', () => {
  const cases: Array<[string, number, string, RegExp]> = [
    ['üser@example.org', 553, '5.6.7', /local part is not ASCII; that needs SMTPUTF8 \(RFC 6531\)/],
    ['用户@例子.广告', 553, '5.6.7', /not ASCII/],
    ['x@[127.0.0.1]', 553, '5.1.2', /Address literals \(\[127\.0\.0\.1\]\) are not accepted/],
    ['x@[IPv6:2001:db8::1]', 553, '5.1.2', /Address literals/],
    ['x@a_b.example', 553, '5.1.2', /The recipient domain is not valid/],
    ['postmaster', 553, '5.1.3', /must be a full address/],
    ['x@', 553, '5.1.3', /must be a full address/],
  ];
  for (const [given, code, enhanced, text] of cases) {
    const checked = checkRecipient(given);
    assert.ok(!checked.ok, `${given} was accepted`);
    assert.equal(checked.error.code, code, given);
    assert.equal(checked.error.enhanced, enhanced, given);
    assert.match(checked.error.text, text, given);
  }
});

test('checkReversePath: a non-ASCII local part needs SMTPUTF8; the null path and U-label domains pass', () => {
  assert.equal(checkReversePath(''), null);
  assert.equal(checkReversePath('a@exämple.org'), null);
  assert.equal(checkReversePath('ä@example.org')?.enhanced, '5.6.7');
});

test('unofferedParameter: only what the gateway advertises is taken (RFC 5321 §4.1.1.11)', () => {
  const cases: Array<[string, 'MAIL' | 'RCPT', Record<string, unknown> | false, boolean, string | null]> = [
    ['no parameters', 'MAIL', false, true, null],
    ['SIZE and BODY', 'MAIL', { SIZE: '100', BODY: '8BITMIME' }, false, null],
    ['AUTH= where AUTH is offered', 'MAIL', { AUTH: '<>' }, true, null],
    ['AUTH= on the relay port, which offers no AUTH', 'MAIL', { AUTH: '<>' }, false, 'AUTH'],
    ['SMTPUTF8 (hidden)', 'MAIL', { SMTPUTF8: true }, true, 'SMTPUTF8'],
    ['REQUIRETLS (not advertised)', 'MAIL', { REQUIRETLS: true }, true, 'REQUIRETLS'],
    ['RET= (DSN not offered)', 'MAIL', { SIZE: '1', RET: 'HDRS' }, true, 'RET'],
    ['ENVID=', 'MAIL', { ENVID: 'x' }, true, 'ENVID'],
    ['NOTIFY=', 'RCPT', { NOTIFY: 'NEVER' }, true, 'NOTIFY'],
    ['ORCPT=', 'RCPT', { ORCPT: 'rfc822;a@b' }, true, 'ORCPT'],
    ['an unknown one', 'RCPT', { XFOO: 'bar' }, true, 'XFOO'],
  ];
  for (const [what, verb, args, auth, refused] of cases) {
    const reply = unofferedParameter(verb, args, auth);
    if (refused === null) assert.equal(reply, null, what);
    else {
      assert.equal(reply?.code, 555, what);
      assert.equal(reply.enhanced, '5.5.4', what);
      assert.equal(
        reply.text,
        `The ${verb} parameter ${refused} is not offered by this server (RFC 5321 §4.1.1.11).`,
      );
    }
  }
});
