import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { normaliseDomainName, type DomainName } from '../domain-name/index.ts';
import { formatPlan, type RecordFormat } from './record-format.ts';
import {
  initialDmarcRecord,
  planRecords,
  type PlanInput,
  type PlatformNames,
  type SenderDomainSettings,
} from './record-plan.ts';

/**
 * Golden tests of the record plan. Each case is rendered in every format and compared byte for byte with a
 * reviewed file in ./golden/. After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
const GOLDEN = new URL('./golden/', import.meta.url);
const TOKEN = 'k3j5q2m7x4ab';

const platform: PlatformNames = {
  zone: 'mail.example.net' as DomainName,
  dkimSelectors: ['sd1', 'sd2', 'sd3'],
  mxHost: 'mx.mail.example.net',
  trackHost: 'track.mail.example.net',
  reportsHost: 'reports.mail.example.net',
  ttl: 3600,
};

const defaults: SenderDomainSettings = {
  mode: 'delegated',
  bounceLabel: 'bounce',
  clickLabel: 'clicks',
  tracking: true,
  spfMechanisms: [],
  dkimSelectors: [],
  ownDkimSelectors: [],
};

/** A deterministic stand-in for a 2048-bit RSA public key: 392 base64 characters, like the real thing. */
function fakePublicKey(seed: string): string {
  let bytes = Buffer.alloc(0);
  for (let i = 0; bytes.length < 294; i++) {
    bytes = Buffer.concat([bytes, createHash('sha256').update(`${seed}:${i}`).digest()]);
  }
  return bytes.subarray(0, 294).toString('base64');
}

function name(input: string): DomainName {
  const parsed = normaliseDomainName(input);
  assert.ok(parsed.ok, `test domain ${input} must be valid`);
  return parsed.value;
}

function input(
  domain: string,
  settings: Partial<SenderDomainSettings> = {},
  extra: Partial<PlanInput> = {},
): PlanInput {
  return {
    domain: name(domain),
    token: TOKEN,
    settings: { ...defaults, ...settings },
    platform,
    dkimKeys: [],
    dmarcRecord: initialDmarcRecord(TOKEN, platform.reportsHost),
    ...extra,
  };
}

