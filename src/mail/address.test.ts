import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainOfAddress, splitAddress } from './address.ts';

test('splitAddress: the last "@" separates local part and domain (RFC 5321 §4.1.2)', () => {
  const cases: Array<[string, string, string | null]> = [
    ['user@example.com', 'user', 'example.com'],
    ['"a@b"@example.com', '"a@b"', 'example.com'],
    ['user@[192.0.2.1]', 'user', '[192.0.2.1]'],
    ['Postmaster', 'Postmaster', null],
    ['@example.com', '', 'example.com'],
    ['user@', 'user', ''],
  ];
  for (const [address, localPart, domain] of cases)
    assert.deepEqual(splitAddress(address), { localPart, domain }, address);
});

test('domainOfAddress: the domain of an address as reports write it, lower case, or null', () => {
  const cases: Array<[string | null | undefined, string | null]> = [
    ['<user@Example.COM>', 'example.com'],
    ['"Reporter" <noreply@Reporter.example>', 'reporter.example'],
    ['user@example.com (comment)', 'example.com'],
    ['@example.com', 'example.com'],
    ['example.com.', 'example.com'],
    ['sub_domain.example.com', 'sub_domain.example.com'],
    ['localhost', null],
    ['user@[192.0.2.1]', null],
    ['', null],
    [null, null],
    [undefined, null],
  ];
  for (const [value, domain] of cases) assert.equal(domainOfAddress(value), domain, String(value));
});
