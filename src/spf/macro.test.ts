import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dottedIp, parseClientIp } from './client-ip.ts';
import { expandMacros, parseDomainSpec, parseMacroString, truncateDomain } from './macro.ts';

function context(ip: string) {
  const client = parseClientIp(ip)!;
  return {
    values: {
      s: 'strong-bad@email.example.com',
      l: 'strong-bad',
      o: 'email.example.com',
      d: 'email.example.com',
      i: dottedIp(client),
      v: client.family === 4 ? 'in-addr' : 'ip6',
      h: 'mx.example.org',
    },
    validatedName: () => Promise.resolve('unknown'),
  };
}

// RFC 7208 §7.4, the worked examples.
const EXAMPLES: Array<[string, string, string]> = [
  ['192.0.2.3', '%{s}', 'strong-bad@email.example.com'],
  ['192.0.2.3', '%{o}', 'email.example.com'],
  ['192.0.2.3', '%{d4}', 'email.example.com'],
  ['192.0.2.3', '%{d2}', 'example.com'],
  ['192.0.2.3', '%{d1}', 'com'],
  ['192.0.2.3', '%{dr}', 'com.example.email'],
  ['192.0.2.3', '%{d2r}', 'example.email'],
  ['192.0.2.3', '%{l-}', 'strong.bad'],
  ['192.0.2.3', '%{lr}', 'strong-bad'],
  ['192.0.2.3', '%{lr-}', 'bad.strong'],
  ['192.0.2.3', '%{l1r-}', 'strong'],
  ['192.0.2.3', '%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
  ['192.0.2.3', '%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
  ['192.0.2.3', '%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
  ['192.0.2.3', '%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
  [
    '2001:db8::cb01',
    '%{ir}.%{v}._spf.%{d2}',
    '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
  ],
  ['192.0.2.3', '%{L}%%%_%-', 'strong-bad% %20'],
  ['192.0.2.3', '%{S}', 'strong-bad%40email.example.com'],
];

for (const [ip, macro, expected] of EXAMPLES) {
  test(`RFC 7208 §7.4: ${macro} for ${ip}`, async () => {
    const tokens = parseMacroString(macro);
    assert.ok(tokens.ok);
    assert.equal((await expandMacros(tokens.value, context(ip))).toLowerCase(), expected.toLowerCase());
  });
}

const BAD: Array<[string, string]> = [
  ['%{x}', 'not a macro letter'],
  ['%{d0}', 'zero parts'],
  ['%{c}', 'c only in exp'],
  ['%a', 'a bare %'],
  ['foo%{d', 'unclosed'],
  ['caf\u00e9.example', 'non-ASCII'],
];
for (const [text, why] of BAD) {
  test(`macro-string "${text}" is a syntax error (${why})`, () => {
    assert.equal(parseMacroString(text).ok, false);
  });
}

const SPECS: Array<[string, boolean]> = [
  ['example.com', true],
  ['example.com.', true],
  ['%{d}', true],
  ['%{i}._ip.%{d}', true],
  ['foo.%%', true],
  ['localhost', false],
  ['example.123', false],
  ['example.-com', false],
];
for (const [spec, valid] of SPECS) {
  test(`domain-spec "${spec}" is ${valid ? 'valid' : 'invalid'} (RFC 7208 §7.1 domain-end)`, () => {
    assert.equal(parseDomainSpec(spec).ok, valid);
  });
}

test('an expansion over 253 characters loses labels from the left (RFC 7208 §7.3)', () => {
  const long = `${'a'.repeat(60)}.`.repeat(5) + 'example.com';
  const t = truncateDomain(long);
  assert.ok(t.length <= 253);
  assert.ok(t.endsWith('example.com'));
  assert.ok(long.endsWith(t));
});
