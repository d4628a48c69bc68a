import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attribute, tokenOf, type DomainRef } from './attribution.ts';

const d = (id: string, tenantId: string, name: string, verified = false): DomainRef => ({
  id,
  tenantId,
  name,
  token: `tok${id}`,
  verified,
});

test('attribution rules, in order (see attribution.ts)', () => {
  const a = d('1', 'ta', 'example.com');
  const aVerified = d('2', 'tb', 'example.com', true);
  const b = d('3', 'tc', 'example.com');
  const sub = d('4', 'ta', 'news.example.com');
  const cases: Array<{ why: string; input: Parameters<typeof attribute>[0]; want: string }> = [
    {
      why: 'token wins, same name',
      input: { policyDomain: 'example.com', tokenDomains: [a], tenantId: 'tc', candidates: [] },
      want: '1 token',
    },
    {
      why: 'token, report about the parent (organisational) domain',
      input: { policyDomain: 'example.com', tokenDomains: [sub], tenantId: null, candidates: [] },
      want: '4 token',
    },
    {
      why: 'token, report about an unrelated domain',
      input: { policyDomain: 'victim.org', tokenDomains: [a], tenantId: null, candidates: [] },
      want: 'policy_domain_mismatch',
    },
    {
      why: 'token, TLS report without a policy domain',
      input: { policyDomain: null, tokenDomains: [a], tenantId: null, candidates: [] },
      want: '1 token',
    },
    {
      why: "tenant scope picks the tenant's own domain",
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: 'tc', candidates: [a, aVerified, b] },
      want: '3 tenant',
    },
    {
      why: 'tenant scope without that domain',
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: 'tz', candidates: [a, b] },
      want: 'unknown_domain',
    },
    {
      why: 'operator: the one verified claimant',
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: null, candidates: [a, aVerified, b] },
      want: '2 verified_policy_domain',
    },
    {
      why: 'operator: a single unverified claimant gets nothing (an unproven claim)',
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: null, candidates: [a] },
      want: 'unverified_domain',
    },
    {
      why: 'operator: several claimants, none verified',
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: null, candidates: [a, b] },
      want: 'ambiguous_domain',
    },
    {
      why: 'operator: several verified claimants',
      input: {
        policyDomain: 'example.com',
        tokenDomains: [],
        tenantId: null,
        candidates: [aVerified, { ...b, verified: true }],
      },
      want: 'ambiguous_domain',
    },
    {
      why: 'a public suffix is no parent: refused even with a token',
      input: {
        policyDomain: 'co.uk',
        tokenDomains: [d('5', 'ta', 'shop.co.uk')],
        tenantId: null,
        candidates: [],
        isPublicSuffix: (name) => ['uk', 'co.uk', 'com'].includes(name),
      },
      want: 'public_suffix_policy_domain',
    },
    {
      why: 'a public suffix is refused for an upload too',
      input: {
        policyDomain: 'com',
        tokenDomains: [],
        tenantId: 'ta',
        candidates: [d('6', 'ta', 'com')],
        isPublicSuffix: (name) => ['uk', 'co.uk', 'com'].includes(name),
      },
      want: 'public_suffix_policy_domain',
    },
    {
      why: 'the organisational domain is still a parent',
      input: {
        policyDomain: 'example.co.uk',
        tokenDomains: [d('7', 'ta', 'news.example.co.uk')],
        tenantId: null,
        candidates: [],
        isPublicSuffix: (name) => ['uk', 'co.uk', 'com'].includes(name),
      },
      want: '7 token',
    },
    {
      why: 'operator: nobody has it',
      input: { policyDomain: 'example.com', tokenDomains: [], tenantId: null, candidates: [] },
      want: 'unknown_domain',
    },
  ];
  for (const c of cases) {
    const r = attribute(c.input);
    assert.equal(r.ok ? `${r.domain.id} ${r.rule}` : r.reason, c.want, c.why);
  }
});

test('rua tokens are read only from addresses on the reports host', () => {
  assert.equal(tokenOf('<AbCdE234@Reports.Mail.Example.NET>', 'reports.mail.example.net'), 'abcde234');
  assert.equal(tokenOf('abcde234@reports.mail.example.net.', 'reports.mail.example.net'), 'abcde234');
  assert.equal(tokenOf('abcde234@elsewhere.example', 'reports.mail.example.net'), null);
  assert.equal(tokenOf('not-a-token!@reports.mail.example.net', 'reports.mail.example.net'), null);
});
