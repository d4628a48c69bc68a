import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalogueSchema, matchesSelector, parseCatalogue, shippedCatalogue } from './catalogue.ts';

const raw = () =>
  JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')) as {
    about: string;
    services: Array<Record<string, unknown>>;
  };

test('the shipped catalogue passes its schema and names at least 40 services, each with a source', () => {
  const services = shippedCatalogue();
  assert.ok(services.length >= 40, `${services.length} services`);
  for (const s of services) assert.match(s.source, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//, s.id);
  // Every category the issue names has services in it.
  for (const c of ['mailbox', 'esp', 'crm', 'ticketing', 'invoicing']) {
    assert.ok(
      services.some((s) => s.category === c),
      c,
    );
  }
});

test('names the issue asks for are in it', () => {
  const names = new Set(shippedCatalogue().map((s) => s.name));
  for (const n of ['Google Workspace', 'Microsoft 365', 'Salesforce', 'Zendesk', 'Amazon SES', 'HubSpot']) {
    assert.ok(names.has(n), n);
  }
});

test('the schema refuses what would make identification wrong', () => {
  const cases: Array<{ why: string; change: (s: Record<string, unknown>) => void; want: RegExp }> = [
    { why: 'an upper-case PTR suffix', change: (s) => (s.ptr = ['SendGrid.net']), want: /lower-case domain/ },
    { why: 'a trailing dot', change: (s) => (s.ptr = ['sendgrid.net.']), want: /lower-case domain/ },
    { why: 'a source over http', change: (s) => (s.source = 'http://example.com/x'), want: /source/ },
    { why: 'an unknown category', change: (s) => (s.category = 'bank'), want: /category/ },
    { why: 'an unknown field', change: (s) => (s.colour = 'blue'), want: /colour|Unrecognized/ },
    { why: 'an unknown unsure field', change: (s) => (s.unsure = ['mood']), want: /unsure/ },
    {
      why: 'no evidence at all',
      change: (s) => {
        s.ptr = [];
        s.spf = { includes: ['x.example'], envelopeDomains: [] };
        s.dkim = { signingDomains: [], selectors: [], setup: null };
      },
      want: /names no evidence/,
    },
  ];
  for (const c of cases) {
    const doc = raw();
    c.change(doc.services[0]!);
    assert.throws(() => parseCatalogue(doc), c.want, c.why);
  }
  const twice = raw();
  twice.services.push(twice.services[0]!);
  assert.equal(catalogueSchema.safeParse(twice).success, false, 'an id listed twice');
});

test('selector patterns: * is any run, everything else is literal', () => {
  const cases: Array<[string, string, boolean]> = [
    ['s1', 's1', true],
    ['s10', 's1', false],
    ['scph0423', 'scph*', true],
    ['20230601', '20*', true],
    ['hs1-1234567', 'hs1-*', true],
    ['20221121103456pm', '*pm', true],
    ['s1x', 's1.', false],
  ];
  for (const [selector, pattern, want] of cases)
    assert.equal(matchesSelector(selector, pattern), want, `${selector} ~ ${pattern}`);
});
