/**
 * Issue 18's "Done when", end to end with a real Postfix as the recipients' server, the real inbound MX, the real
 * edge and the dashboard in Chromium (playwright-core). Three ways onto the tenant's suppression list, each taken
 * all the way back off it:
 * - a hard bounce: a message to a mailbox that does not exist is refused by Postfix at RCPT;
 * - a complaint: an ARF report (RFC 5965) about a message delivered through the gateway, mailed to the inbound
 *   MX's feedback address as a receiver's feedback loop does;
 * - a one-click unsubscribe: `POST List-Unsubscribe=One-Click` (RFC 8058 §3.1) to the HTTPS URL taken from the
 *   delivered copy's List-Unsubscribe field, against the edge over TLS.
 * Each time the next message to the recipient is refused by the gateway at RCPT with a reply naming the reason; the
 * tenant signs in to the dashboard and removes the entry on the /suppressions page, saying why (the audit trail
 * keeps who and why); and the next message is delivered to the Postfix mailbox. One node, one Postfix and one
 * browser serve the three, to keep the test short.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { toInbound, until } from '../complaints/inbound-client.ts';
import { placeIssuedCertificate, portOf } from '../edge/edge-client.ts';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';
import { postfixUnavailable, startPostfix, type Postfix } from '../support/postfix.ts';
import { run } from '../support/tools.ts';
import { launchBrowser, watchProblems, type TestBrowser } from '../web/browser.ts';
import { arfReport } from '../support/arf-report.ts';

const DOMAIN = 'example.com';
const CLICK_HOST = `clicks.${DOMAIN}`;
const PASSWORD = 'the owner has a long passphrase';
const CRLF = '\r\n';

async function api(h: Harness, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.node.http}${path}`, { headers: { authorization: `Bearer ${h.apiKey}` } });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** A message's header block with its folded lines joined (RFC 5322 §2.2.3). */
const headerOf = (message: string) => message.slice(0, message.search(/\r?\n\r?\n/));
const unfolded = (header: string) => header.replace(/\r?\n[ \t]+/g, ' ');

/** The message Postfix delivered with this subject (polled; the log in the error when it never comes). */
function deliveredWith(postfix: Postfix, subject: string): Promise<string> {
  return until(`the delivery of "${subject}" (Postfix log: ${postfix.log().slice(-1500)})`, () =>
    postfix.delivered().find((m) => new RegExp(`^Subject: ${subject}$`, 'm').test(m)),
  );
}

/** The suppression entry of `address`, once there. */
function suppressionOf(h: Harness, address: string): Promise<any> {
  return until(`the suppression of ${address}`, async () => {
    const r = await api(h, `/v1/suppressions/${encodeURIComponent(address)}`);
    return r.status === 200 ? r.body : undefined;
  });
}

/** The next message to `to` is refused at RCPT with exactly `reply`. */
async function refused(h: Harness, to: string, reply: string): Promise<void> {
  await assert.rejects(
    h.send({ from: `news@${DOMAIN}`, to, subject: 'refused', text: 'x' }),
    (e: { responseCode?: number; response?: string }) => {
      assert.equal(e.responseCode, 550);
      assert.equal(e.response, reply);
      return true;
    },
  );
}

/** Removes `address` on the dashboard's suppression page, saying why, and waits for the audit line. */
async function removeInDashboard(h: Harness, page: Page, address: string, why: string): Promise<void> {
  await page.goto(`${h.node.http}/suppressions`);
  await page.getByRole('heading', { name: 'Suppression list of acme' }).waitFor();
  const row = page
    .getByRole('table', { name: 'Suppressed addresses' })
    .locator('tbody tr')
    .filter({ hasText: address });
  await row.waitFor();
  await page.getByRole('button', { name: `Remove ${address}` }).click();
  await page.getByRole('heading', { name: `Remove ${address}` }).waitFor();
  await page.locator('#remove-why').fill(why);
  await page.getByRole('button', { name: 'Remove from the list' }).click();
  await page
    .getByRole('list', { name: 'Recent changes to the suppression list' })
    .locator('li')
    .filter({ hasText: why })
    .waitFor();
  assert.equal(await row.count(), 0, `${address} is no longer listed`);
}

