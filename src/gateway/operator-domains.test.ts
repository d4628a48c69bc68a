import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePublicSuffixList } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { intakeReply } from './intake-refusal.ts';
import { operatorDomainRefusal, operatorDomains } from './operator-domains.ts';

const psl = parsePublicSuffixList('net\ncom\nuk\nco.uk\nio\ngithub.io\n');
const org = (name: DomainName) => psl.registrableDomain(name) ?? name;
const refusal = (from: string, names: Parameters<typeof operatorDomains>[0]) => {
  const found = operatorDomainRefusal(from as DomainName, operatorDomains(names, org), org);
  return found === null ? null : intakeReply(found);
};

const platform = { bounceDomain: 'bounce.mail.example.net', zone: 'mail.example.net', platformDomain: '' };

test('operator domains: an author in the organisational domain of a platform name is refused', () => {
  const cases: Array<[string, string, Parameters<typeof operatorDomains>[0], RegExp | null]> = [
    [
      'the org domain of the bounce domain',
      'example.net',
      platform,
      /bounce domain bounce\.mail\.example\.net/,
    ],
    ['a subdomain of it', 'ceo.example.net', platform, /organisational domain example\.net/],
    ['the bounce domain itself', 'bounce.mail.example.net', platform, /^The From domain bounce\.mail/],
    ['another domain', 'example.com', platform, null],
    ['a look-alike that is not a subdomain', 'notexample.net', platform, null],
    [
      'the zone when the bounce domain lives elsewhere',
      'www.example.net',
      { ...platform, bounceDomain: 'bounces.op-mail.com' },
      /zone mail\.example\.net/,
    ],
    [
      'the bounce domain elsewhere is protected too',
      'op-mail.com',
      { ...platform, bounceDomain: 'bounces.op-mail.com' },
      /bounce domain bounces\.op-mail\.com/,
    ],
    [
      'the platform signing domain (d= of unmatched mail)',
      'news.brand.co.uk',
      { ...platform, platformDomain: 'brand.co.uk' },
      /signing domain brand\.co\.uk/,
    ],
    [
      'a public suffix splits organisations: another github.io site is not the operator',
      'other.github.io',
      { bounceDomain: 'bounce.op.github.io', zone: 'op.github.io', platformDomain: '' },
      null,
    ],
    [
      'names are compared normalised (upper case, trailing dot in the config)',
      'example.net',
      { bounceDomain: 'BOUNCE.Mail.Example.NET.', zone: '', platformDomain: '' },
      /example\.net/,
    ],
    ['nothing configured', 'example.net', { bounceDomain: '', zone: '', platformDomain: '' }, null],
  ];
  for (const [what, from, names, expected] of cases) {
    const reply = refusal(from, names);
    if (expected === null) assert.equal(reply, null, what);
    else {
      assert.ok(reply !== null, what);
      assert.equal(reply.code, 554, what);
      assert.equal(reply.enhanced, '5.7.1', what);
      assert.match(reply.text, expected, what);
      assert.match(reply.text, /RFC 7489 §3\.1\.2/, what);
    }
  }
});
