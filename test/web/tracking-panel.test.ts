/**
 * The domain page's tracking panel in a real browser (Debian's Chromium through playwright-core) against a real
 * node: delivered recipients and people's opens and clicks from the store, the machines beside them, a chart,
 * and the links table ranked by people. Screenshot: .artifacts/dashboard/tracking-panel.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import type { TrackingEvent } from '../../src/tracking/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { launchBrowser, watchProblems, type TestBrowser } from './browser.ts';

const PASSWORD = 'a long passphrase for the panel';
const DOMAIN = 'news.shop.com';
let node: TestNode;
let browser: TestBrowser;
const problems: string[] = [];

before(async () => {
  await ensureDashboardBuilt();
  node = await startTestNode();
  const s = node.services;
  const tenant = await s.accounts.addTenant('shop');
  await s.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
  const domain = await s.domains.add(tenant.id, DOMAIN);
  const now = new Date();
  const at = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const recipients = ['a', 'b', 'c', 'd'].map((l) => `${l}@example.net`);
  await s.store.gateway.insertMessages([
    {
      id: 'm-panel',
      tenantId: tenant.id,
      domainId: domain.id,
      senderDomain: DOMAIN,
      headerFrom: `news@${DOMAIN}`,
      submittedMailFrom: `news@${DOMAIN}`,
      recipients: recipients.map((address) => ({ address, envelopeFrom: `b@rp.${DOMAIN}` })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '192.0.2.1',
      credential: null,
      size: 1000,
      acceptedAt: at(120),
      status: 'delivered',
      updatedAt: at(120),
    },
  ]);
  await s.store.gateway.insertAttempts(
    recipients.map((recipient) => ({
      messageId: 'm-panel',
      tenantId: tenant.id,
      recipient,
      at: at(119),
      status: 'delivered' as const,
      code: 250,
      reply: '250 ok',
      host: 'mx.example.net',
      tls: true,
    })),
  );
  const visit = (more: Partial<TrackingEvent>): TrackingEvent => ({
    tenantId: tenant.id,
    domainId: domain.id,
    senderDomain: DOMAIN,
    messageId: 'm-panel',
    recipientIndex: 0,
    kind: 'click',
    linkIndex: 0,
    url: 'https://shop.com/spring-sale',
    at: at(60),
    clientNetwork: '198.51.100.0/24',
    userAgent: 'Mozilla/5.0',
    class: 'human',
    rule: 'none',
    ...more,
  });
  for (const e of [
    visit({ kind: 'open', url: '' }),
    visit({ kind: 'open', url: '', recipientIndex: 1 }),
    visit({
      kind: 'open',
      url: '',
      recipientIndex: 2,
      class: 'privacy-proxy',
      rule: 'apple-mail-privacy-protection',
    }),
    visit({}),
    visit({ recipientIndex: 1, linkIndex: 1, url: 'https://shop.com/about' }),
    visit({
      recipientIndex: 3,
      linkIndex: 1,
      url: 'https://shop.com/about',
      class: 'scanner',
      rule: 'barracuda',
    }),
  ])
    await s.store.tracking.insert(e);
  browser = await launchBrowser(node.http);
  watchProblems(browser, problems);
});

after(async () => {
  await browser?.close();
  await node?.close();
});

test('the tracking panel shows people apart from machines, a chart and the links', async () => {
  const page = browser.page;
  await page.goto(`${node.http}/`);
  await page.getByLabel('E-mail address').fill('ada@shop.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
  await page.goto(`${node.http}/domains/${DOMAIN}`);
  const panel = page.locator('#tracking');
  await panel.getByRole('heading', { name: 'Opens and clicks' }).waitFor();
  await panel.getByRole('table', { name: "Links by people's clicks" }).waitFor();
  const figures = await panel.locator('dl.figures').innerText();
  assert.match(figures, /Delivered\s+4/);
  assert.match(figures, /Opened by people\s+2 \(50\.0%\)/);
  assert.match(figures, /Clicked by people\s+2 \(50\.0%\)/);
  assert.match(figures, /Privacy-proxy opens\s+1/);
  assert.match(figures, /Scanner opens and clicks\s+1/);
  await panel.getByRole('img', { name: /People's open rate 50\.0% and click rate 50\.0% overall/ }).waitFor();
  const rows = await panel.getByRole('table').getByRole('row').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[1]!, /https:\/\/shop\.com\/about\s+1\s+25\.0%\s+1\s+1/);
  assert.match(rows[2]!, /https:\/\/shop\.com\/spring-sale\s+1\s+25\.0%\s+1\s+0/);
  await panel.screenshot({
    path: new URL('../../.artifacts/dashboard/tracking-panel.png', import.meta.url).pathname,
  });
  assert.deepEqual(problems, []);
});
