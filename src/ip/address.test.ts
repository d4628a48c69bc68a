import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { isIpv4Mapped, parseIp, parseIpv4, parseIpv6, sameIp, unmapped } from './address.ts';

const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? null : Buffer.from(bytes).toString('hex');

test('IPv4 text: dotted decimal, four parts of 0–255, no leading zeros (RFC 6943 §3.1.1)', () => {
  const cases: Array<[string, string | null, string]> = [
    ['192.0.2.1', 'c0000201', 'a plain address'],
    ['0.0.0.0', '00000000', 'all zeros'],
    ['255.255.255.255', 'ffffffff', 'all ones'],
    ['010.1.1.1', null, 'a leading zero (octal to inet_aton)'],
    ['1.2.3.00', null, 'a doubled zero'],
    ['256.1.1.1', null, 'a part over 255'],
    ['1.2.3', null, 'three parts'],
    ['1.2.3.4.5', null, 'five parts'],
    ['1.2.3.4.', null, 'a trailing dot'],
    ['1..3.4', null, 'an empty part'],
    ['1.2.3.4 ', null, 'a trailing space'],
    ['0x7f.1.1.1', null, 'hex'],
    ['108r.166.27.220', null, 'a typo seen in a real report (AOL, 2012)'],
    ['', null, 'nothing'],
  ];
  for (const [text, bytes, why] of cases) assert.equal(hex(parseIpv4(text)?.bytes), bytes, why);
});

test('IPv6 text in the forms of RFC 4291 §2.2', () => {
  const cases: Array<[string, string | null, string]> = [
    ['2001:db8:0:0:8:800:200c:417a', '20010db80000000000080800200c417a', 'form 1, all eight groups'],
    ['2001:DB8::8:800:200C:417A', '20010db80000000000080800200c417a', 'form 2, upper case'],
    ['ff01::101', 'ff010000000000000000000000000101', 'a multicast address'],
    ['::1', '00000000000000000000000000000001', 'loopback'],
    ['::', '00000000000000000000000000000000', 'unspecified'],
    ['1::', '00010000000000000000000000000000', ':: at the end'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000', ':: standing for one group'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201', 'form 3, a dotted IPv4 tail'],
    ['0:0:0:0:0:0:13.1.68.3', '0000000000000000000000000d014403', 'form 3 without ::'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001', 'a zone index (RFC 4007 §11.2)'],
    ['1:2:3:4:5:6:7:8:9', null, 'nine groups'],
    ['1:2:3:4:5:6:7', null, 'seven groups without ::'],
    ['1:2:3:4:5:6:7:8::', null, ':: with no group left to stand for'],
    ['1::2::3', null, 'two ::'],
    [':::', null, 'three colons'],
    [':1::', null, 'a single leading colon'],
    ['1:', null, 'a single trailing colon'],
    ['12345::', null, 'five digits in a group'],
    ['::g', null, 'not hex'],
    ['::1.2.3', null, 'a short IPv4 tail'],
    ['::1.2.3.4:1', null, 'an IPv4 tail not at the end'],
    ['1:2:3:4:5:6:7:1.2.3.4', null, 'an IPv4 tail after seven groups'],
    ['::010.1.1.1', null, 'a leading zero in the IPv4 tail'],
    ['fe80::1%', null, 'an empty zone index'],
    ['[::1]', null, 'brackets (readIp takes those)'],
  ];
  for (const [text, bytes, why] of cases) {
    assert.equal(hex(parseIpv6(text)?.bytes), bytes, why);
    // node:net (libuv's inet_pton) is the independent judge of what is an IPv6 address.
    assert.equal(isIP(text) === 6, bytes !== null, `node:net disagrees: ${why}`);
  }
  assert.equal(parseIpv6('fe80::1%eth0')?.zone, 'eth0');
});

test('parseIp picks the family by the text; an IPv4-mapped address stays IPv6 until unmapped', () => {
  const cases: Array<[string, 4 | 6 | null, 4 | 6 | null, boolean, string]> = [
    ['192.0.2.1', 4, 4, false, 'IPv4'],
    ['2001:db8::1', 6, 6, false, 'IPv6'],
    ['::ffff:192.0.2.1', 6, 4, true, 'mapped, dotted (as a dual-stack socket reports it)'],
    ['::FFFF:c000:0201', 6, 4, true, 'mapped, in hex (as a URL normalises it)'],
    ['::192.0.2.1', 6, 6, false, 'IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) is not mapped'],
    ['64:ff9b::192.0.2.1', 6, 6, false, 'the NAT64 prefix is not mapped'],
    ['example.com', null, null, false, 'a name'],
  ];
  for (const [text, family, plainFamily, mapped, why] of cases) {
    const ip = parseIp(text);
    assert.equal(ip?.family ?? null, family, why);
    if (ip === null) continue;
    assert.equal(isIpv4Mapped(ip), mapped, why);
    assert.equal(unmapped(ip).family, plainFamily, why);
  }
  assert.ok(sameIp(unmapped(parseIp('::ffff:c000:201')!), parseIp('192.0.2.1')!));
  assert.ok(
    !sameIp(parseIp('::ffff:c000:201')!, parseIp('192.0.2.1')!),
    'the families differ until unmapped',
  );
  assert.ok(
    sameIp(parseIp('fe80::1%eth0')!, parseIp('FE80:0::1')!),
    'a zone index is not part of the address',
  );
});
