import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DomainName } from '../domain-name/index.ts';
import { parsePublicSuffixList } from './public-suffix.ts';
import { parseSenderDomain, type SenderDomainProblem } from './sender-domain-name.ts';

const psl = parsePublicSuffixList(
  readFileSync(new URL('../../../shared/corpus/psl/public_suffix_list.dat', import.meta.url), 'utf8'),
);
const rules = { publicSuffixes: psl, platformZone: 'mail.example.net' as DomainName };

type Expect = { ok: string } | { problem: SenderDomainProblem; mentions: RegExp };

/** Names that are valid syntax (src/domain-name checks that) but cannot, or can, be a sender domain. */
const cases: Array<[string, string, Expect]> = [
  ['a TLD alone', 'com', { problem: 'single_label', mentions: /single label/ }],
  ['a public suffix of two labels', 'co.uk', { problem: 'public_suffix', mentions: /public suffix/ }],
  ['a private-section public suffix', 'github.io', { problem: 'public_suffix', mentions: /public suffix/ }],
  ['a wildcard-rule public suffix', 'anything.ck', { problem: 'public_suffix', mentions: /public suffix/ }],
  ['the platform zone', 'mail.example.net', { problem: 'platform_zone', mentions: /is the platform zone/ }],
  [
    'inside the platform zone',
    'x.mail.example.net',
    { problem: 'platform_zone', mentions: /inside the platform zone/ },
  ],
  [
    'the platform zone in capitals',
    'MAIL.Example.NET.',
    { problem: 'platform_zone', mentions: /platform zone/ },
  ],
  ['a special-use name', 'printer.local', { problem: 'special_use', mentions: /special-use/ }],
  ['localhost', 'localhost', { problem: 'special_use', mentions: /special-use/ }],
  ['a registrable domain under a wildcard rule', 'www.ck', { ok: 'www.ck' }],
  ['a subdomain sender domain', 'newsletter.example.co.uk', { ok: 'newsletter.example.co.uk' }],
  [
    'bad syntax is refused first, as syntax',
    'example..com',
    { problem: 'empty_label', mentions: /two dots/ },
  ],
  ['a sender domain is normalised like any name', 'WwW.Example.COM', { ok: 'www.example.com' }],
];

for (const [what, input, expected] of cases) {
  test(`sender domain: ${what} (${JSON.stringify(input)})`, () => {
    const result = parseSenderDomain(input, rules);
    const outcome = result.ok ? { ok: result.value } : { problem: result.error.problem };
    const wanted = 'ok' in expected ? { ok: expected.ok } : { problem: expected.problem };
    assert.deepEqual(outcome, wanted, result.ok ? '' : result.error.message);
    if (!result.ok && 'mentions' in expected) assert.match(result.error.message, expected.mentions);
  });
}
