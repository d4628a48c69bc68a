import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainName } from '../domain-name/index.ts';
import { senderDomain } from '../../test/support/sender-domains.ts';
import {
  envelopeDomain,
  matchSenderDomain,
  parseUnsubscribeAddress,
  parseVerpAddress,
  unsubscribeAddress,
  verpAddress,
} from './envelope.ts';

const key = Buffer.alloc(32, 7);

const domain = (name: string, verifiedAt: string | null = '') =>
  senderDomain(name, { verified: verifiedAt !== null });

test('a VERP address round-trips, fits in 64 octets, and a changed one is refused', () => {
  const address = verpAddress(key, 'abcdefghijklmnopqrst', 3, 'bounce.example.com');
  assert.match(address, /^b-abcdefghijklmnopqrst-3-[a-z2-7]{8}@bounce\.example\.com$/);
  assert.ok(address.split('@')[0]!.length <= 64);
  assert.deepEqual(parseVerpAddress(key, address), { messageId: 'abcdefghijklmnopqrst', recipient: 3 });
  assert.deepEqual(parseVerpAddress(key, address.toUpperCase()), {
    messageId: 'abcdefghijklmnopqrst',
    recipient: 3,
  });
  assert.equal(parseVerpAddress(key, address.replace('-3-', '-4-')), null, 'another recipient');
  assert.equal(parseVerpAddress(Buffer.alloc(32, 8), address), null, 'another key');
  assert.equal(parseVerpAddress(key, 'postmaster@example.com'), null);
});

test('an unsubscribe address round-trips, and is never taken for a bounce address or the other way round', () => {
  const address = unsubscribeAddress(key, 'abcdefghijklmnopqrst', 2, 'bounce.example.com');
  assert.match(address, /^u-abcdefghijklmnopqrst-2-[a-z2-7]{8}@bounce\.example\.com$/);
  assert.ok(address.split('@')[0]!.length <= 64);
  assert.deepEqual(parseUnsubscribeAddress(key, address.toUpperCase()), {
    messageId: 'abcdefghijklmnopqrst',
    recipient: 2,
  });
  assert.equal(parseUnsubscribeAddress(key, address.replace('-2-', '-1-')), null, 'another recipient');
  const bounce = verpAddress(key, 'abcdefghijklmnopqrst', 2, 'bounce.example.com');
  // Same message and recipient, only the prefix swapped: the MACs differ by purpose, so neither passes as the other.
  assert.equal(parseUnsubscribeAddress(key, `u-${bounce.slice(2)}`), null);
  assert.equal(parseVerpAddress(key, `b-${address.slice(2)}`), null);
});

test('the sender domain is the longest match on label boundaries', () => {
  const domains = [domain('example.com'), domain('news.example.com'), domain('ample.com')];
  const cases: Array<[string, string | null]> = [
    ['example.com', 'example.com'],
    ['news.example.com', 'news.example.com'],
    ['a.news.example.com', 'news.example.com'],
    ['other.example.com', 'example.com'],
    ['badexample.com', null],
    ['example.org', null],
  ];
  for (const [from, want] of cases)
    assert.equal(matchSenderDomain(domains, from as DomainName)?.name ?? null, want, from);
});

test('the envelope domain is the bounce host once verified, else the platform bounce domain', () => {
  assert.equal(envelopeDomain(domain('example.com'), 'bounce.mail.example.net'), 'bounce.example.com');
  assert.equal(
    envelopeDomain(domain('example.com', null), 'bounce.mail.example.net'),
    'bounce.mail.example.net',
  );
  assert.equal(envelopeDomain(null, 'bounce.mail.example.net'), 'bounce.mail.example.net');
});
