import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseIp } from './address.ts';
import { formatIp } from './address-text.ts';
import { cidrBounds, parseCidr } from './cidr.ts';
import { specialPurposeAddress, specialPurposeBlock, specialPurposeBlocks } from './special-purpose.ts';

test('the registries name the most specific block, IPv4-mapped addresses judged as IPv4', () => {
  const cases: Array<[string, string | null, string]> = [
    ['0.0.0.0', '0.0.0.0/32', '"this host on this network" inside "this network"'],
    ['0.1.2.3', '0.0.0.0/8', '"this network"'],
    ['192.0.0.9', '192.0.0.9/32', 'PCP anycast inside the IETF protocol assignments'],
    ['192.0.0.200', '192.0.0.0/24', 'the rest of the IETF protocol assignments'],
    ['192.0.2.2', '192.0.2.0/24', 'TEST-NET-1'],
    ['198.51.100.1', '198.51.100.0/24', 'TEST-NET-2'],
    ['203.0.113.1', '203.0.113.0/24', 'TEST-NET-3'],
    ['100.64.0.1', '100.64.0.0/10', 'shared address space (carrier-grade NAT)'],
    ['198.19.255.255', '198.18.0.0/15', 'benchmarking'],
    ['239.255.255.250', '224.0.0.0/4', 'multicast'],
    ['255.255.255.255', '255.255.255.255/32', 'limited broadcast inside reserved'],
    ['::ffff:169.254.169.254', '169.254.0.0/16', 'mapped, dotted'],
    ['::ffff:a9fe:a9fe', '169.254.0.0/16', 'mapped, hex'],
    ['2001::1', '2001::/32', 'Teredo inside the IETF protocol assignments'],
    ['2001:1::3', '2001:1::3/128', 'DNS-SD SRP anycast'],
    ['2001:db8::1', '2001:db8::/32', 'documentation'],
    ['3fff::1', '3fff::/20', 'the second documentation block (RFC 9637)'],
    ['2002:a9fe:a9fe::1', '2002::/16', '6to4'],
    ['64:ff9b::a9fe:a9fe', '64:ff9b::/96', 'the NAT64 well-known prefix'],
    ['64:ff9b:1::1', '64:ff9b:1::/48', 'the local-use NAT64 prefix'],
    ['fd00::1', 'fc00::/7', 'unique local'],
    ['fe80::1%eth0', 'fe80::/10', 'link-local with a zone'],
    ['fec0::1', 'fec0::/10', 'deprecated site-local'],
    ['ff02::1', 'ff00::/8', 'multicast'],
    ['::a9fe:a9fe', '::/8', 'IPv4-compatible (deprecated) lies outside global unicast'],
    ['4000::1', '4000::/3', 'outside 2000::/3'],
    ['8.8.8.8', null, 'public IPv4'],
    ['2a00:1450:4001:81c::200e', null, 'public IPv6'],
    ['::ffff:8.8.8.8', null, 'a mapped public address'],
  ];
  for (const [address, block, why] of cases)
    assert.equal(specialPurposeBlock(parseIp(address)!)?.block ?? null, block, `${address}: ${why}`);
});

test('every block is refused from its first address to its last', () => {
  assert.equal(specialPurposeBlocks.length, 26 + 42, '26 IPv4 blocks, 42 IPv6 blocks');
  for (const b of specialPurposeBlocks) {
    const range = parseCidr(b.block);
    assert.ok(range !== null, b.block);
    for (const end of cidrBounds(range).map(formatIp))
      assert.notEqual(specialPurposeAddress(end), null, `${end}, an end of ${b.block} (${b.name})`);
  }
});

test('destinations senderd refuses for a tenant, with the reason, and those it allows', () => {
  const cases: Array<[string, RegExp | null, string]> = [
    [
      '192.0.2.2',
      /192\.0\.2\.2 is a private, local or reserved address \(Documentation \(TEST-NET-1\), 192\.0\.2\.0\/24, RFC 5737\)/,
      'issue 14: the webhook that received the event',
    ],
    ['198.51.100.7', /TEST-NET-2/, 'documentation'],
    ['203.0.113.7', /TEST-NET-3/, 'documentation'],
    [
      '64:ff9b::a9fe:a9fe',
      /NAT64 for 169\.254\.169\.254: Link Local/,
      'the NAT64 form of the metadata service',
    ],
    ['64:ff9b::808:808', null, 'NAT64 to a public address is that public address'],
    ['2002:a9fe:a9fe::1', /6to4/, '6to4 carries IPv4 through relays'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /TEREDO/, 'Teredo'],
    ['2001:db8::1', /Documentation, 2001:db8::\/32/, 'documentation'],
    [
      '192.0.0.9',
      /Port Control Protocol Anycast/,
      'globally reachable by the registry, still no place for a webhook',
    ],
    ['192.175.48.1', /AS112/, 'AS112'],
    ['::ffff:7f00:1', /Loopback/, 'loopback, written as a URL host normalises it'],
    ['::', /Unspecified/, 'unspecified'],
    ['8.8.8.8', null, 'public'],
    ['2a00:1450:4001:81c::200e', null, 'public IPv6'],
    ['hooks.example.com', null, 'a name is judged once it resolves'],
  ];
  for (const [address, reason, why] of cases) {
    const got = specialPurposeAddress(address);
    if (reason === null) assert.equal(got, null, `${address}: ${why}`);
    else assert.match(got ?? '', reason, `${address}: ${why}`);
  }
});

test("nothing Python's ipaddress calls non-global gets through (Debian's list, an independent copy)", () => {
  // /usr/bin/python3 is Debian's: its ipaddress carries the registries with their "globally reachable"
  // exceptions. Every network it holds private must be refused here at both ends; the exceptions (globally
  // reachable anycast blocks) are refused here as well, by choice (see specialPurposeAddress).
  const script = String.raw`
import ipaddress
for cls in (ipaddress.IPv4Address, ipaddress.IPv6Address):
    c = cls._constants
    for n in list(c._private_networks) + list(getattr(c, '_private_networks_exceptions', [])):
        print(n.network_address, n.broadcast_address)
`;
  const lines = execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(lines.length >= 20, 'Python listed its networks');
  for (const line of lines)
    for (const address of line.split(' '))
      assert.notEqual(specialPurposeAddress(address), null, `${address} (from ${line}) should be refused`);
});
