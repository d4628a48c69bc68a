import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spfMechanism } from './domain-settings.ts';

const problem = (term: string): string | null => {
  const r = spfMechanism.safeParse(term);
  return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
};

test('SPF mechanisms a customer may add: valid ones pass as written', () => {
  for (const term of [
    'ip4:192.0.2.1',
    '-ip4:192.0.2.0/24',
    'ip6:2001:db8::/32',
    'ip6:::1',
    'a:mail.example.com',
    'a:mail.example.com/28',
    'mx:example.com//64',
    'include:_spf.google.com',
    '~include:spf.protection.outlook.com',
    'exists:%{i}._spf.example.com',
    'include:%{o}.spf.example.net',
  ]) {
    assert.equal(problem(term), null, term);
    assert.equal(spfMechanism.parse(` ${term} `), term);
  }
});

test('SPF mechanisms that would break or silently change the hosted record are refused, each saying why', () => {
  const cases: Array<[string, RegExp]> = [
    // Not an address: a permerror for the customer's whole SPF (RFC 7208 §4.6).
    ['ip6:::::', /not a valid SPF mechanism/],
    ['ip6:1:2:3', /not a valid SPF mechanism/],
    ['ip6:1.2.3.4', /not a valid SPF mechanism/],
    ['ip4:300.1.1.1', /not a valid SPF mechanism/],
    ['include:-', /not a valid SPF mechanism/],
    ['include:%{z}.example.com', /not a valid SPF mechanism/],
    // Inside the include, <domain> is the platform's host (RFC 7208 §5.2).
    ['a', /needs its domain \(a:example\.com\)/],
    ['mx/24', /needs its domain \(mx:example\.com\)/],
    ['exists:%{d}.example.com', /%\{d\}/],
    ['include:%{d2}.spf.example.com', /%\{d\}/],
    // Not for the customer to add.
    ['all', /all is not allowed/],
    ['ptr:example.com', /ptr is not allowed/],
    ['redirect=_spf.example.com', /one SPF mechanism/],
    ['ip4:192.0.2.1 ip4:192.0.2.2', /one SPF mechanism/],
    ['', /one SPF mechanism/],
  ];
  for (const [term, why] of cases) {
    const p = problem(term);
    assert.ok(p !== null, `${term} should be refused`);
    assert.match(p, why, term);
  }
});
