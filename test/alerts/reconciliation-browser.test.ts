/**
 * The domain page's "Sent against reported" panel in Chromium (issue 21): a day of the gateway's send log, the
 * reports generated from it (Google counting three quarters, Microsoft counting a forgery on top), and the panel
 * read back from the rendered page: coverage per receiver, the alarm, and our DKIM failures by selector.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { startTestNode } from '../support/node.ts';
import { aggregateReport, logSends, platformRowsFromLog } from '../support/send-log-reports.ts';
import { launchBrowser, watchProblems } from '../web/browser.ts';

const EGRESS = '192.0.2.10';
const PASSWORD = 'a long passphrase for the owner';

test('the reconciliation panel shows coverage, the alarm and DKIM failures by selector', async () => {
  await ensureDashboardBuilt();
  const node = await startTestNode({ set: [`platform.egressIps=${EGRESS}`, 'alerts.enabled=false'] });
  const problems: string[] = [];
  try {
    const s = node.services;
    const tenant = await s.accounts.addTenant('shop');
    await s.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
    const domain = await s.domains.add(tenant.id, 'news.shop.com');
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await logSends(s.store, {
      tenantId: tenant.id,
      domainId: domain.id,
      domain: domain.name,
      day,
      signature: { signingDomain: domain.name, selector: 'sd7', algorithm: 'rsa-sha256', keyId: 'k7' },
      sends: [
        { recipientDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', messages: 40 },
        { recipientDomain: 'outlook.com', host: 'outlook-com.olc.protection.outlook.com', messages: 20 },
      ],
    });
    const rows = await platformRowsFromLog(s.store, domain.id, day, EGRESS, { selectorPasses: () => false });
    const reports: Array<[string, ReturnType<typeof rows.get>]> = [
      ['google.com', rows.get('google.com')!.map((r) => ({ ...r, count: 30 }))],
      ['Enterprise Outlook', rows.get('Enterprise Outlook')!.map((r) => ({ ...r, count: 120 }))],
    ];
    for (const [reporter, reported] of reports) {
      const result = await s.reports.ingest({
        source: [
          aggregateReport({ reporter, domain: domain.name, reportId: `${reporter}-1`, day, rows: reported! }),
        ],
        via: 'smtp',
        trustReporters: true,
        recipients: [`${domain.token}@reports.mail.example.net`],
      });
      assert.equal(result.outcomes[0]?.status, 'stored');
    }

    const browser = await launchBrowser(node.http);
    watchProblems(browser, problems);
    try {
      const page = browser.page;
      await page.goto(`${node.http}/`);
      await page.getByLabel('E-mail address').fill('ada@shop.com');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
      await page.goto(`${node.http}/domains/${domain.name}`);
      const panel = page.locator('section#reconciliation');
      await panel.locator('table.reconciliation').waitFor();
      const text = await panel.innerText();
      assert.match(text, /60 delivered, 150 counted by reporters \(83\.3% coverage\)/);
      assert.match(text, /1 day with more seen than sent/);
      assert.match(text, /sd7\._domainkey\.news\.shop\.com 100% failing of 150/);
      const cells = await panel
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
        );
      assert.deepEqual(cells, [
        [day, 'google.com', '40', '30', '75%', 'sd7 100%'],
        [day, 'microsoft', '20', '120', 'alarm: 100 more than sent', 'sd7 100%'],
      ]);
      const shot = join(node.config.dataDir, 'reconciliation.png');
      await panel.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5_000);
    } finally {
      await browser.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await node.close();
  }
});
