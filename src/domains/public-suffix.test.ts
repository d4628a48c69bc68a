import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { domainToASCII } from 'node:url';
import { parsePublicSuffixList } from './public-suffix.ts';

const corpus = new URL('../../../shared/corpus/psl/', import.meta.url);
const psl = parsePublicSuffixList(readFileSync(new URL('public_suffix_list.dat', corpus), 'utf8'));

/** The official vectors (tests/test_psl.txt): `checkPublicSuffix(input, expectedRegistrableDomain)`. */
const vectors = readFileSync(new URL('tests/test_psl.txt', corpus), 'utf8')
  .split('\n')
  .map((line) => /^checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ input: unquote(m[1]!), expected: unquote(m[2]!) }));

function unquote(s: string): string | null {
  return s === 'null' ? null : s.slice(1, -1);
}

test('the PSL corpus loads with thousands of rules', () => {
  assert.ok(psl.size > 9000, `only ${psl.size} rules`);
  assert.equal(vectors.length, 78);
});

for (const { input, expected } of vectors) {
  test(`registrableDomain(${input}) = ${expected}`, () => {
    // The algorithm runs on lower-case A-labels; a leading dot or empty input has no registrable domain.
    const name = input === null || input.startsWith('.') ? null : domainToASCII(input);
    const actual = name === null || name === '' ? null : psl.registrableDomain(name);
    assert.equal(actual, expected === null ? null : domainToASCII(expected));
  });
}

test('private-section suffixes count: github.io is a suffix, user.github.io is registrable', () => {
  assert.equal(psl.registrableDomain('github.io'), null);
  assert.equal(psl.registrableDomain('user.github.io'), 'user.github.io');
  assert.equal(psl.publicSuffix('a.b.co.uk'), 'co.uk');
});