/** The last two changes to `address` in the audit trail (API): added by `adder`, removed by `user` with the why. */
async function assertAudit(
  h: Harness,
  address: string,
  expected: { reason: string; adder: string; user: string; why: string },
): Promise<void> {
  const audit = (await api(h, `/v1/suppressions/audit?address=${encodeURIComponent(address)}`)).body
    .audit as any[];
  assert.deepEqual(
    audit.slice(0, 2).map((a) => [a.action, a.reason, a.actor]),
    [
      ['removed', expected.reason, `user:${expected.user}`],
      ['added', expected.reason, expected.adder],
    ],
    'removed by the person signed in to the dashboard',
  );
  assert.equal(audit[0].why, expected.why);
}

const unavailable = postfixUnavailable();

test(
  'hard bounce, complaint and one-click unsubscribe: each suppresses, is refused at RCPT naming the reason, is removed in the dashboard, and mail is delivered again',
  { skip: unavailable ?? false },
  async () => {
    await ensureDashboardBuilt();
    const postfix = await startPostfix('recipient.test');
    let h: Harness | undefined;
    let browser: TestBrowser | undefined;
    const problems: string[] = [];
    try {
      h = await startHarness({
        domains: [{ name: DOMAIN, keys: [['rsa-sha256', 'sd1']] }],
        set: [
          'gateway.delivery.mode=smarthost',
          'gateway.delivery.smarthost.host=127.0.0.1',
          `gateway.delivery.smarthost.port=${postfix.port}`,
          'gateway.delivery.smarthost.tls=none',
        ],
      });
      const harness = h;
      const s = harness.node.node.services;
      // The bulk stream: the gateway adds RFC 8058 List-Unsubscribe to the domain's mail; the click host answers.
      await s.domains.update(harness.tenantId, DOMAIN, { sending: { bulk: true } });
      await s.store.edge.insertHost({
        hostname: CLICK_HOST,
        role: 'click',
        domainId: harness.domains.get(DOMAIN)!.id,
        tenantId: harness.tenantId,
        at: new Date().toISOString(),
      });
      await placeIssuedCertificate(s, CLICK_HOST, 'click-cert');
      await s.edge.changed();
      const edgePort = portOf(harness.node.node, 'edge-https');
      assert.ok(edgePort, 'the edge runs');
      await postfix.addMailbox('ann');
      await postfix.addMailbox('bob');
      const ada = await s.accounts.addUser(harness.tenantId, 'ada@example.com', PASSWORD, 'owner');
      browser = await launchBrowser(harness.node.http);
      watchProblems(browser, problems);
      const page = browser.page;
      await page.goto(`${harness.node.http}/`);
      await page.getByLabel('E-mail address').fill('ada@example.com');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
      const day = new Date().toISOString().slice(0, 10);

      // 1. A hard bounce: Postfix has no such mailbox.
      const nobody = 'nobody@recipient.test';
      const bounced = await harness.send({ from: `news@${DOMAIN}`, to: nobody, subject: 'hb-1', text: 'x' });
      const trace = await waitForTrace(harness, bounced.id, 'bounced');
      assert.match(trace.attempts[0].reply, /User unknown in virtual mailbox table/, 'Postfix refused it');
      const hard = await suppressionOf(harness, nobody);
      assert.deepEqual([hard.reason, hard.source, hard.messageId], ['hard-bounce', 'bounce', bounced.id]);
      await refused(
        harness,
        nobody,
        `550 5.1.1 <${nobody}>: suppressed after a hard bounce on ${day} (senderd suppression list)`,
      );
      await postfix.addMailbox('nobody');
      await removeInDashboard(harness, page, nobody, 'the mailbox exists now');
      await assertAudit(harness, nobody, {
        reason: 'hard-bounce',
        adder: 'gateway',
        user: ada.id,
        why: 'the mailbox exists now',
      });
      const hb2 = await harness.send({ from: `news@${DOMAIN}`, to: nobody, subject: 'hb-2', text: 'x' });
      await waitForTrace(harness, hb2.id, 'delivered');
      assert.match(await deliveredWith(postfix, 'hb-2'), /^Delivered-To: nobody@recipient\.test$/m);

      // 2. A complaint: Ann's mailbox provider reports the delivered message through its feedback loop (ARF),
      // the original attached as received, Ann's address redacted, the VERP return path in Original-Mail-From.
      const ann = 'ann@recipient.test';
      const c1 = await harness.send({ from: `news@${DOMAIN}`, to: ann, subject: 'c-1', text: 'deals' });
      await waitForTrace(harness, c1.id, 'delivered');
      const original = headerOf(await deliveredWith(postfix, 'c-1'));
      const returnPath = /^Return-Path: <([^>]+)>$/m.exec(original)?.[1];
      assert.ok(returnPath?.endsWith(`@bounce.${DOMAIN}`), `the VERP return path: ${returnPath}`);
      const report = arfReport({
        from: 'Feedback Loop <fbl@isp.recipient.test>',
        to: `fbl@${s.platform.reportsHost}`,
        fields: [
          'Feedback-Type: abuse',
          'User-Agent: Recipient-Feedback/1.0',
          'Version: 1',
          `Original-Mail-From: <${returnPath}>`,
          'Reported-Domain: example.com',
        ],
        original: [original.split(ann).join('redacted@recipient.test'), '', 'deals'].join(CRLF),
      });
      assert.match(
        await toInbound(harness, '', `fbl@${s.platform.reportsHost}`, report),
        /^250 2\.0\.0 Feedback report received/,
      );
      const complaint = await suppressionOf(harness, ann);
      assert.deepEqual(
        [complaint.reason, complaint.source, complaint.messageId],
        ['complaint', 'complaint', c1.id],
      );
      assert.match(complaint.evidence, /Recipient-Feedback\/1\.0/);
      await refused(
        harness,
        ann,
        `550 5.7.1 <${ann}>: suppressed after a complaint (feedback loop) on ${day} (senderd suppression list)`,
      );
      await removeInDashboard(harness, page, ann, 'she asked to stay on the list');
      await assertAudit(harness, ann, {
        reason: 'complaint',
        adder: 'complaint',
        user: ada.id,
        why: 'she asked to stay on the list',
      });
      const c2 = await harness.send({ from: `news@${DOMAIN}`, to: ann, subject: 'c-2', text: 'x' });
      await waitForTrace(harness, c2.id, 'delivered');
      await deliveredWith(postfix, 'c-2');

      // 3. A one-click unsubscribe: the receiver POSTs to the HTTPS URL of the delivered copy's List-Unsubscribe.
      const bob = 'bob@recipient.test';
      const u1 = await harness.send({ from: `news@${DOMAIN}`, to: bob, subject: 'u-1', text: 'x' });
      await waitForTrace(harness, u1.id, 'delivered');
      const fields = unfolded(headerOf(await deliveredWith(postfix, 'u-1')));
      assert.match(fields, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      const url = /^List-Unsubscribe: <(https:\/\/[^>]+)>/m.exec(fields)?.[1];
      assert.ok(url?.startsWith(`https://${CLICK_HOST}/u/`), `the one-click URL: ${url}`);
      // RFC 8058 §3.1: POST, application/x-www-form-urlencoded, the body List-Unsubscribe=One-Click, no cookies.
      const post = await run('curl', [
        ...['-sk', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-d', 'List-Unsubscribe=One-Click'],
        ...['--connect-to', `${CLICK_HOST}:443:127.0.0.1:${edgePort}`],
        url!,
      ]);
      assert.equal(post.stdout, '200', post.stderr);
      const unsubscribed = await suppressionOf(harness, bob);
      assert.deepEqual(
        [unsubscribed.reason, unsubscribed.source, unsubscribed.messageId],
        ['unsubscribe', 'one-click', u1.id],
      );
      await refused(
        harness,
        bob,
        `550 5.7.1 <${bob}>: the recipient unsubscribed (one-click) on ${day} (senderd suppression list)`,
      );
      await removeInDashboard(harness, page, bob, 'he subscribed again on the web site');
      await assertAudit(harness, bob, {
        reason: 'unsubscribe',
        adder: 'one-click',
        user: ada.id,
        why: 'he subscribed again on the web site',
      });
      const u2 = await harness.send({ from: `news@${DOMAIN}`, to: bob, subject: 'u-2', text: 'x' });
      await waitForTrace(harness, u2.id, 'delivered');
      await deliveredWith(postfix, 'u-2');

      await browser.screenshot('suppressions-end-to-end');
      assert.equal((await api(harness, '/v1/suppressions')).body.total, 0, 'the list is empty again');
      assert.deepEqual(problems, []);
    } finally {
      await browser?.close();
      await h?.close();
      await postfix.stop();
    }
  },
);
