import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientNetwork } from './client-network.ts';
import {
  classifyVisit,
  compileVisitRules,
  DEFAULT_VISIT_RULES,
  type Visit,
  type VisitClass,
} from './visit-classifier.ts';

const RULES = compileVisitRules(DEFAULT_VISIT_RULES);
const DELIVERED = Date.parse('2026-12-01T10:00:00Z');
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const base: Visit = {
  kind: 'click',
  at: DELIVERED + 3_600_000,
  userAgent: CHROME,
  clientAddress: '198.51.100.23',
  deliveredAt: DELIVERED,
  linkIndex: 0,
  recentClicks: [],
};

const cases: Array<[string, Partial<Visit>, VisitClass, string]> = [
  ['a click an hour after delivery from a browser', {}, 'human', 'none'],
  ['an open an hour after delivery from a browser', { kind: 'open' }, 'human', 'none'],
  ['a click 2 s after delivery', { at: DELIVERED + 2_000 }, 'scanner', 'soon-after-delivery'],
  ['an open 2 s after delivery', { kind: 'open', at: DELIVERED + 2_000 }, 'scanner', 'soon-after-delivery'],
  ['a click 10 s after delivery is no longer "soon"', { at: DELIVERED + 10_000 }, 'human', 'none'],
  ['delivery time unknown', { deliveredAt: null }, 'human', 'none'],
  [
    'the third different link within 2 s',
    {
      linkIndex: 2,
      recentClicks: [
        { linkIndex: 0, at: base.at - 900 },
        { linkIndex: 1, at: base.at - 400 },
      ],
    },
    'scanner',
    'many-links-at-once',
  ],
  [
    'the same link three times is a person clicking again',
    {
      linkIndex: 0,
      recentClicks: [
        { linkIndex: 0, at: base.at - 900 },
        { linkIndex: 0, at: base.at - 400 },
      ],
    },
    'human',
    'none',
  ],
  [
    'three links spread over minutes',
    {
      linkIndex: 2,
      recentClicks: [
        { linkIndex: 0, at: base.at - 120_000 },
        { linkIndex: 1, at: base.at - 60_000 },
      ],
    },
    'human',
    'none',
  ],
  [
    "Gmail's image proxy",
    {
      kind: 'open',
      userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    },
    'privacy-proxy',
    'gmail-image-proxy',
  ],
  [
    "Yahoo's image proxy",
    { kind: 'open', userAgent: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html' },
    'privacy-proxy',
    'yahoo-mail-proxy',
  ],
  [
    'an open from Apple (Mail Privacy Protection)',
    { kind: 'open', clientAddress: '17.58.101.7', userAgent: 'Mozilla/5.0' },
    'privacy-proxy',
    'apple-mail-privacy-protection',
  ],
  [
    'an open from Apple, IPv4-mapped',
    { kind: 'open', clientAddress: '::ffff:17.58.101.7' },
    'privacy-proxy',
    'apple-mail-privacy-protection',
  ],
  [
    'a click from Apple is a person (ranges decide opens only)',
    { clientAddress: '17.58.101.7' },
    'human',
    'none',
  ],
  ['Barracuda', { userAgent: 'Barracuda Sentinel (EE)' }, 'scanner', 'barracuda'],
  ['Mimecast', { userAgent: 'Mozilla/5.0 Mimecast-URL-Protect' }, 'scanner', 'mimecast'],
  ['Proofpoint', { userAgent: 'Proofpoint URL Defense' }, 'scanner', 'proofpoint'],
  ['curl', { userAgent: 'curl/8.5.0' }, 'scanner', 'http-library'],
  ['no User-Agent at all', { userAgent: '' }, 'scanner', 'no-user-agent'],
];

for (const [name, change, cls, rule] of cases)
  test(`classify: ${name} → ${cls} (${rule})`, () => {
    assert.deepEqual(classifyVisit({ ...base, ...change }, RULES), { class: cls, rule });
  });

test('a rule with a range that is no CIDR is refused when compiled', () => {
  assert.throws(() =>
    compileVisitRules({ ...DEFAULT_VISIT_RULES, ranges: [{ cidr: '17/x', class: 'scanner', rule: 'bad' }] }),
  );
});

const networks: Array<[string, string]> = [
  ['198.51.100.23', '198.51.100.0/24'],
  ['::ffff:198.51.100.23', '198.51.100.0/24'],
  ['2001:db8:1234:5678::1', '2001:db8:1234::/48'],
  ['fe80::1%eth0', 'fe80::/48'],
  ['not an address', ''],
];
for (const [address, network] of networks)
  test(`client network: ${address} → ${network || "''"}`, () => {
    assert.equal(clientNetwork(address), network);
  });
