import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressLiteral, receivedField } from './message-composer.ts';

test('addressLiteral: RFC 5321 §4.1.3 literals; an IPv4-mapped address is its IPv4 client', () => {
  const cases: Array<[string, string]> = [
    ['192.0.2.1', '[192.0.2.1]'],
    ['2001:db8::1', '[IPv6:2001:db8::1]'],
    ['::1', '[IPv6:::1]'],
    ['2001:DB8::A', '[IPv6:2001:db8::a]'],
    ['::ffff:192.0.2.1', '[192.0.2.1]'],
    ['::FFFF:127.0.0.1', '[127.0.0.1]'],
    ['fe80::1%eth0', '[IPv6:fe80::1]'],
    // Mapped is decided by the bits (RFC 4291 §2.5.5.2), whatever the text form: src/ip's one rule.
    ['::ffff:c000:201', '[192.0.2.1]'],
  ];
  for (const [address, literal] of cases) assert.equal(addressLiteral(address), literal, address);
});

test('receivedField: the client address is a literal in the from clause', () => {
  const field = (clientAddress: string) =>
    receivedField({
      helo: 'client.test',
      clientAddress,
      byHost: 'mx.example.net',
      protocol: 'ESMTPSA',
      id: 'abc',
      at: new Date(0),
    });
  assert.equal(
    field('2001:db8::1'),
    'Received: from client.test ([IPv6:2001:db8::1])\r\n\tby mx.example.net (senderd) with ESMTPSA id abc;\r\n' +
      '\tThu, 01 Jan 1970 00:00:00 +0000\r\n',
  );
  assert.match(field('::ffff:192.0.2.7'), /^Received: from client\.test \(\[192\.0\.2\.7\]\)\r\n/);
});
