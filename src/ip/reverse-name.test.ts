import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIp } from './address.ts';
import { nibbles, reverseName } from './reverse-name.ts';

test('reverse names follow RFC 1035 §3.5 and RFC 3596 §2.5', () => {
  const cases: Array<[string, string, string]> = [
    ['192.0.2.1', '1.2.0.192.in-addr.arpa', 'IPv4: the four parts reversed'],
    ['10.0.0.255', '255.0.0.10.in-addr.arpa', 'IPv4 with zero parts'],
    [
      '2001:db8::567:89ab',
      'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      'IPv6: 32 nibbles reversed (the example of RFC 3596 §2.5, lower case)',
    ],
    [
      '::ffff:192.0.2.1',
      '1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa',
      'an IPv4-mapped address as written (callers unmap first when they mean the IPv4 host)',
    ],
  ];
  for (const [input, expected, why] of cases) assert.equal(reverseName(parseIp(input)!), expected, why);
  assert.equal(nibbles(parseIp('192.0.2.1')!).join(''), 'c0000201');
});
