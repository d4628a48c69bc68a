/**
 * The corpus of newsletter shapes under corpus/: each HTML document is sent as a text/html part in 8bit,
 * quoted-printable and base64, and inside multipart/mixed > multipart/alternative; each .eml as it is. For each:
 * undoing the rewrite gives the original bytes, every token verifies to its URL, and the links rewritten outside
 * Outlook's conditional comments are exactly the http(s) links Chromium finds in the original document (its
 * `document.links`, parsed with scripting off as a mail client does), minus those the policy keeps (not-tracked
 * marks, unsubscribe links, fragments). Then Chromium follows each rewritten link through a stand-in for the edge
 * (verify the token, 302 to its URL) and must land on the original target.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeBase64, encodeQuotedPrintable } from '../../src/mail/index.ts';
import { rewriteMessage, verifyLinkToken, type RewriteResult } from '../../src/tracking/index.ts';
import { checkRewrite, decodeParts, KEYS, OPTIONS } from './support.ts';

const CORPUS = new URL('./corpus/', import.meta.url);
const files = readdirSync(CORPUS).sort();
const CHROMIUM = '/usr/bin/chromium';
const UNSUBSCRIBE = /unsubscribe|opt-?out/i;

let browser: Browser;
let page: Page;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage();
});
after(async () => {
  await browser.close();
});

test('the corpus holds at least 20 newsletter shapes', () => {
  assert.ok(files.length >= 20, String(files.length));
});

function htmlMessages(html: Buffer): Record<string, Buffer> {
  const head = 'From: news@example.com\r\nMIME-Version: 1.0\r\n';
  const part = (encoding: string, body: string): string =>
    `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}`;
  const qp = encodeQuotedPrintable(html, '\r\n');
  return {
    '8bit': Buffer.from(head + part('8bit', html.toString('latin1')), 'latin1'),
    'quoted-printable': Buffer.from(head + part('quoted-printable', qp)),
    base64: Buffer.from(head + part('base64', encodeBase64(html, '\r\n'))),
    'nested multipart': Buffer.from(
      head +
        'Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n' +
        '--a\r\nContent-Type: text/plain\r\n\r\nhttps://plain.example/\r\n--a\r\n' +
        part('quoted-printable', qp) +
        '\r\n--a--\r\n--m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--m--\r\n',
    ),
  };
}

/** The http(s) links Chromium finds in `html`, minus those the policy keeps as they are. */
async function browserLinks(html: string, listUnsubscribe: string[]): Promise<string[]> {
  // Run in the page as a string: this project's TypeScript has no DOM types.
  const links = await page.evaluate<{ href: string; raw: string; notrack: boolean }[]>(`(() => {
    const doc = new DOMParser().parseFromString(${JSON.stringify(html)}, 'text/html');
    return Array.from(doc.links, (el) => ({
      href: el.href,
      raw: el.getAttribute('href') ?? '',
      notrack: el.hasAttribute('data-senderd-notrack') || el.classList.contains('senderd-notrack'),
    }));
  })()`);
  return links
    .filter((l) => /^https?:/.test(l.href) && !l.notrack && !l.raw.trim().startsWith('#'))
    .map((l) => l.href)
    .filter((href) => {
      const url = new URL(href);
      return !UNSUBSCRIBE.test(url.pathname + url.search) && !listUnsubscribe.includes(href);
    });
}

/**
 * The distinct URLs, sorted: a browser may make two elements of one tag (the adoption agency algorithm, HTML
 * §13.2.6.4.7, clones an `<a>` that a block element interrupts), and both carry the one attribute we rewrite.
 */
function unique(urls: string[]): string[] {
  return [...new Set(urls)].sort();
}

function rewrittenBrowserLinks(result: RewriteResult, partId: string): string[] {
  const part = result.parts.find((p) => p.partId === partId);
  return (part?.edits ?? []).filter((e) => e.url !== null && !e.conditional).map((e) => e.url!);
}

/**
 * Chromium follows each rewritten link through a stand-in edge (verify the token, answer 302 to its URL) and must
 * then ask for the original URL. Playwright does not route the request after a fulfilled redirect, so that
 * request fails name resolution (there is no network); what counts is the URL Chromium asked for.
 */
async function follow(result: RewriteResult): Promise<number> {
  const context = await browser.newContext();
  await context.route(
    (url) => url.host === OPTIONS.clickHost,
    async (route) => {
      const url = new URL(route.request().url());
      const verified = url.pathname.startsWith('/c/') ? verifyLinkToken(KEYS, url.pathname.slice(3)) : null;
      if (verified === null || !verified.ok) return route.fulfill({ status: 404, body: 'no such link' });
      return route.fulfill({ status: 302, headers: { location: verified.value.url } });
    },
  );
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const tab = await context.newPage();
  let followed = 0;
  for (const part of result.parts) {
    for (const edit of part.edits) {
      if (edit.url === null) continue;
      requested.length = 0;
      await tab.goto(edit.replacement).catch(() => null);
      // A request carries no fragment (RFC 3986 §3.5); the Location header does, and the browser keeps it.
      assert.deepEqual(requested, [edit.replacement, edit.url.replace(/#.*$/, '')], `following ${edit.url}`);
      followed++;
    }
  }
  await context.close();
  return followed;
}

for (const file of files) {
  test(`corpus ${file}`, async (t) => {
    const bytes = readFileSync(new URL(file, CORPUS));
    if (file.endsWith('.eml')) {
      const result = rewriteMessage(bytes, OPTIONS);
      const urls = checkRewrite(bytes, result);
      assert.ok(urls.length > 0);
      const listUnsubscribe = [...bytes.toString().matchAll(/<(https:[^>]+)>/g)].map((m) => m[1]!);
      for (const part of decodeParts(bytes).filter((p) => p.mediaType === 'text/html')) {
        const rewritten = rewrittenBrowserLinks(result, part.id);
        // Parts inside the forwarded message/rfc822 are left alone on purpose.
        if (part.id.startsWith('2')) assert.deepEqual(rewritten, []);
        else
          assert.deepEqual(
            unique(rewritten),
            unique(await browserLinks(Buffer.from(part.body, 'latin1').toString(), listUnsubscribe)),
          );
      }
      assert.equal(await follow(result), urls.length);
      return;
    }
    const expected = await browserLinks(bytes.toString('utf8'), []);
    for (const [name, original] of Object.entries(htmlMessages(bytes))) {
      await t.test(name, async () => {
        const result = rewriteMessage(original, OPTIONS);
        checkRewrite(original, result);
        const htmlPart = decodeParts(original).find((p) => p.mediaType === 'text/html')!;
        assert.deepEqual(unique(rewrittenBrowserLinks(result, htmlPart.id)), unique(expected));
        if (name === '8bit') await follow(result);
      });
    }
  });
}
