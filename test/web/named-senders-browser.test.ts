/**
 * The Sources panel names senders (issue 21), in a real browser (Debian's Chromium through playwright-core)
 * against a real node: a real aggregate report uploaded through the API, reverse names as the resolver would have
 * saved them, and the domain page showing "Google Workspace", "Twilio SendGrid", "Zendesk" with whether each
 * passes and the one fix, whose values copy. Screenshot: .artifacts/dashboard/named-senders.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { launchBrowser, watchProblems, type TestBrowser } from './browser.ts';
import { NAMED_SOURCES, PLATFORM_IP, seedNamedSenders } from '../reports/named-senders-report.ts';

const PASSWORD = 'a long and secret passphrase';
const DOMAIN = 'shop.com';
let node: TestNode;
let browser: TestBrowser;
let page: Page;
const problems: string[] = [];

before(async () => {
  await ensureDashboardBuilt();
  node = await startTestNode({ set: [`platform.egressIps=${PLATFORM_IP}`] });
  const tenant = await node.services.accounts.addTenant('shop');
  await node.services.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
  await node.services.domains.add(tenant.id, DOMAIN);
  await seedNamedSenders(node, tenant.id, DOMAIN);
  browser = await launchBrowser(node.http, { viewport: { width: 1400, height: 900 } });
  page = browser.page;
  watchProblems(browser, problems);
});

after(async () => {
  await browser?.close();
  await node?.close();
});

test('the Sources panel names each sender, says whether it passes, and gives the one fix to copy', async () => {
  await page.goto(`${node.http}/`);
  await page.getByLabel('E-mail address').fill('ada@shop.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
  await page.goto(`${node.http}/domains/${DOMAIN}#reports`);
  const sources = page.locator('#reports').getByRole('table', { name: 'Sending sources' });
  const row = (ip: string) => sources.getByRole('row').filter({ hasText: ip });
  await row(NAMED_SOURCES.google).getByRole('link', { name: 'Google Workspace' }).waitFor();

  const google = row(NAMED_SOURCES.google);
  assert.match(await google.innerText(), /Google Workspace\s+fails[\s\S]*DKIM not aligned · SPF not aligned/);
  const googleFix = google.getByRole('note', { name: 'How to fix Google Workspace' });
  assert.match(
    await googleFix.innerText(),
    /Add include:_spf\.google\.com to shop\.com's own SPF mechanisms \(senderd domain set shop\.com --spf/,
  );
  assert.match(
    await googleFix.innerText(),
    /also a known forwarder: if you do not send through Google Workspace/,
  );
  await googleFix.getByRole('button', { name: 'Copy include:_spf.google.com' }).click();
  await googleFix.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), 'include:_spf.google.com');
  // The name links to the service's documentation the identification follows.
  assert.equal(
    await google.getByRole('link', { name: 'Google Workspace' }).getAttribute('href'),
    'https://support.google.com/a/answer/174124',
  );

  const sendgrid = row(NAMED_SOURCES.sendgrid);
  const sendgridFix = sendgrid.getByRole('note', { name: 'How to fix Twilio SendGrid' });
  assert.match(
    await sendgridFix.innerText(),
    /s1\._domainkey\.shop\.com CNAME s1\.domainkey\.<u-account>\.<wl-number>\.sendgrid\.net/,
  );
  await sendgridFix.getByRole('button', { name: 'Copy value of s2._domainkey.shop.com CNAME' }).click();
  await sendgridFix.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(
    await page.evaluate('navigator.clipboard.readText()'),
    's2.domainkey.<u-account>.<wl-number>.sendgrid.net',
  );

  const zendesk = row(NAMED_SOURCES.zendesk);
  assert.match(await zendesk.innerText(), /Zendesk\s+passes[\s\S]*DKIM aligned · SPF not aligned/);
  assert.equal(await zendesk.getByRole('note').count(), 0, 'nothing to fix');

  assert.match(await row(NAMED_SOURCES.platform).innerText(), /this platform/);
  assert.match(await row(NAMED_SOURCES.spoofer).innerText(), /not a known service\s+fails/);
  await browser.screenshot('named-senders');
  assert.deepEqual(problems, []);
});
