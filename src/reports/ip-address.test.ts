import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, normaliseIp, parseCidr, parseIp, reverseName } from './ip-address.ts';

test('addresses are normalised once (RFC 5952 for IPv6, IPv4-mapped to IPv4)', () => {
  const cases: Array<[string, string | null, string]> = [
    ['192.0.2.1', '192.0.2.1', 'a plain dotted quad'],
    [' 192.0.2.1 ', '192.0.2.1', 'surrounding space'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 'upper case and zero groups'],
    ['2001:db8:abcd:0012::1', '2001:db8:abcd:12::1', 'leading zeros of a group'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 'the first of two equal zero runs'],
    ['2001:db8::1:0:0:0:1', '2001:db8:0:1::1', 'the longest zero run'],
    ['::ffff:203.0.113.68', '203.0.113.68', 'an IPv4-mapped address'],
    ['[IPv6:::ffff:203.0.113.68]', '203.0.113.68', 'the Received-header form'],
    ['::', '::', 'the unspecified address'],
    ['108r.166.27.220', null, 'a typo (AOL, 2012)'],
    ['010.1.1.1', null, 'an octal-looking octet'],
    ['256.1.1.1', null, 'an octet over 255'],
    ['1:2:3:4:5:6:7:8:9', null, 'nine groups'],
    ['', null, 'nothing'],
  ];
  for (const [input, expected, why] of cases) assert.equal(normaliseIp(input), expected, why);
});

test('CIDR ranges contain what they should', () => {
  const r = parseCidr('192.0.2.0/24')!;
  assert.ok(cidrContains(r, parseIp('192.0.2.200')!));
  assert.ok(!cidrContains(r, parseIp('192.0.3.1')!));
  assert.ok(!cidrContains(r, parseIp('2001:db8::1')!), 'families never mix');
  const six = parseCidr('2001:db8::/33')!;
  assert.ok(cidrContains(six, parseIp('2001:db8:7fff::1')!));
  assert.ok(!cidrContains(six, parseIp('2001:db8:8000::1')!));
  assert.equal(parseCidr('192.0.2.0/33'), null);
  assert.ok(cidrContains(parseCidr('198.51.100.7')!, parseIp('198.51.100.7')!), 'a bare address is a /32');
});

test('reverse names follow RFC 1035 §3.5 and RFC 3596 §2.5', () => {
  assert.equal(reverseName(parseIp('192.0.2.1')!), '1.2.0.192.in-addr.arpa');
  assert.equal(
    reverseName(parseIp('2001:db8::1')!),
    '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
  );
});
