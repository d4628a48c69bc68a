/**
 * Click tracking from one end to the other, as a customer sees it (issue 17, "Done when"): a message submitted to
 * the gateway over SMTP arrives at the recipients' MX with its links rewritten to the domain's click host; a
 * person opens their copy in Chromium and clicks a link, which the real edge answers over TLS with a 302 to the
 * original target; the click shows in the API and on the domain page as a person's. The other recipient's copy
 * is fetched link after link by a scanner-like client seconds after delivery, and is classified as a scanner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { decodeQuotedPrintable } from '../../src/mail/index.ts';
import { placeIssuedCertificate, portOf } from '../edge/edge-client.ts';
import { startHarness, waitForTrace, type Harness } from '../gateway/harness.ts';
import { tempDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

const DOMAIN = 'news.example';
const PASSWORD = 'a long passphrase for the reader';
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function api(h: Harness, path: string): Promise<any> {
  const r = await fetch(`${h.node.http}${path}`, { headers: { authorization: `Bearer ${h.apiKey}` } });
  assert.equal(r.status, 200, path);
  return r.json();
}

/** The HTML part of a received copy, decoded from its transfer encoding. */
function htmlOf(data: Buffer): string {
  const text = data.toString('latin1');
  const at = text.search(/Content-Type: text\/html/i);
  assert.ok(at > 0, 'the copy has its HTML part');
  const part = text.slice(at);
  const body = part.slice(part.indexOf('\r\n\r\n') + 4, part.indexOf('\r\n--b1--'));
  return /Content-Transfer-Encoding:\s*quoted-printable/i.test(part.slice(0, part.indexOf('\r\n\r\n')))
    ? decodeQuotedPrintable(body).toString('utf8')
    : body;
}

test('submitted, delivered, clicked in Chromium: the click is a person’s in the API and on the domain page; a scanner’s fetches are not', async () => {
  await ensureDashboardBuilt();
  const landed: string[] = [];
  const landing: Server = createServer((req, res) => {
    landed.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Landed</title><p>Spring sale</p>');
  });
  await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
  const landingPort = (landing.address() as AddressInfo).port;
  const h = await startHarness({ domains: [{ name: DOMAIN, keys: [['rsa-sha256', 'sd1']] }] });
  const profile = tempDir('senderd-chromium-');
  try {
    const s = h.node.node.services;
    await s.domains.update(h.tenantId, DOMAIN, { sending: { clicks: true } });
    await s.accounts.addUser(h.tenantId, 'ada@news.example', PASSWORD, 'owner');
    const edgePort = portOf(h.node.node, 'edge-https');
    assert.ok(edgePort, 'the edge runs');
    const targets = ['sale', 'about', 'blog'].map(
      (p) => `http://shop.example:${landingPort}/${p}?utm=spring`,
    );
    const html = [
      '<html><body>',
      ...targets.map((url, i) => `<p><a id="l${i}" href="${url.replace('&', '&amp;')}">Link ${i}</a></p>`),
      '</body></html>',
    ].join('\r\n');
    const raw = [
      `From: News <letters@${DOMAIN}>`,
      'To: ann@sink.test, bob@sink.test',
      'Subject: Spring',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--b1--',
      '',
    ].join('\r\n');
    const sent = await h.send({
      envelope: { from: `letters@${DOMAIN}`, to: ['ann@sink.test', 'bob@sink.test'] },
      raw,
    });
    await waitForTrace(h, sent.id, 'delivered');
    const copies = new Map((await h.sink.waitFor(2)).map((m) => [m.rcptTo[0]!, htmlOf(m.data)]));
    const clickHost = /https:\/\/([a-z0-9.-]+)\/c\/[A-Za-z0-9_-]+/.exec(copies.get('ann@sink.test')!)?.[1];
    assert.ok(clickHost?.endsWith(`.${DOMAIN}`), `links point at the domain's click host: ${clickHost}`);
    for (const copy of copies.values()) {
      assert.equal(copy.match(/\/c\/[A-Za-z0-9_-]+/g)?.length, 3, 'every link is rewritten');
      assert.ok(!copy.includes('shop.example'), 'no original target left in the copy');
    }
    await s.store.edge.insertHost({
      hostname: clickHost!,
      role: 'click',
      domainId: h.domains.get(DOMAIN)!.id,
      tenantId: h.tenantId,
      at: new Date().toISOString(),
    });
    await placeIssuedCertificate(s, clickHost!, 'click-cert');
    await s.edge.changed();

    // Bob's copy: a scanner-like client follows every link within seconds of delivery.
    const bobLinks = [...copies.get('bob@sink.test')!.matchAll(/href="(https:[^"]+)"/g)].map((m) => m[1]!);
    for (const link of bobLinks) {
      const r = await run('curl', [
        ...['-sk', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '-A', CHROME_UA],
        ...[
          '--resolve',
          `${clickHost}:443:127.0.0.1`,
          '--connect-to',
          `${clickHost}:443:127.0.0.1:${edgePort}`,
        ],
        link,
      ]);
      assert.match(r.stdout, /^302 http:\/\/shop\.example:\d+\/(sale|about|blog)\?utm=spring$/);
    }

    // Ann reads her mail a little later: her click must not look like one made on arrival (10 s).
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const browser = await chromium.launchPersistentContext(profile.path, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      ignoreHTTPSErrors: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        `--host-resolver-rules=MAP ${clickHost}:443 127.0.0.1:${edgePort}, MAP shop.example 127.0.0.1`,
      ],
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.setContent(copies.get('ann@sink.test')!);
      await Promise.all([page.waitForURL(/shop\.example/), page.click('#l0')]);
      assert.equal(page.url(), targets[0]);
      assert.equal(await page.title(), 'Landed');

      // What the tenant sees: the API, then the domain page in the dashboard.
      await s.tracking.service.settled();
      const events = (await api(h, `/v1/domains/${DOMAIN}/tracking/events?messageId=${sent.id}`))
        .events as any[];
      const byClass = (c: string) => events.filter((e) => e.kind === 'click' && e.class === c);
      assert.deepEqual(
        byClass('human').map((e) => [e.recipientIndex, e.url]),
        [[0, targets[0]]],
      );
      assert.equal(byClass('scanner').length, 3, "every fetch of bob's links is a scanner's");
      assert.ok(byClass('scanner').every((e) => e.recipientIndex === 1));

      await page.goto(`${h.node.http}/`);
      await page.getByLabel('E-mail address').fill('ada@news.example');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
      await page.goto(`${h.node.http}/domains/${DOMAIN}`);
      const panel = page.locator('#tracking');
      await panel.getByRole('table', { name: "Links by people's clicks" }).waitFor();
      const figures = await panel.locator('dl.figures').innerText();
      assert.match(figures, /Delivered\s+2/);
      assert.match(figures, /Clicked by people\s+1 \(50\.0%\)/);
      // Figures count recipients, not fetches: bob's three scanned links are one scanned recipient.
      assert.match(figures, /Scanner opens and clicks\s+1$/);
    } finally {
      await browser.close();
    }
    assert.deepEqual(
      landed.filter((p) => p !== '/favicon.ico'),
      ['/sale?utm=spring'],
      'only the person reached the target; curl did not follow the redirects',
    );
  } finally {
    profile.remove();
    await h.close();
    landing.close();
  }
});
