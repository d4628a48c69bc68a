/**
 * The wizard's "apply for me" beside "copy these records", in a real browser (Debian's Chromium): the Domain
 * Connect link of the customer's DNS provider (discovered through a real Knot and an HTTPS provider stub), and
 * an RFC 2136 update of the customer's own Knot primary, shown as a difference first, applied, then a no-op.
 * Screenshots go to .artifacts/dashboard/ (20-*).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { httpsJson } from '../../src/provisioning/index.ts';
import { startTestNode, tempDir, type TestDir, type TestNode } from '../support/node.ts';
import { selfSignedCertificateForTests } from '../support/tls.ts';
import { run } from '../support/tools.ts';
import { startUpdatePrimary, type UpdatePrimary } from '../support/update-primary.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';

const PASSWORD = 'a long and secret passphrase';
const DOMAIN = 'news.shop.test';
let dir: TestDir;
let knot: UpdatePrimary;
let provider: Server;
let node: TestNode;
let browser: TestBrowser;
let page: Page;
const problems: string[] = [];

before(async () => {
  await ensureDashboardBuilt();
  dir = tempDir('senderd-apply-web-');
  const tls = selfSignedCertificateForTests();
  provider = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    res.writeHead(path.endsWith('/settings') || path.includes('/domainTemplates/') ? 200 : 404, {
      'content-type': 'application/json',
    });
    res.end(
      JSON.stringify({
        providerId: 'dnshost.example',
        providerName: 'DNS Host',
        urlSyncUX: 'https://connect.dnshost.example',
        urlAPI: `https://localhost:${(provider.address() as AddressInfo).port}/api`,
      }),
    );
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const port = (provider.address() as AddressInfo).port;
  mkdirSync(join(dir.path, 'knot'));
  knot = await startUpdatePrimary(
    'knot',
    join(dir.path, 'knot'),
    'shop.test',
    `_domainconnect 300 IN TXT "localhost:${port}/dc"`,
  );
  node = await startTestNode({
    set: [
      `resolvers.servers=127.0.0.1:${knot.port}`,
      // The customer's primary is a Knot on loopback: an operator's own DNS host, allowed by this key.
      'checks.allowPrivateApplyServers=true',
    ],
    runtime: { domainConnectGet: httpsJson({ timeoutMs: 5000, allowPrivate: true, ca: tls.cert }) },
  });
  const tenant = await node.services.accounts.addTenant('shop');
  await node.services.accounts.addUser(tenant.id, 'ada@shop.test', PASSWORD, 'owner');
  browser = await launchBrowser(node.http);
  page = browser.page;
  browser.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  browser.context.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
});

after(async () => {
  await browser?.close();
  await node?.close();
  await knot?.stop();
  provider?.close();
  dir?.remove();
});

test('the wizard offers "apply for me": the Domain Connect link, and an RFC 2136 update', async () => {
  await page.goto(`${node.http}/`);
  await page.getByLabel('E-mail').fill('ada@shop.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('link', { name: 'Add your first domain' }).click();
  await page.getByLabel('Sender domain').fill(DOMAIN);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Add the domain and show its records' }).click();
  await page.getByRole('heading', { name: /Step 3 of 4/ }).waitFor();
  const group = page.getByRole('group', { name: 'How to create the records' });
  assert.equal(
    await group.getByRole('button', { name: 'Copy these records' }).getAttribute('aria-pressed'),
    'true',
  );
  await page.getByRole('table', { name: `Records to create for ${DOMAIN}` }).waitFor();
  await group.getByRole('button', { name: 'Apply for me' }).click();

  const link = page.getByRole('link', { name: 'Apply with DNS Host' });
  await link.waitFor();
  const href = (await link.getAttribute('href')) ?? '';
  assert.match(
    href,
    /^https:\/\/connect\.dnshost\.example\/v2\/domainTemplates\/providers\/mail\.example\.net\/services\/mail\/apply\?domain=shop\.test&host=news&token=\w+&sig=[^&]+&key=_dcpubkeyv1$/,
  );
  await browser.screenshot('20-wizard-apply-for-me');

  await page.getByLabel('Primary server (host or host:port)').fill(`127.0.0.1:${knot.port}`);
  await page.getByLabel('TSIG key name').fill(knot.keys.full.name);
  await page.getByLabel('TSIG secret (base64)').fill(knot.secrets[0]!);
  await page.getByRole('button', { name: 'Show the difference' }).click();
  const changes = page.getByRole('table', { name: `Changes for ${DOMAIN}` });
  await page.getByRole('status').filter({ hasText: 'Dry run:' }).waitFor();
  await browser.screenshot('21-wizard-apply-difference');
  const rows = await changes.locator('tbody tr').allInnerTexts();
  assert.equal(rows.filter((r) => /\tadd$/.test(r)).length, 7, rows.join('\n'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Applied to shop.test' }).waitFor();
  await browser.screenshot('22-wizard-applied');
  const dmarc = await run('dig', [
    '+short',
    '-p',
    String(knot.port),
    '@127.0.0.1',
    `_dmarc.${DOMAIN}`,
    'CNAME',
  ]);
  assert.match(dmarc.stdout, /\.dmarc\.mail\.example\.net\.\n$/);

  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Nothing to change in shop.test.' }).waitFor();
  assert.ok(!(await page.locator('body').innerText()).includes(knot.secrets[0]!), 'the secret is not shown');
  assert.deepEqual(problems, []);
});
