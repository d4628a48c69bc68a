/**
 * The DMARC autopilot over real report streams: synthetic aggregate reports, one per reporter per day, go through
 * the real intake (gzip, parsing, attribution by rua token, roll-ups), and the autopilot reads the statistics the
 * way it does in production. Three domains of one tenant receive different streams.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ManualClock } from '../../src/core/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import { openTestServices } from '../support/node.ts';

const DAY = 86_400_000;
const EGRESS = '192.0.2.10';

interface Row {
  readonly ip: string;
  readonly count: number;
  /** DMARC-aligned DKIM and SPF results (policy_evaluated). */
  readonly aligned: boolean;
  /** auth_results: what authenticated, for which domain. */
  readonly auth: string;
}

function aggregateReport(
  reporter: string,
  domain: string,
  reportId: string,
  begin: number,
  rows: readonly Row[],
): Buffer {
  const records = rows
    .map(
      (r) =>
        `<record><row><source_ip>${r.ip}</source_ip><count>${r.count}</count><policy_evaluated><disposition>none</disposition>` +
        `<dkim>${r.aligned ? 'pass' : 'fail'}</dkim><spf>${r.aligned ? 'pass' : 'fail'}</spf></policy_evaluated></row>` +
        `<identifiers><header_from>${domain}</header_from></identifiers><auth_results>${r.auth}</auth_results></record>`,
    )
    .join('');
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata><org_name>${reporter}</org_name>` +
    `<email>dmarc@${reporter}</email><report_id>${reportId}</report_id><date_range><begin>${begin}</begin>` +
    `<end>${begin + 86_399}</end></date_range></report_metadata><policy_published><domain>${domain}</domain>` +
    `<p>none</p></policy_published>${records}</feedback>`;
  return gzipSync(xml);
}

const platform = (domain: string, count: number): Row => ({
  ip: EGRESS,
  count,
  aligned: true,
  auth: `<dkim><domain>${domain}</domain><result>pass</result></dkim><spf><domain>bounce.${domain}</domain><result>pass</result></spf>`,
});

test('the autopilot climbs on clean reports, holds for shadow IT, and ignores a spoofing burst', async () => {
  const start = Date.parse('2026-09-01T00:00:00Z');
  const clock = new ManualClock(new Date(start));
  const s = await openTestServices({ set: [`platform.egressIps=${EGRESS}`], runtime: { clock } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domains: Record<'clean' | 'shadow' | 'spoofed', SenderDomain> = {
      clean: await s.domains.add(tenant.id, 'clean.example'),
      shadow: await s.domains.add(tenant.id, 'shadow.example'),
      spoofed: await s.domains.add(tenant.id, 'spoofed.example'),
    };
    for (const d of Object.values(domains))
      await s.dmarc.update(tenant.id, d.name, { autopilot: { enabled: true } });

    const streams: Record<keyof typeof domains, (day: number) => Row[]> = {
      clean: () => [platform('clean.example', 500)],
      // A CRM vendor sends as the domain, authenticated as itself: real mail that enforcement would hurt.
      shadow: () => [
        platform('shadow.example', 500),
        {
          ip: '198.51.100.7',
          count: 40,
          aligned: false,
          auth: '<dkim><domain>crm-vendor.example</domain><result>pass</result></dkim><spf><domain>crm-vendor.example</domain><result>pass</result></spf>',
        },
      ],
      // A three-day burst of unauthenticated mail, ten times the real volume.
      spoofed: (day) => [
        platform('spoofed.example', 500),
        ...(day >= 10 && day < 13
          ? [
              {
                ip: '203.0.113.66',
                count: 5000,
                aligned: false,
                auth: '<spf><domain>spoofed.example</domain><result>fail</result></spf>',
              },
            ]
          : []),
      ],
    };

    const steps: Record<string, number[]> = { clean: [], shadow: [], spoofed: [] };
    for (let day = 0; day < 40; day++) {
      const begin = Math.floor((start + day * DAY) / 1000);
      for (const [kind, d] of Object.entries(domains) as Array<[keyof typeof domains, SenderDomain]>) {
        for (const reporter of ['google.com', 'outlook.com']) {
          const result = await s.reports.ingest({
            source: [
              aggregateReport(reporter, d.name, `${kind}-${reporter}-${day}`, begin, streams[kind](day)),
            ],
            via: 'smtp',
            // These stand for reports of verified reporters (test/reports/reporter-trust.test.ts verifies real
            // ones by DKIM and reverse DNS); the autopilot ignores unverified reports.
            trustReporters: true,
            recipients: [`${d.token}@reports.mail.example.net`],
            name: `${kind}-${day}.xml.gz`,
          });
          assert.equal(result.outcomes[0]?.status, 'stored', JSON.stringify(result.outcomes));
        }
      }
      clock.set(new Date(start + (day + 1) * DAY));
      await s.dmarc.tick();
      for (const [kind, d] of Object.entries(domains))
        steps[kind]!.push((await s.dmarc.show(tenant.id, d.name)).step.index);
    }

    // Clean: one step per 7-day window, through the real statistics.
    assert.deepEqual(
      steps.clean!.filter((v, i, a) => v !== a[i - 1]),
      [0, 1, 2, 3, 4, 5],
    );
    // Shadow IT: never moves, and the stored decision names the vendor's address.
    assert.ok(steps.shadow!.every((v) => v === 0));
    const held = (await s.dmarc.show(tenant.id, 'shadow.example')).decisions.find((d) => d.action === 'hold');
    assert.match(held?.reason ?? '', /unknown sender 198\.51\.100\.7 authenticates but is not aligned/);
    // The spoofing burst (5000 a day for three days) does not hold the ladder: it climbs like the clean domain.
    assert.deepEqual(steps.spoofed, steps.clean);
  } finally {
    await s.close();
  }
});
