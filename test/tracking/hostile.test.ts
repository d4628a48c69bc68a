/**
 * Hostile input: very many links, a very large part, broken markup and script links. The rewriter must finish in
 * bounded time, never throw, keep the undo property, and never turn a `javascript:` link into a redirect.
 * Time bounds are generous (shared two-core machine); the figures are printed for the record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64 } from '../../src/mail/index.ts';
import { rewriteMessage } from '../../src/tracking/index.ts';
import { checkRewrite, OPTIONS } from './support.ts';

const HEAD = 'From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n';

function htmlMessage(html: string, encoding = '8bit'): Buffer {
  const body = encoding === 'base64' ? encodeBase64(Buffer.from(html), '\r\n') : html;
  return Buffer.from(`${HEAD}Content-Transfer-Encoding: ${encoding}\r\n\r\n${body}`);
}

function timed<T>(what: string, run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  console.log(`${what}: ${ms.toFixed(0)} ms`);
  return { value, ms };
}

test('10,000 links are all rewritten, numbered in order, in bounded time', () => {
  const html = Array.from({ length: 10_000 }, (_, i) => `<a href="https://x.example/${i}">${i}</a>\r\n`).join(
    '',
  );
  const original = htmlMessage(html);
  const { value: result, ms } = timed('10,000 links', () => rewriteMessage(original, OPTIONS));
  const urls = checkRewrite(original, result);
  assert.equal(urls.length, 10_000);
  assert.equal(urls[9999], 'https://x.example/9999');
  assert.ok(ms < 5000, `${ms} ms`);
});

test('a 25 MB base64 part with links is rewritten in bounded time', () => {
  const block = `<table><tr><td><p>${'Lorem ipsum dolor sit amet, '.repeat(30)}</p><a href="https://big.example/?p=1&amp;q=2">more</a></td></tr></table>\r\n`;
  const html = block.repeat(Math.ceil((25 * 1024 * 1024) / block.length));
  const original = htmlMessage(html, 'base64');
  const { value: result, ms } = timed(`${(original.length / 1048576).toFixed(1)} MB base64 message`, () =>
    rewriteMessage(original, OPTIONS),
  );
  assert.equal(result.parts.length, 1);
  assert.equal(result.parts[0]!.edits.length, Math.ceil((25 * 1024 * 1024) / block.length));
  assert.ok(ms < 30_000, `${ms} ms`);
});

test('unbalanced and truncated markup never throws and keeps every other byte', () => {
  const shapes = [
    '<a href="https://cut.example/',
    '<a href="https://a.example/">' + '<div>'.repeat(100_000),
    '</a></a></a><a href=https://ok.example/><<<<<>>>>><a href="https://b.example/"',
    '<!-- <a href="https://in-unclosed-comment.example/">',
    '<!--[if mso]><v:roundrect href="https://vml.example/"',
    '<!--[if mso]><a href="https://never-closed.example/">x',
    '<script><a href="https://in-unclosed-script.example/">',
    '<a href="https://a.example/" <a href="https://b.example/">',
    '<a href=\'https://quote.example/"></a><a href="https://next.example/">',
    '\u0000<a\u0000href="https://nul.example/">',
    '<a href="https://x.example/' + '%'.repeat(50_000) + '">',
    '<![CDATA[<a href="https://cdata.example/">]]><?pi <a href="https://pi.example/"?>',
  ];
  for (const html of shapes) {
    const original = htmlMessage(html);
    const { ms } = timed(`shape ${JSON.stringify(html.slice(0, 40))}`, () =>
      checkRewrite(original, rewriteMessage(original, OPTIONS)),
    );
    assert.ok(ms < 5000);
  }
});

test('random markup soup: no exception, and undoing gives the original bytes', () => {
  const pieces = [
    '<a href="https://r.example/">',
    '<a href=',
    '"',
    "'",
    '<',
    '>',
    '</a>',
    '<!--',
    '-->',
    '<!--[if mso]>',
    '<![endif]-->',
    '<script>',
    '</script>',
    '&amp;',
    '&#',
    'https://t.example/',
    'javascript:alert(1)',
    '<area href=https://s.example/>',
    '<base href="https://base.example/">',
    'x',
    ' ',
    '\r\n',
    'é',
    '<v:roundrect href="https://v.example/">',
  ];
  let seed = 17;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 300; i++) {
    const html = Array.from({ length: 1 + random(60) }, () => pieces[random(pieces.length)]!).join('');
    const original = htmlMessage(html, i % 2 === 0 ? '8bit' : 'base64');
    checkRewrite(original, rewriteMessage(original, OPTIONS));
  }
});

test('javascript: links are never rewritten, however they are written', () => {
  const disguises = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\tjava\nscript:alert(1)',
    'java&#115;cript:alert(1)',
    'java&#x73;cript:alert(1)',
    '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
    'javascript&colon;alert(1)',
    'jav&Tab;ascript:alert(1)',
    '\u0001javascript:alert(1)',
    'javascript://https://x.example/%0Aalert(1)',
  ];
  const html = disguises.map((d) => `<a href="${d}">x</a><area href='${d}'>`).join('\n');
  const base = '<base href="https://base.example/">';
  for (const doc of [html, base + html]) {
    const original = htmlMessage(doc);
    const result = rewriteMessage(original, OPTIONS);
    assert.deepEqual(result.parts, []);
    assert.equal(result.message, original);
  }
  const text = Buffer.from('Content-Type: text/plain\r\n\r\njavascript:alert("https://x.example/")\r\n');
  const urls = checkRewrite(text, rewriteMessage(text, OPTIONS));
  assert.deepEqual(urls, ['https://x.example/'], 'only the URL inside, never the javascript: link');
});

test('a URL too long for a token is left alone with a note; the other links are rewritten', () => {
  const long = 'https://long.example/' + 'a'.repeat(9000);
  const original = htmlMessage(`<a href="${long}">l</a><a href="https://short.example/">s</a>`);
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(checkRewrite(original, result), ['https://short.example/']);
  assert.deepEqual(result.notes, ['a link of over 8192 bytes left alone']);
});

test('an 8bit part is left alone when a rewrite would push a line past 998 octets (RFC 5322 §2.1.1)', () => {
  const line = `<a href="https://x.example/">x</a>${'y'.repeat(950)}`;
  const original = htmlMessage(`${line}\r\n<a href="https://z.example/">z</a>`);
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(result.parts, []);
  assert.match(result.notes[0]!, /998 octets/);
  // In quoted-printable the same HTML is fine: the encoder breaks the lines.
  const qp = Buffer.from(
    `${HEAD}Content-Transfer-Encoding: quoted-printable\r\n\r\n${line.replace(/=/g, '=3D')}\r\n`,
  );
  assert.deepEqual(checkRewrite(qp, rewriteMessage(qp, OPTIONS)), ['https://x.example/']);
});
