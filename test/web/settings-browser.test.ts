/**
 * The operator's pages in a real browser (Debian's Chromium through playwright-core) against a real node, as an
 * owner and a member would use them (issue 15 item 8): API keys and SMTP credentials (each secret shown once,
 * copied, working, revoked), notification settings, and removing a domain behind a typed confirmation. The
 * member sees none of the owner's controls, and the API refuses them with 403 as well. Screenshots go to
 * .artifacts/dashboard/settings-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { verifyWebhookSignature } from '../../src/events/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { ARTIFACTS, launchBrowser, watchProblems, type TestBrowser } from './browser.ts';

const PASSWORD = 'the owner has a long passphrase';
const MEMBER_PASSWORD = 'the member has one too';
let node: TestNode;
let hook: Awaited<ReturnType<typeof receiver>>;
let tenantId = '';
let owner: TestBrowser;
let page: Page;
const problems: string[] = [];

const watch = (b: TestBrowser): void => watchProblems(b, problems);

async function signIn(p: Page, email: string, password: string): Promise<void> {
  await p.goto(`${node.http}/`);
  await p.getByLabel('E-mail address').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByLabel('Password').press('Enter');
  await p.getByRole('heading', { name: 'Sender domains' }).waitFor();
}

before(async () => {
  await ensureDashboardBuilt();
  hook = await receiver();
  // The webhook receiver listens on 127.0.0.1, so this node accepts private webhook addresses.
  node = await startTestNode({ set: ['events.allowPrivateWebhooks=true'] });
  const tenant = await node.services.accounts.addTenant('shop');
  tenantId = tenant.id;
  await node.services.accounts.addUser(tenant.id, 'ada@shop.com', PASSWORD, 'owner');
  await node.services.accounts.addUser(tenant.id, 'ben@shop.com', MEMBER_PASSWORD, 'member');
  await node.services.domains.add(tenant.id, 'news.shop.com');
  await node.services.domains.add(tenant.id, 'kept.shop.com');
  await node.services.domains.add(tenant.id, 'bücher.shop.com');
  owner = await launchBrowser(node.http);
  page = owner.page;
  watch(owner);
  await signIn(page, 'ada@shop.com', PASSWORD);
});

after(async () => {
  await owner?.close();
  await node?.close();
  await hook?.close();
});

/** A real webhook receiver on 127.0.0.1, port 0, that answers 204 and keeps what it got. */
async function receiver() {
  const received: { signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        signature: String(req.headers['senderd-signature']),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/senderd`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const api = (key: string, path = '/v1/domains') =>
  fetch(`${node.http}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe('the operator pages, as an owner', () => {
  test('an API key is created, shown once with a copy button, works, and is revoked', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys of shop' }).waitFor();
    await page.getByText('No API keys yet.').waitFor();
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give the key a name' }).waitFor();
    await page.getByLabel('Name').fill('deploy script');
    await page.getByLabel('Name').press('Enter');
    const field = page.getByRole('textbox', { name: 'API key deploy script' });
    await field.waitFor();
    const key = await field.inputValue();
    assert.match(key, /^sdk_/);
    await page.getByRole('button', { name: 'Copy API key deploy script' }).click();
    await page.locator('.secret-panel').getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), key);
    const row = page.getByRole('row').filter({ hasText: 'deploy script' });
    assert.match(await row.innerText(), /never[\s\S]*active/);
    await owner.screenshot('settings-01-api-key-created');
    assert.equal((await api(key)).status, 200, 'the key works');

    // Shown once: after Done, and after a reload, the page holds no trace of it.
    await page.getByRole('button', { name: 'Done' }).click();
    await field.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(key));
    await page.reload();
    await row.waitFor();
    assert.ok(!(await page.content()).includes(key), 'a reload does not show the key again');
    assert.match(await row.innerText(), /\d{4}-\d\d-\d\d \d\d:\d\d UTC[\s\S]*active/, 'last used is shown');

    await page.getByRole('button', { name: 'Revoke API key deploy script' }).click();
    const confirm = page.getByRole('group', { name: 'Revoke deploy script?' });
    await confirm.getByText('Programs using it are refused at once.').waitFor();
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Yes, revoke');
    await owner.screenshot('settings-02-api-key-revoke');
    await page.keyboard.press('Enter');
    await row.getByText(/^revoked /).waitFor();
    assert.equal((await api(key)).status, 401, 'the revoked key is refused');
  });

  test('SMTP credentials: the password is shown once and lets the gateway authenticate', async () => {
    await page.getByRole('link', { name: 'SMTP' }).click();
    await page.getByRole('heading', { name: 'SMTP credentials of shop' }).waitFor();
    await page.getByLabel('Name').fill('shop app');
    await page.getByRole('button', { name: 'Create the credentials' }).click();
    const field = page.getByRole('textbox', { name: /^SMTP password for / });
    await field.waitFor();
    const password = await field.inputValue();
    const username = await page.locator('.secret-panel code').innerText();
    assert.ok(password.length >= 20, 'a long password');
    const row = page.getByRole('row').filter({ hasText: 'shop app' });
    assert.match(await row.innerText(), new RegExp(username));
    await owner.screenshot('settings-03-smtp-created');
    assert.ok(await node.services.smtpCredentials.authenticate(username, password), 'the gateway accepts it');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await row.waitFor();
    assert.ok(!(await page.content()).includes(password), 'a reload does not show the password again');
    await page.getByRole('button', { name: 'Revoke SMTP credential shop app' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText(/^revoked /).waitFor();
    assert.equal(await node.services.smtpCredentials.authenticate(username, password), null);
  });

  test('notifications: a webhook and e-mail recipients are saved, the secret shown once, a test event sent', async () => {
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications of shop' }).waitFor();
    await page.getByText('Nothing has been sent yet.').waitFor();
    assert.ok(
      await page.getByRole('button', { name: 'Send a test event' }).isDisabled(),
      'nowhere to send yet',
    );
    await page.getByLabel('Webhook URL').fill(hook.url);
    await page.getByLabel('E-mail addresses').fill('ops@shop.com\nnot an address');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'The notification settings are invalid.' }).waitFor();
    await page.getByLabel('E-mail addresses').fill('ops@shop.com\nada@shop.com');
    await page.getByLabel('Send events at least this severe').selectOption('critical');
    await page.getByRole('button', { name: 'Save' }).click();
    const secret = await page.getByRole('textbox', { name: 'Webhook secret' }).inputValue();
    assert.match(secret, /^whsec_/);
    const saved = await node.services.events.notifications(tenantId);
    assert.deepEqual(
      { url: saved.webhookUrl, to: saved.emailTo, min: saved.minSeverity },
      { url: hook.url, to: ['ops@shop.com', 'ada@shop.com'], min: 'critical' },
    );

    // The test event reaches the receiver, signed with the secret just shown; the table says how each channel
    // went: the webhook delivered, the e-mail waiting because this node has no e-mail transport.
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const webhookRow = page.getByRole('row').filter({ hasText: 'webhook' });
    await webhookRow.getByText('delivered', { exact: true }).waitFor();
    const emailRow = page.getByRole('row').filter({ hasText: 'e-mail' });
    await emailRow.getByText('e-mail delivery is not configured').waitFor();
    assert.match(await emailRow.innerText(), /pending/);
    assert.equal(hook.received.length, 1);
    const got = hook.received[0]!;
    assert.ok(verifyWebhookSignature(got.signature, got.body, secret, Date.now() / 1000), 'signed with it');
    assert.equal((JSON.parse(got.body) as { type: string }).type, 'notifications.test');
    await owner.screenshot('settings-04-notifications');

    await page.reload();
    await page.getByText('A secret is set.').waitFor();
    assert.equal(await page.getByLabel('Webhook URL').inputValue(), hook.url);
    assert.ok(!(await page.content()).includes(secret));
    await webhookRow.getByText('delivered', { exact: true }).waitFor();
  });

  test('a Unicode domain is shown as its U-label, with the A-label beside it and on hover', async () => {
    await page.getByRole('link', { name: 'Domains' }).first().click();
    const link = page.getByRole('link', { name: 'bücher.shop.com (xn--bcher-kva.shop.com)' });
    await link.waitFor();
    assert.equal(await link.getByText('bücher.shop.com').getAttribute('title'), 'xn--bcher-kva.shop.com');
    await link.click();
    await page.getByRole('heading', { name: 'bücher.shop.com (xn--bcher-kva.shop.com)', level: 1 }).waitFor();
    assert.equal(await page.title(), 'bücher.shop.com · senderd');
    await owner.screenshot('settings-08-unicode-domain');
  });

  test("a new key's timeline shows its planned future, not a sliver at the right edge", async () => {
    await page.goto(`${node.http}/domains/kept.shop.com`);
    await page.getByRole('heading', { name: 'kept.shop.com', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await page.locator('#keys').getByRole('row').filter({ hasText: 'pending' }).waitFor();
    const drawn = await page.locator('figure.timeline svg').evaluate((svg) => {
      const rects = [...svg.querySelectorAll('rect')].map((r) => r.getBBox());
      const left = Math.min(...rects.map((b) => b.x));
      const right = Math.max(...rects.map((b) => b.x + b.width));
      const now = Number(svg.querySelector('.now-mark')?.getAttribute('x1'));
      return { left, right, now, width: svg.viewBox.baseVal.width };
    });
    assert.ok(drawn.right - drawn.left >= 0.4 * drawn.width, `the key spans ${JSON.stringify(drawn)}`);
    assert.ok(drawn.now < 0.75 * drawn.width, `"now" is not at the right edge: ${JSON.stringify(drawn)}`);
    await page.locator('#keys').screenshot({ path: join(ARTIFACTS, 'settings-09-key-timeline.png') });
  });

  test("the volume chart's y-axis labels fit, also for millions of messages a day", async () => {
    await page.goto(`${node.http}/domains/kept.shop.com`);
    await page.getByRole('heading', { name: 'kept.shop.com', level: 1 }).waitFor();
    const now = Math.floor(Date.now() / 1000);
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata><org_name>google.com</org_name>` +
      `<email>noreply-dmarc-support@google.com</email><report_id>big-1</report_id><date_range><begin>${now - 3600}</begin>` +
      `<end>${now}</end></date_range></report_metadata><policy_published><domain>kept.shop.com</domain><p>none</p></policy_published>` +
      `<record><row><source_ip>192.0.2.10</source_ip><count>2500000</count><policy_evaluated><disposition>none</disposition>` +
      `<dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>kept.shop.com</header_from></identifiers>` +
      `<auth_results><dkim><domain>kept.shop.com</domain><result>pass</result></dkim></auth_results></record></feedback>`;
    const reports = page.locator('#reports');
    await reports
      .getByLabel(/Import a report/)
      .setInputFiles({ name: 'big.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) });
    await reports.getByRole('button', { name: 'Import', exact: true }).click();
    const chart = reports.getByRole('img', { name: /^Messages per day/ });
    await chart.waitFor();
    const labels = await chart.evaluate((svg) =>
      [...svg.querySelectorAll('text')].map((t) => {
        const b = t.getBBox();
        return { text: t.textContent, left: b.x, right: b.x + b.width };
      }),
    );
    assert.ok(labels.length > 0);
    for (const l of labels) assert.ok(l.left >= 0 && l.right <= 720, `cut off: ${JSON.stringify(l)}`);
    assert.ok(
      labels.some((l) => l.text === '3M'),
      JSON.stringify(labels.map((l) => l.text)),
    );
    await chart.screenshot({ path: join(ARTIFACTS, 'settings-10-volume-chart.png') });
  });

  test('removing a domain takes its name typed out, says what goes, and removes it', async () => {
    await page.goto(`${node.http}/domains/news.shop.com`);
    await page.getByRole('heading', { name: 'news.shop.com', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Remove news.shop.com…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove news.shop.com?' });
    await dialog.getByText('its DKIM keys, private keys included').waitFor();
    const go = dialog.getByRole('button', { name: 'Remove news.shop.com' });
    assert.ok(await go.isDisabled(), 'not before the name is typed');
    await dialog.getByLabel('Type news.shop.com to confirm').fill('kept.shop.com');
    assert.ok(await go.isDisabled(), 'not with another name');
    await dialog.getByLabel('Type news.shop.com to confirm').press('Enter');
    await dialog.getByLabel('Type news.shop.com to confirm').fill('news.shop.com');
    assert.ok(await go.isEnabled());
    // The viewport, not the full page: a modal dialog sits in the middle of what the user sees.
    await page.screenshot({ path: join(ARTIFACTS, 'settings-05-remove-dialog.png') });
    // Escape cancels: nothing is removed.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.ok(await node.services.domains.get(tenantId, 'news.shop.com'));

    await page.getByRole('button', { name: 'Remove news.shop.com…' }).click();
    assert.equal(await dialog.getByLabel('Type news.shop.com to confirm').inputValue(), '', 'typed anew');
    await dialog.getByLabel('Type news.shop.com to confirm').fill('news.shop.com');
    await dialog.getByLabel('Type news.shop.com to confirm').press('Enter');
    await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'news.shop.com is removed.' }).waitFor();
    await page.getByRole('link', { name: 'kept.shop.com' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'news.shop.com' }).count(), 0);
    await assert.rejects(node.services.domains.get(tenantId, 'news.shop.com'), /news\.shop\.com/);
    await owner.screenshot('settings-06-removed');
  });
});

describe('the same pages, as a member', () => {
  let member: TestBrowser;
  after(async () => {
    await member?.close();
  });

  test('a member sees no API keys and no Remove, and the API refuses them with 403', async () => {
    member = await launchBrowser(node.http);
    watch(member);
    const p = member.page;
    await signIn(p, 'ben@shop.com', MEMBER_PASSWORD);
    assert.equal(await p.getByRole('link', { name: 'API keys' }).count(), 0, 'no API keys in the menu');
    await p.goto(`${node.http}/api-keys`);
    await p.getByText('Only owners of shop can see and manage API keys.').waitFor();
    assert.equal(await p.getByRole('button', { name: 'Create the key' }).count(), 0);
    await member.screenshot('settings-07-member-api-keys');
    await p.goto(`${node.http}/domains/kept.shop.com`);
    await p.getByRole('heading', { name: 'kept.shop.com', level: 1 }).waitFor();
    await p.getByRole('heading', { name: 'Events' }).waitFor();
    assert.equal(await p.getByRole('button', { name: /^Remove / }).count(), 0, 'no Remove for a member');

    // The API says the same to the member's session, with its CSRF token: it is not only hidden.
    const statuses = await p.evaluate(async () => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const headers = { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
      return [
        (await fetch('/v1/api-keys')).status,
        (await fetch('/v1/api-keys', { method: 'POST', headers, body: '{"name":"x"}' })).status,
        (await fetch('/v1/domains/kept.shop.com', { method: 'DELETE', headers })).status,
      ];
    });
    assert.deepEqual(statuses, [403, 403, 403]);
    assert.ok(await node.services.domains.get(tenantId, 'kept.shop.com'));

    // Members work with SMTP credentials and notifications.
    await p.getByRole('link', { name: 'SMTP' }).click();
    await p.getByRole('button', { name: 'Create the credentials' }).waitFor();
    await p.getByRole('link', { name: 'Notifications' }).click();
    await p.getByRole('button', { name: 'Save' }).waitFor();
  });

  test('the new pages fit a narrow screen', async () => {
    const narrow = await owner.context.newPage();
    await narrow.setViewportSize({ width: 390, height: 844 });
    for (const [path, heading, row] of [
      ['/api-keys', 'API keys of shop', 'deploy script'],
      ['/smtp-credentials', 'SMTP credentials of shop', 'shop app'],
      ['/notifications', 'Notifications of shop', 'notifications.test'],
    ] as const) {
      await narrow.goto(`${node.http}${path}`);
      await narrow.getByRole('heading', { name: heading }).waitFor();
      await narrow.getByText(row).first().waitFor();
      const overflow = await narrow.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      assert.ok(overflow <= 0, `${path} fits the width (${overflow}px too wide)`);
      await owner.screenshot(`settings-11-narrow${path.replace('/', '-')}`, narrow);
    }
    await narrow.close();
  });

  test('an operator looking into the tenant read-only sees the lists without their controls', async () => {
    const ops = await node.services.accounts.addTenant('ops');
    await node.services.accounts.addUser(ops.id, 'olga@ops.example', PASSWORD, 'operator');
    const operator = await launchBrowser(node.http);
    watch(operator);
    try {
      const p = operator.page;
      await signIn(p, 'olga@ops.example', PASSWORD);
      await p.getByRole('link', { name: 'Tenants' }).click();
      await p.getByRole('button', { name: 'View shop read-only' }).click();
      await p.getByRole('note').filter({ hasText: 'read-only: nothing can be changed' }).waitFor();
      await p.getByRole('link', { name: 'API keys' }).click();
      await p.getByRole('row').filter({ hasText: 'deploy script' }).waitFor();
      await p.getByRole('link', { name: 'SMTP' }).click();
      await p.getByRole('row').filter({ hasText: 'shop app' }).waitFor();
      assert.equal(await p.getByRole('button', { name: /^Revoke|^Create/ }).count(), 0);
      await p.getByRole('link', { name: 'Notifications' }).click();
      await p.getByRole('row').filter({ hasText: 'webhook' }).first().waitFor();
      assert.ok(await p.getByLabel('Webhook URL').isDisabled());
      assert.equal(await p.getByRole('button', { name: /^Save|^Send a test event/ }).count(), 0);
      await p.goto(`${node.http}/domains/kept.shop.com`);
      await p.getByRole('heading', { name: 'kept.shop.com', level: 1 }).waitFor();
      await p.getByRole('heading', { name: 'Events' }).waitFor();
      assert.equal(await p.getByRole('button', { name: /^Remove / }).count(), 0);
    } finally {
      await operator.close();
    }
  });

  test('no script error and no CSP violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});
