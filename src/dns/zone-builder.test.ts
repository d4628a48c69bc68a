import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APEX, sampleSettings } from '../../test/support/dns-zone.ts';
import { planRecords } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { rdataText } from './resource-record.ts';
import { hostedZoneRecords, platformRecords, soaRecord } from './zone-builder.ts';

test('platform records: NS, host addresses, aliases, spf.<zone> with the egress ranges, the report MX', () => {
  const lines = platformRecords(sampleSettings()).map((r) => `${r.name} ${r.data.type} ${rdataText(r.data)}`);
  assert.ok(lines.includes(`${APEX} NS ns1.${APEX}.`));
  assert.ok(lines.includes(`ns1.${APEX} AAAA 2001:db8::53`));
  assert.ok(lines.includes(`track.${APEX} CNAME cdn.example.org.`));
  assert.ok(lines.includes(`spf.${APEX} TXT "v=spf1 ip4:192.0.2.10 ip6:2001:db8::/64 -all"`));
  assert.ok(lines.includes(`reports.${APEX} MX 10 mx.${APEX}.`));
  assert.equal(
    rdataText(soaRecord(sampleSettings(), 5).data),
    `ns1.${APEX}. hostmaster.${APEX}. 5 3600 600 1209600 300`,
  );
});

test("a domain's hosted plan becomes zone records, long TXT split into 255-octet strings", () => {
  const plan = planRecords({
    domain: 'example.com' as DomainName,
    token: 'abcdefghijkl',
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking: true,
      spfMechanisms: [],
      ownDkimSelectors: [],
      dkimSelectors: [],
    },
    platform: {
      zone: APEX as DomainName,
      dkimSelectors: ['sd1', 'sd2', 'sd3'],
      mxHost: `mx.${APEX}`,
      trackHost: `track.${APEX}`,
      reportsHost: `reports.${APEX}`,
      ttl: 3600,
    },
    dkimKeys: [{ selector: 'sd1', record: `v=DKIM1; k=rsa; p=${'A'.repeat(600)}` }],
    dmarcRecord: 'v=DMARC1; p=none',
  });
  const records = hostedZoneRecords(plan.hosted);
  const dkim = records.find((r) => r.name.startsWith('sd1.'));
  assert.ok(dkim?.data.type === 'TXT');
  assert.deepEqual(
    dkim.data.strings.map((s) => s.length),
    [255, 255, 108],
  );
  assert.equal(dkim.data.strings.join(''), `v=DKIM1; k=rsa; p=${'A'.repeat(600)}`);
  assert.ok(records.some((r) => r.data.type === 'MX' && r.name === `abcdefghijkl.bounce.${APEX}`));
});
