import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { parseIp } from './address.ts';
import { formatIp } from './address-text.ts';
import { CidrSet, cidrBounds, cidrContains, cidrList, networkAddress, parseCidr } from './cidr.ts';

test('CIDR text: an address and a prefix no longer than its family allows', () => {
  const cases: Array<[string, string | null, string]> = [
    ['192.0.2.0/24', '192.0.2.0/24', 'IPv4'],
    ['2001:db8::/32', '2001:db8::/32', 'IPv6'],
    ['198.51.100.7', '198.51.100.7/32', 'a bare IPv4 address is a /32'],
    ['2001:db8::1', '2001:db8::1/128', 'a bare IPv6 address is a /128'],
    ['192.0.2.7/24', '192.0.2.7/24', 'host bits may be set'],
    ['0.0.0.0/0', '0.0.0.0/0', 'everything'],
    ['192.0.2.0/33', null, 'a prefix too long for IPv4'],
    ['2001:db8::/129', null, 'a prefix too long for IPv6'],
    ['192.0.2.0/', null, 'no prefix after the slash'],
    ['192.0.2.0/2a', null, 'a prefix that is not a number'],
    ['192.0.2.0/0024', null, 'a prefix of four digits'],
    ['fe80::/10%eth0', null, 'a zone index'],
    ['example.com/24', null, 'a name'],
  ];
  for (const [text, expected, why] of cases) {
    const range = parseCidr(text);
    assert.equal(range === null ? null : `${formatIp(range.address)}/${range.prefix}`, expected, why);
  }
});

test('a range holds the addresses of its family that share its prefix', () => {
  const cases: Array<[string, string, boolean, string]> = [
    ['192.0.2.0/24', '192.0.2.200', true, 'inside'],
    ['192.0.2.0/24', '192.0.3.1', false, 'outside'],
    ['192.0.2.0/24', '2001:db8::1', false, 'families never mix'],
    ['2001:db8::/33', '2001:db8:7fff::1', true, 'a prefix inside a group'],
    ['2001:db8::/33', '2001:db8:8000::1', false, 'the first bit past the prefix'],
    ['0.0.0.0/0', '203.0.113.9', true, 'a /0'],
    ['198.51.100.7', '198.51.100.7', true, 'a bare address holds itself'],
  ];
  for (const [range, ip, inside, why] of cases)
    assert.equal(cidrContains(parseCidr(range)!, parseIp(ip)!), inside, why);
});

test('network addresses and bounds', () => {
  const cases: Array<[string, number, string, string]> = [
    ['192.0.2.77', 24, '192.0.2.0', 'IPv4 /24'],
    ['192.0.2.77', 26, '192.0.2.64', 'IPv4 inside an octet'],
    ['2001:db8:0:ab::2', 56, '2001:db8::', 'IPv6 /56'],
    ['2001:db8:0:1ff::2', 56, '2001:db8:0:100::', 'IPv6 inside an octet'],
    ['203.0.113.9', 0, '0.0.0.0', 'a /0'],
  ];
  for (const [ip, prefix, network, why] of cases)
    assert.equal(formatIp(networkAddress(parseIp(ip)!, prefix)), network, why);
  const bounds = (text: string) => cidrBounds(parseCidr(text)!).map(formatIp);
  assert.deepEqual(bounds('192.0.2.77/28'), ['192.0.2.64', '192.0.2.79']);
  assert.deepEqual(bounds('198.51.100.7'), ['198.51.100.7', '198.51.100.7']);
  assert.deepEqual(bounds('2001:db8::/32'), ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']);
});

test('a set of ranges answers as node:net BlockList does, IPv4-mapped addresses included', () => {
  const rules = ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::ffff:198.51.100.0/120', 'fd00::/8'];
  const addresses = [
    '10.1.2.3',
    '11.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:a01:203',
    '192.0.2.7',
    '192.0.2.8',
    '198.51.100.9',
    '::ffff:198.51.100.9',
    '2001:db8:1::1',
    '2001:db9::1',
    'fd12::1',
    '::a01:203',
  ];
  const everything = ['::/0'];
  for (const list of [rules, everything, ['0.0.0.0/0'], ['::/8']]) {
    const ours = cidrList(list);
    const blockList = new BlockList();
    for (const rule of list) {
      const [address = '', prefix] = rule.split('/');
      const type = address.includes(':') ? 'ipv6' : 'ipv4';
      if (prefix === undefined) blockList.addAddress(address, type);
      else blockList.addSubnet(address, Number(prefix), type);
    }
    for (const a of addresses) {
      const expected = blockList.check(a, a.includes(':') ? 'ipv6' : 'ipv4');
      assert.equal(ours.has(parseIp(a)!), expected, `${a} in ${list.join(' ')}`);
    }
  }
  assert.throws(() => cidrList(['10.0.0.0/8', 'nonsense']), /not an address or CIDR range: nonsense/);
});

test('the most specific range wins', () => {
  const set = new CidrSet<string>(
    (
      [
        ['192.0.0.0/24', 'protocol assignments'],
        ['192.0.0.9/32', 'PCP anycast'],
        ['0.0.0.0/0', 'everything'],
      ] as const
    ).map(([text, name]) => [parseCidr(text)!, name] as const),
  );
  const cases: Array<[string, string | undefined, string]> = [
    ['192.0.0.9', 'PCP anycast', 'the /32 inside the /24'],
    ['192.0.0.8', 'protocol assignments', 'the /24'],
    ['::ffff:192.0.0.9', 'PCP anycast', 'an IPv4-mapped address'],
    ['8.8.8.8', 'everything', 'the /0'],
    ['2001:db8::1', undefined, 'an IPv4 /0 holds no IPv6 address'],
  ];
  for (const [ip, name, why] of cases) assert.equal(set.lookup(parseIp(ip)!), name, why);
  assert.equal(set.size, 3);
});