const cases: Array<{ id: string; what: string; plan: PlanInput; apex: string }> = [
  {
    id: 'apex',
    what: 'an apex domain, delegated mode, defaults',
    plan: input('example.com'),
    apex: 'example.com',
  },
  {
    id: 'subdomain',
    what: 'a subdomain sender domain gets its plan under that subdomain',
    plan: input('newsletter.example.com'),
    apex: 'example.com',
  },
  {
    id: 'idn',
    what: 'an IDN, entered in Unicode and mixed case, planned in A-labels',
    plan: input('Bücher.Example.DE'),
    apex: 'xn--bcher-kva.example.de',
  },
  {
    id: 'self-hosted',
    what: 'self-hosted mode: literal TXT and MX values, long keys split into 255-byte strings, a revoked key',
    plan: input(
      'example.org',
      { mode: 'self-hosted' },
      {
        dkimKeys: [
          { selector: 'sd1', record: `v=DKIM1; k=rsa; p=${fakePublicKey('sd1')}` },
          { selector: 'sd2', record: 'v=DKIM1; k=rsa; p=' },
        ],
      },
    ),
    apex: 'example.org',
  },
  {
    id: 'custom-labels',
    what: 'custom bounce and click labels, own selectors, tracking off',
    plan: input('shop.example.co.uk', {
      bounceLabel: 'rp',
      clickLabel: 'links',
      tracking: false,
      dkimSelectors: ['s1', 's2', 's3'],
    }),
    apex: 'example.co.uk',
  },
  {
    id: 'own-senders',
    what: "the customer's own SPF mechanisms and DKIM selectors, one hosted by senderd, one kept",
    plan: input('example.com', {
      spfMechanisms: ['ip4:192.0.2.0/24', 'ip6:2001:db8::/32', 'include:_spf.google.com'],
      ownDkimSelectors: [
        { selector: 'google' },
        { selector: 'exch', record: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1' },
      ],
    }),
    apex: 'example.com',
  },
];

const FORMATS: RecordFormat[] = ['json', 'bind', 'csv', 'table'];

for (const c of cases) {
  for (const format of FORMATS) {
    test(`record plan golden: ${c.what} (${format})`, () => {
      const actual = formatPlan(planRecords(c.plan), format, { apex: c.apex, hosted: true });
      const file = new URL(`${c.id}.${format === 'table' ? 'txt' : format}`, GOLDEN);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        writeFileSync(file, actual);
        if (process.env.UPDATE_GOLDEN !== '1')
          assert.fail(`wrote missing golden file ${file.pathname}; review it`);
      }
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }
}

test('delegated mode: every customer record but the apex SPF is a CNAME into the platform zone', () => {
  const plan = planRecords(input('example.com'));
  const nonCname = plan.customer.filter((r) => r.data.type !== 'CNAME').map((r) => r.name);
  assert.deepEqual(nonCname, ['example.com']);
  for (const r of plan.customer) {
    if (r.data.type === 'CNAME') assert.ok(r.data.target.endsWith('.mail.example.net'), r.data.target);
  }
});

test('the token names every hosted record of the domain, and no other domain shares the names', () => {
  const a = planRecords(input('example.com'));
  const b = planRecords({ ...input('example.com'), token: 'zzzzzzzzzzzz' });
  const namesA = new Set(a.hosted.map((r) => r.name).filter((n) => n.includes(TOKEN)));
  for (const r of b.hosted) assert.ok(!namesA.has(r.name), `${r.name} shared between tokens`);
});

test('self-hosted mode has no underscored CNAME, for DNS hosts that refuse them', () => {
  const plan = planRecords(input('example.org', { mode: 'self-hosted' }));
  const bad = plan.customer.filter((r) => r.data.type === 'CNAME' && r.name.includes('_'));
  assert.deepEqual(bad, []);
});

test('the hosted SPF record carries the platform and the customer mechanisms, ending in -all', () => {
  const plan = planRecords(
    input('example.com', { spfMechanisms: ['ip4:192.0.2.1', 'include:_spf.google.com'] }),
  );
  const spf = plan.hosted.find((r) => r.purpose === 'spf');
  assert.deepEqual(spf?.data, {
    type: 'TXT',
    text: 'v=spf1 include:spf.mail.example.net ip4:192.0.2.1 include:_spf.google.com -all',
  });
});

test('MTA-STS and TLS-RPT: CNAMEs into the zone and to the edge when delegated, literal TXT when self-hosted', () => {
  const mtaSts = { mode: 'testing', mx: ['mx1.example.com'], checkedMx: [], checkedAt: null } as const;
  const off = planRecords(input('example.com'));
  assert.equal(
    [...off.customer, ...off.hosted].some((r) => /mta-sts|tls/.test(r.purpose)),
    false,
    'nothing while it is off',
  );
  const on = planRecords(input('example.com', { mtaSts }));
  const customer = on.customer.filter((r) => /mta-sts|tls/.test(r.purpose));
  assert.deepEqual(
    customer.map((r) => [r.name, r.data.type, r.data.type === 'CNAME' ? r.data.target : '']),
    [
      ['_mta-sts.example.com', 'CNAME', `${TOKEN}.mta-sts.mail.example.net`],
      ['_smtp._tls.example.com', 'CNAME', `${TOKEN}.tlsrpt.mail.example.net`],
      ['mta-sts.example.com', 'CNAME', 'track.mail.example.net'],
    ],
  );
  const hosted = on.hosted.filter((r) => /mta-sts|tls/.test(r.purpose));
  assert.equal(hosted.length, 2);
  const sts = hosted[0]!.data.type === 'TXT' ? hosted[0]!.data.text : '';
  assert.match(sts, /^v=STSv1; id=[0-9a-f]{32};$/);
  assert.deepEqual(hosted[1]!.data, {
    type: 'TXT',
    text: `v=TLSRPTv1; rua=mailto:${TOKEN}@reports.mail.example.net`,
  });
  // The id changes with the policy (RFC 8461 §3.1).
  const enforced = planRecords(input('example.com', { mtaSts: { ...mtaSts, mode: 'enforce' } }));
  const stsEnforced = enforced.hosted.find((r) => r.purpose === 'mta-sts')!;
  assert.notDeepEqual(stsEnforced.data, hosted[0]!.data);

  const self = planRecords(input('example.com', { mode: 'self-hosted', mtaSts }));
  assert.deepEqual(
    self.customer.filter((r) => /mta-sts|tls/.test(r.purpose)).map((r) => [r.name, r.data.type]),
    [
      ['_mta-sts.example.com', 'TXT'],
      ['_smtp._tls.example.com', 'TXT'],
      ['mta-sts.example.com', 'CNAME'],
    ],
  );
});
