import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { formatPlan, type RecordPlan } from '../../src/domains/index.ts';
import { openTestServices, tempDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

/** The customer's zone as they would have it after pasting our snippet: SOA, NS, and the snippet. */
function wrapInZone(apex: string, snippet: string): string {
  return [
    `$ORIGIN ${apex}.`,
    '$TTL 3600',
    `@ IN SOA ns1.${apex}. hostmaster.${apex}. ( 2026112201 7200 3600 1209600 3600 )`,
    `@ IN NS ns1.${apex}.`,
    `ns1 IN A 192.0.2.53`,
    snippet,
  ].join('\n');
}

async function checkZone(apex: string, text: string): Promise<void> {
  const dir = tempDir();
  try {
    const file = join(dir.path, `${apex}.zone`);
    writeFileSync(file, text);
    // -i full: all integrity checks; -k fail / -n fail: bad names are errors, not warnings.
    const r = await run('named-checkzone', ['-i', 'full', '-k', 'fail', '-n', 'fail', apex, file]);
    assert.equal(
      r.code,
      0,
      `named-checkzone rejected ${apex}:\n${r.stdout}${r.stderr}\n--- zone ---\n${text}`,
    );
    assert.match(r.stdout, /OK/);
  } finally {
    dir.remove();
  }
}

const real2048 = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64');

test('the BIND snippet of every kind of domain, wrapped in its zone, passes named-checkzone', async () => {
  const s = await openTestServices();
  try {
    const tenant = await s.accounts.addTenant('zones');
    const cases: Array<[string, unknown]> = [
      ['example.com', {}],
      ['newsletter.example.com', {}],
      ['Bücher.example.de', {}],
      ['example.org', { mode: 'self-hosted' }],
      [
        'shop.example.co.uk',
        { bounceLabel: 'rp', clickLabel: 'links', tracking: false, dkimSelectors: ['s1', 's2', 's3'] },
      ],
      [
        'own.example.net',
        {
          spfMechanisms: ['ip4:192.0.2.0/24', 'include:_spf.google.com'],
          ownDkimSelectors: [{ selector: 'exch', record: `v=DKIM1; k=rsa; p=${real2048}` }],
        },
      ],
    ];
    for (const [name, settings] of cases) {
      const domain = await s.domains.add(tenant.id, name, settings);
      let plan: RecordPlan = await s.domains.planFor(domain);
      if (domain.settings.mode === 'self-hosted') {
        // Give the self-hosted plan a real 2048-bit key, which needs two character-strings.
        plan = await planWithKey(s, domain.id, plan);
      }
      const apex = s.domains.apexOf(domain.name);
      await checkZone(apex, wrapInZone(apex, formatPlan(plan, 'bind', { apex, hosted: true })));
    }
  } finally {
    await s.close();
  }
});

async function planWithKey(
  s: Awaited<ReturnType<typeof openTestServices>>,
  domainId: string,
  plan: RecordPlan,
): Promise<RecordPlan> {
  const { planRecords, initialDmarcRecord } = await import('../../src/domains/index.ts');
  const domain = (await s.store.domains.listAll()).find((d) => d.id === domainId)!;
  return planRecords({
    domain: plan.domain,
    token: plan.token,
    settings: domain.settings,
    platform: s.platform,
    dkimKeys: [{ selector: 'sd1', record: `v=DKIM1; k=rsa; p=${real2048}` }],
    dmarcRecord: initialDmarcRecord(plan.token, s.platform.reportsHost),
  });
}

test('named-checkzone is a real check: a broken snippet fails it', async () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'example.com.zone');
    // A CNAME beside other data at the same name is illegal (RFC 1034 §3.6.2).
    writeFileSync(
      file,
      wrapInZone('example.com', 'x 3600 IN CNAME a.example.net.\nx 3600 IN TXT "v=spf1 -all"\n'),
    );
    const r = await run('named-checkzone', ['-i', 'full', 'example.com', file]);
    assert.notEqual(r.code, 0);
  } finally {
    dir.remove();
  }
});
