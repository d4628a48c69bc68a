/**
 * The sending settings on the domain page in a real browser (Debian's Chromium through playwright-core) against a
 * real node (issues 17 and 18): the owner turns click tracking, the bulk stream and a Feedback-ID on, then changes
 * them, and each save reads back the same through the API (PATCH /v1/domains/{domain} `sending`); a bad Feedback-ID
 * is refused with the API's sentence and nothing changes. A domain that is not verified says the settings are not
 * applied yet; a domain without the click host cannot turn on what needs it, and says so. Screenshots go to .artifacts/dashboard/sending-settings-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { launchBrowser, watchProblems, type TestBrowser } from './browser.ts';

const PASSWORD = 'the owner has a long passphrase';
let node: TestNode;
let browser: TestBrowser;
let page: Page;
let apiKey = '';
const problems: string[] = [];

before(async () => {
  await ensureDashboardBuilt();
  node = await startTestNode();
  const s = node.services;
  const tenant = await s.accounts.addTenant('shop');
  await s.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
  apiKey = (await s.accounts.createApiKey(tenant.id, 'read back')).key;
  const verified = await s.domains.add(tenant.id, 'news.shop.com');
  const at = new Date().toISOString();
  await s.store.domains.setVerified(verified.id, at, at);
  await s.domains.add(tenant.id, 'draft.shop.com');
  await s.domains.add(tenant.id, 'plain.shop.com', { tracking: false });
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

async function sendingOf(domain: string): Promise<unknown> {
  const r = await fetch(`${node.http}/v1/domains/${domain}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(r.status, 200);
  return ((await r.json()) as { settings: { sending?: unknown } }).settings.sending;
}

const form = (p: Page) => p.getByRole('form', { name: 'What the gateway adds to this domain’s mail' });

async function save(p: Page): Promise<void> {
  await form(p).getByRole('button', { name: 'Save sending settings' }).click();
  await form(p).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

test('a verified domain: set clicks, bulk and a Feedback-ID, change them, and read each back through the API', async () => {
  assert.equal(await sendingOf('news.shop.com'), undefined, 'all off to begin with');
  await page.goto(`${node.http}/domains/news.shop.com#tracking`);
  const f = form(page);
  await f.waitFor();
  assert.equal(
    await f.getByRole('note').count(),
    0,
    'a verified domain with its click host: nothing to warn of',
  );
  for (const name of [/Track clicks/, /Track opens/, /Bulk mail/])
    assert.equal(await f.getByRole('checkbox', { name }).isChecked(), false);

  await f
    .getByRole('checkbox', { name: /Track clicks \(links lead through clicks\.news\.shop\.com\)/ })
    .check();
  await f.getByRole('checkbox', { name: /Bulk mail/ }).check();
  await f.getByLabel('Feedback-ID').fill('weekly:shop');
  await save(page);
  assert.deepEqual(await sendingOf('news.shop.com'), {
    clicks: true,
    opens: false,
    bulk: true,
    feedbackId: 'weekly:shop',
  });

  // A bad Feedback-ID: the API's refusal is shown, and nothing is stored.
  await f.getByLabel('Feedback-ID').fill('a:b:c:d');
  await f.getByRole('button', { name: 'Save sending settings' }).click();
  await f
    .getByRole('alert')
    .filter({ hasText: /one to three parts/ })
    .waitFor();
  assert.deepEqual(await sendingOf('news.shop.com'), {
    clicks: true,
    opens: false,
    bulk: true,
    feedbackId: 'weekly:shop',
  });

  await f.getByRole('checkbox', { name: /Track clicks/ }).uncheck();
  await f.getByRole('checkbox', { name: /Track opens/ }).check();
  await f.getByLabel('Feedback-ID').fill('');
  await save(page);
  assert.deepEqual(await sendingOf('news.shop.com'), {
    clicks: false,
    opens: true,
    bulk: true,
    feedbackId: null,
  });

  // What is stored is what the page shows after a reload.
  await page.reload();
  await form(page).waitFor();
  assert.equal(
    await form(page)
      .getByRole('checkbox', { name: /Track clicks/ })
      .isChecked(),
    false,
  );
  assert.equal(
    await form(page)
      .getByRole('checkbox', { name: /Track opens/ })
      .isChecked(),
    true,
  );
  assert.equal(
    await form(page)
      .getByRole('checkbox', { name: /Bulk mail/ })
      .isChecked(),
    true,
  );
  assert.equal(await form(page).getByLabel('Feedback-ID').inputValue(), '');
  await form(page).screenshot({
    path: `${process.cwd()}/.artifacts/dashboard/sending-settings-verified.png`,
  });
  assert.deepEqual(problems, []);
});

test('a domain not yet verified: the settings are saved and the page says they do not apply yet', async () => {
  await page.goto(`${node.http}/domains/draft.shop.com#tracking`);
  const f = form(page);
  await f.waitFor();
  const note = f.getByRole('note');
  assert.match((await note.textContent()) ?? '', /Not applied yet: the domain is not verified/);
  await f.getByRole('checkbox', { name: /Bulk mail/ }).check();
  await save(page);
  assert.deepEqual(await sendingOf('draft.shop.com'), {
    clicks: false,
    opens: false,
    bulk: true,
    feedbackId: null,
  });
  assert.deepEqual(problems, []);
});

test('a domain without the click host: clicks, opens and bulk cannot be turned on, and the page says why; Feedback-ID can', async () => {
  await page.goto(`${node.http}/domains/plain.shop.com#tracking`);
  const f = form(page);
  await f.waitFor();
  assert.match(
    (await f.getByRole('note').textContent()) ?? '',
    /Does not apply: .*need the click host clicks\.plain\.shop\.com, which this domain does not plan/,
  );
  for (const name of [/Track clicks/, /Track opens/, /Bulk mail/]) {
    const box = f.getByRole('checkbox', { name });
    assert.equal(await box.isDisabled(), true);
    assert.match((await box.getAttribute('aria-describedby')) ?? '', /sending-no-host/);
  }
  await f.getByLabel('Feedback-ID').fill('receipts');
  await save(page);
  assert.deepEqual(await sendingOf('plain.shop.com'), {
    clicks: false,
    opens: false,
    bulk: false,
    feedbackId: 'receipts',
  });
  await form(page).screenshot({ path: `${process.cwd()}/.artifacts/dashboard/sending-settings-no-host.png` });
  assert.deepEqual(problems, []);
});
