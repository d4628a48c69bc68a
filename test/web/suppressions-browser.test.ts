/**
 * The suppression list page and the domain page's delivery figures in a real browser (Debian's Chromium through
 * playwright-core) against a real node (issue 18): search, add, remove with why (the audit trail names who and
 * why), CSV import from a file and export as a download; the figures table and the complaint-rate chart with the
 * 0.3% line. A member of another tenant sees none of it. Screenshots go to .artifacts/dashboard/suppressions-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { launchBrowser, watchProblems, type TestBrowser } from './browser.ts';

const PASSWORD = 'the owner has a long passphrase';
let node: TestNode;
let browser: TestBrowser;
let page: Page;
const problems: string[] = [];

before(async () => {
  await ensureDashboardBuilt();
  node = await startTestNode({ set: ['suppression.complaintRateMinimumDelivered=2'] });
  const s = node.services;
  const tenant = await s.accounts.addTenant('shop');
  const other = await s.accounts.addTenant('other');
  await s.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
  await s.suppressions.add(other.id, {
    address: 'secret@other.example',
    actor: 'cli',
    source: 'cli',
    why: 'x',
  });
  await s.suppressions.add(tenant.id, {
    address: 'ann@reader.example',
    actor: 'cli',
    source: 'cli',
    why: 'asked by phone',
  });
  await s.suppressions.recordFeedback({
    tenantId: tenant.id,
    recipient: 'bob@reader.example',
    reason: 'complaint',
    source: 'complaint',
    at: new Date().toISOString(),
    evidence: '{"feedbackType":"abuse","userAgent":"Yahoo!-Mail-Feedback/2.0"}',
    messageId: 'm1',
  });
  // A day of mail for the figures: 4 recipients, 3 delivered, 1 hard bounce, 1 complaint (33%, over 0.3%).
  const domain = await s.domains.add(tenant.id, 'news.shop.com');
  const now = new Date().toISOString();
  await s.store.gateway.insertMessages([
    {
      id: 'm1',
      tenantId: tenant.id,
      domainId: domain.id,
      senderDomain: domain.name,
      headerFrom: 'a@news.shop.com',
      submittedMailFrom: 'a@news.shop.com',
      recipients: ['ann', 'bob', 'cat', 'dan'].map((n) => ({
        address: `${n}@reader.example`,
        envelopeFrom: 'b@bounce.news.shop.com',
      })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '127.0.0.1',
      credential: null,
      size: 10,
      acceptedAt: now,
      status: 'partially-bounced',
      updatedAt: now,
    },
  ]);
  await s.store.gateway.insertAttempts(
    ['ann', 'bob', 'cat'].map((n) => ({
      messageId: 'm1',
      tenantId: tenant.id,
      recipient: `${n}@reader.example`,
      at: now,
      status: 'delivered' as const,
      code: 250,
      reply: '250 ok',
      host: 'mx.reader.example',
      tls: true,
    })),
  );
  await s.store.gateway.insertBounces([
    {
      messageId: 'm1',
      tenantId: tenant.id,
      domainId: domain.id,
      recipient: 'dan@reader.example',
      at: now,
      reason: 'rejected',
      code: 550,
      reply: '550 5.1.1 no such user',
      class: 'hard',
      rule: 'status.bad-mailbox',
      status: '5.1.1',
    },
  ]);
  await s.store.feedback.insert({
    kind: 'complaint',
    tenantId: tenant.id,
    domainId: domain.id,
    messageId: 'm1',
    recipient: 'bob@reader.example',
    at: now,
    matchedBy: 'verp',
    feedbackType: 'abuse',
    userAgent: 'Yahoo!-Mail-Feedback/2.0',
    reporter: 'yahoo.com',
    evidence: '{}',
  });
  browser = await launchBrowser(node.http);
  page = browser.page;
  watchProblems(browser, problems);
  await page.goto(`${node.http}/`);
  await page.getByLabel('E-mail address').fill('ada@shop.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
});

after(async () => {
  await browser?.close();
  await node?.close();
});

const rows = (p: Page) => p.getByRole('table', { name: 'Suppressed addresses' }).locator('tbody tr');

test('suppression page: list, search, add, remove with why, import and export', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Suppressions' }).click();
  await page.getByRole('heading', { name: 'Suppression list of shop' }).waitFor();
  await page.getByText('2 addresses').waitFor();
  assert.deepEqual((await rows(page).locator('th').allTextContents()).sort(), [
    'ann@reader.example',
    'bob@reader.example',
  ]);
  assert.match((await rows(page).filter({ hasText: 'bob@reader.example' }).textContent()) ?? '', /complaint/);
  assert.equal(await page.getByText('secret@other.example').count(), 0, "another tenant's list is not shown");

  await page.getByLabel('Search').fill('ANN');
  await page.getByText('1 address matching “ANN”').waitFor();
  await page.getByLabel('Search').fill('');
  await page.getByText('2 addresses').waitFor();

  await page.getByLabel('Address', { exact: true }).fill('cat@reader.example');
  await page.getByRole('button', { name: 'Suppress' }).click();
  await page.getByText('Say why').waitFor();
  await page.getByLabel('Why').fill('left the company');
  await page.getByRole('button', { name: 'Suppress' }).click();
  await page.getByText('3 addresses').waitFor();

  await page.getByRole('button', { name: 'Remove ann@reader.example' }).click();
  await page.getByRole('heading', { name: 'Remove ann@reader.example' }).waitFor();
  await page.locator('#remove-why').fill('she subscribed again by phone');
  await page.getByRole('button', { name: 'Remove from the list' }).click();
  await page.getByText('2 addresses').waitFor();
  const changes = page.getByRole('list', { name: 'Recent changes to the suppression list' });
  await changes.getByText('she subscribed again by phone').waitFor();
  assert.match(
    (await changes.locator('li').first().textContent()) ?? '',
    /ann@reader\.example removed \(manual\) by user:.+: she subscribed again by phone/,
  );

  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'list.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('address,reason\r\ndan@reader.example,hard-bounce\r\nnot an address,manual\r\n'),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').filter({ hasText: 'Added 1, unchanged 0' }).waitFor();
  await page.getByText(/Line 3: .*not an e-mail address/).waitFor();
  await page.getByText('3 addresses').waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^address,reason,source,evidence,created_at,expires_at,created_by,domain\r\n/);
  for (const a of ['bob@reader.example', 'cat@reader.example', 'dan@reader.example'])
    assert.ok(csv.includes(a), a);
  assert.ok(!csv.includes('ann@reader.example'), 'removed');

  // An entry for one sender domain only: a domain of another tenant is refused; the tenant's own is shown as
  // the scope, and removing it names it.
  await page.getByLabel('Address', { exact: true }).fill('eve@reader.example');
  await page.getByLabel('Why').last().fill('only the newsletter');
  await page.getByLabel('Only for mail from (optional)').fill('news.other.example');
  await page.getByRole('button', { name: 'Suppress' }).click();
  await page.getByText('"news.other.example" is not one of this tenant\'s sender domains.').waitFor();
  await page.getByLabel('Only for mail from (optional)').fill('NEWS.shop.com');
  await page.getByRole('button', { name: 'Suppress' }).click();
  await page.getByText('4 addresses').waitFor();
  const eve = rows(page).filter({ hasText: 'eve@reader.example' });
  assert.match((await eve.textContent()) ?? '', /mail from news\.shop\.com/);
  assert.match(
    (await rows(page).filter({ hasText: 'bob@reader.example' }).textContent()) ?? '',
    /every sender domain/,
  );
  await page.getByRole('button', { name: 'Remove eve@reader.example for news.shop.com' }).click();
  await page.getByRole('heading', { name: 'Remove eve@reader.example for news.shop.com' }).waitFor();
  await page.locator('#remove-why').fill('she reads it after all');
  await page.getByRole('button', { name: 'Remove from the list' }).click();
  await page.getByText('3 addresses').waitFor();
  await changes
    .getByText(
      /eve@reader\.example for news\.shop\.com removed \(manual\) by user:.+: she reads it after all/,
    )
    .waitFor();
  await browser.screenshot('suppressions-page');
  assert.deepEqual(problems, []);
});

test('domain page: the delivery figures with the complaint rate against the 0.3% line', async () => {
  await page.goto(`${node.http}/domains/news.shop.com`);
  await page.getByRole('heading', { name: 'Delivery, bounces and complaints' }).waitFor();
  const table = page.getByRole('table', { name: 'Delivery figures of news.shop.com' });
  await table.waitFor();
  const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(cells, ['4', '3', '1', '0', '0', '0', '1', '0', '33.333%']);
  const chart = page.getByRole('img', { name: /Complaint rate per day, against the 0.3% line/ });
  assert.match((await chart.getAttribute('aria-label')) ?? '', /33\.33%/);
  assert.equal(await chart.locator('line.rate-limit-line').count(), 1);
  assert.equal(await chart.locator('rect.over-limit').count(), 1);
  await page
    .locator('#figures')
    .screenshot({ path: `${process.cwd()}/.artifacts/dashboard/suppressions-figures.png` });
  assert.deepEqual(problems, []);
});
