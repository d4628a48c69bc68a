import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseDomainName, type DomainNameProblem } from './domain-name.ts';

type Expect = { ok: string } | { problem: DomainNameProblem; mentions: RegExp };

const label63 = 'a'.repeat(63);
const label64 = 'a'.repeat(64);
const name253 = `${label63}.${label63}.${label63}.${'a'.repeat(57)}.com`; // 63*3 + 57 + 3 dots + ".com" = 253
const name254 = `${label63}.${label63}.${label63}.${'a'.repeat(58)}.com`;

/** Hostile and odd input, each with the outcome a person should see. */
const cases: Array<[string, string, Expect]> = [
  ['empty', '', { problem: 'empty', mentions: /empty/ }],
  ['only spaces', '   ', { problem: 'empty', mentions: /empty/ }],
  ['two dots', '..', { problem: 'empty_label', mentions: /empty label/ }],
  ['a double dot inside', 'example..com', { problem: 'empty_label', mentions: /two dots/ }],
  ['a leading dot', '.example.com', { problem: 'empty_label', mentions: /leading dot/ }],
  ['a 63-character label is fine', `${label63}.com`, { ok: `${label63}.com` }],
  [
    'a 64-character label',
    `${label64}.com`,
    { problem: 'label_too_long', mentions: /64 characters.*at most 63/ },
  ],
  ['a 253-character name is fine', name253, { ok: name253 }],
  ['a 254-character name', name254, { problem: 'name_too_long', mentions: /254 characters.*at most 253/ }],
  ['a wildcard', '*.example.com', { problem: 'wildcard', mentions: /Wildcards/ }],
  ['a wildcard inside', 'a.*.example.com', { problem: 'wildcard', mentions: /Wildcards/ }],
  ['a URL', 'https://example.com/', { problem: 'url', mentions: /looks like a URL/ }],
  ['a path as trailing junk', 'example.com/path', { problem: 'url', mentions: /URL/ }],
  ['a port', 'example.com:25', { problem: 'url', mentions: /host:port/ }],
  ['an e-mail address', 'user@example.com', { problem: 'url', mentions: /e-mail address/ }],
  ['a trailing comma', 'example.com,', { problem: 'bad_character', mentions: /character/ }],
  ['a quote', '"example.com"', { problem: 'bad_character', mentions: /character/ }],
  ['a space inside', 'exa mple.com', { problem: 'whitespace', mentions: /spaces/ }],
  ['a tab inside', 'example.\tcom', { problem: 'whitespace', mentions: /spaces/ }],
  ['an IPv4 address', '192.0.2.1', { problem: 'ip_address', mentions: /IP address/ }],
  ['an IPv6 address', '2001:db8::1', { problem: 'ip_address', mentions: /IP address/ }],
  ['a bracketed IPv6 address', '[2001:db8::1]', { problem: 'ip_address', mentions: /IP address/ }],
  ['a numeric TLD', 'example.123', { problem: 'numeric_tld', mentions: /numeric/ }],
  ['an underscore', '_dmarc.example.com', { problem: 'bad_character', mentions: /"_"/ }],
  ['a leading hyphen', '-example.com', { problem: 'bad_hyphen', mentions: /hyphen/ }],
  ['a trailing hyphen', 'example-.com', { problem: 'bad_hyphen', mentions: /hyphen/ }],
  ['reserved "--" in positions 3-4', 'ab--cd.com', { problem: 'bad_hyphen', mentions: /reserved for IDNA/ }],
  ['invalid punycode', 'xn--zz.com', { problem: 'idna', mentions: /internationalised/ }],
  ['mixed case is normalised', 'WwW.Example.COM', { ok: 'www.example.com' }],
  ['an absolute name loses its dot', 'example.com.', { ok: 'example.com' }],
  ['outer whitespace is trimmed', '  example.com \n', { ok: 'example.com' }],
  ['Unicode becomes A-labels', 'Bücher.Example', { ok: 'xn--bcher-kva.example' }],
  ['a Unicode TLD', 'example.中国', { ok: 'example.xn--fiqs8s' }],
  ['full-width dots are IDNA dots', 'example。com', { ok: 'example.com' }],
  ['a digit-only label that is not the TLD', '123.example.com', { ok: '123.example.com' }],
];

for (const [what, input, expected] of cases) {
  test(`domain name: ${what} (${JSON.stringify(input.length > 40 ? input.slice(0, 37) + '...' : input)})`, () => {
    const result = normaliseDomainName(input);
    if ('ok' in expected) {
      assert.ok(result.ok, result.ok ? '' : `rejected: ${result.error.message}`);
      assert.equal(result.value, expected.ok);
    } else {
      assert.ok(!result.ok, `accepted as ${result.ok ? result.value : ''}`);
      assert.equal(result.error.problem, expected.problem, result.error.message);
      assert.match(result.error.message, expected.mentions);
    }
  });
}

test('there are at least 25 hostile or odd names in the table', () => {
  assert.ok(cases.filter(([, , e]) => 'problem' in e).length >= 25);
});

test('normalisation is idempotent: a normalised name normalises to itself', () => {
  for (const [, input, expected] of cases) {
    if (!('ok' in expected)) continue;
    const once = normaliseDomainName(input);
    assert.ok(once.ok);
    const twice = normaliseDomainName(once.value);
    assert.ok(twice.ok);
    assert.equal(twice.value, once.value);
  }
});
