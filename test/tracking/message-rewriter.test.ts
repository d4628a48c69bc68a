import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRewrite, rewriteMessage, verifyLinkToken } from '../../src/tracking/index.ts';
import { checkRewrite, decodeParts, KEYS, message, OPTIONS } from './support.ts';

const HTML_HEADERS =
  'From: a@example.com\nSubject: hi\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8';

function rewriteHtml(html: string, options = OPTIONS): { urls: string[]; body: string } {
  const original = message(HTML_HEADERS, html);
  const result = rewriteMessage(original, options);
  const urls = checkRewrite(original, result);
  return { urls, body: decodeParts(result.message)[0]!.body };
}

test('a, area and duplicate attributes: only the first href of an element, as a browser reads it', () => {
  const { urls, body } = rewriteHtml(
    '<p><a href="https://a.example/1" HREF="https://ignored.example/">x</a>' +
      "<map><AREA Href='http://b.example/2' shape=rect></map>" +
      '<a class=btn href=https://c.example/3?a=1&amp;b=2>y</a></p>',
  );
  assert.deepEqual(urls, ['https://a.example/1', 'http://b.example/2', 'https://c.example/3?a=1&b=2']);
  assert.match(body, /HREF="https:\/\/ignored\.example\/"/);
  assert.match(body, /<a class=btn href=https:\/\/clicks\.example\.com\/c\/[\w-]+>y<\/a>/);
});

test('schemes, fragments, scripts and relative links without a base are left alone', () => {
  const html =
    '<a href="mailto:x@example.com">m</a><a href="tel:+31">t</a><a href="#top">f</a>' +
    '<a href="javascript:alert(1)">j</a><a href=" JaVaScRiPt:alert(1)">j2</a><a href="jav&#x61;script:x">j3</a>' +
    '<a href="data:text/html,x">d</a><a href="/relative">r</a><a href="ftp://x/">ftp</a>' +
    '<script>var s = "<a href=https://in.script/>";</script><textarea><a href="https://in.textarea/"></textarea>' +
    '<!-- <a href="https://in.comment/"> -->';
  const original = message(HTML_HEADERS, html);
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(result.parts, []);
  assert.ok(result.message.equals(original));
});

test('<base href> resolves relative links; a relative base or none leaves them alone', () => {
  const { urls } = rewriteHtml(
    '<head><base href="https://news.example/issue/7/"></head><a href="story.html">s</a><a href="/top">t</a>' +
      '<a href="//cdn.example/x">c</a><a href="#frag">f</a>',
  );
  assert.deepEqual(urls, [
    'https://news.example/issue/7/story.html',
    'https://news.example/top',
    'https://cdn.example/x',
  ]);
  assert.deepEqual(rewriteHtml('<base href="/x/"><a href="story.html">s</a>').urls, []);
});

test('VML buttons and links inside Outlook conditional comments are rewritten; plain comments are not', () => {
  const { urls, body } = rewriteHtml(
    '<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example/vml" ' +
      'style="height:40px"><w:anchorlock/><center>Buy</center></v:roundrect><![endif]-->' +
      '<!--[if !mso]><!--><a href="https://shop.example/html">Buy</a><!--<![endif]-->',
  );
  assert.deepEqual(urls, ['https://shop.example/vml', 'https://shop.example/html']);
  assert.match(
    body,
    /^<!--\[if mso\]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https:\/\/clicks/,
  );
});

test('not-tracked marks and unsubscribe links (List-Unsubscribe, or the word in the URL) are left alone', () => {
  const headers = HTML_HEADERS + '\nList-Unsubscribe: <mailto:u@example.com>, <https://l.example/u/abc>';
  const html =
    '<a data-senderd-notrack href="https://a.example/">a</a><a class="x senderd-notrack" href="https://b.example/">b</a>' +
    '<a href="https://l.example/u/abc">u1</a><a href="https://l.example/Unsubscribe?id=1">u2</a>' +
    '<a href="https://l.example/prefs?action=opt-out">u3</a><a href="https://kept.example/">k</a>';
  const original = message(headers, html);
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(checkRewrite(original, result), ['https://kept.example/']);
  assert.match(
    result.message.toString(),
    /List-Unsubscribe: <mailto:u@example.com>, <https:\/\/l.example\/u\/abc>/,
  );
});

test('UTF-8 and IDN URLs are read in the part charset and become what a browser follows', () => {
  const { urls } = rewriteHtml('<a href="https://bücher.example/straße?q=größe">b</a>');
  assert.deepEqual(urls, ['https://xn--bcher-kva.example/stra%C3%9Fe?q=gr%C3%B6%C3%9Fe']);
  const latin1 = Buffer.concat([
    Buffer.from('Content-Type: text/html; charset=iso-8859-1\r\n\r\n<a href="https://x.example/'),
    Buffer.from([0xe9]),
    Buffer.from('">e</a>'),
  ]);
  const result = rewriteMessage(latin1, OPTIONS);
  assert.deepEqual(checkRewrite(latin1, result), ['https://x.example/%C3%A9']);
});

test('text/plain: bare URLs, without trailing punctuation; parentheses only when opened', () => {
  const original = message(
    'Content-Type: text/plain; charset=utf-8',
    'See https://a.example/x. Or (https://b.example/y), or https://w.example/A_(b)!\n<https://c.example/z>\n' +
      'mailto:x@example.com and http:// and https://l.example/unsubscribe.',
  );
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(checkRewrite(original, result), [
    'https://a.example/x',
    'https://b.example/y',
    'https://w.example/A_(b)',
    'https://c.example/z',
  ]);
});

test('quoted-printable: a link split across soft line breaks is rewritten, and lines stay within 76', () => {
  const qp =
    '<p>Hello =C3=A9t=C3=A9</p><a href=3D"https://shop.example/very/long/path/that/g=\n' +
    'oes/on?utm_source=3Dnews&amp;utm_medium=3Demail">go</a>\n<p>bye</p>\n';
  const original = message(HTML_HEADERS + '\nContent-Transfer-Encoding: quoted-printable', qp);
  const result = rewriteMessage(original, OPTIONS);
  assert.deepEqual(checkRewrite(original, result), [
    'https://shop.example/very/long/path/that/goes/on?utm_source=news&utm_medium=email',
  ]);
  assert.match(result.message.toString(), /Hello =C3=A9t=C3=A9/);
  assert.ok(result.message.toString().endsWith('<p>bye</p>\r\n'));
});

test('base64 inside multipart/alternative inside multipart/mixed; the attachment stays as it is', () => {
  const html = Buffer.from('<a href="https://deep.example/a">a</a>'.repeat(5)).toString('base64');
  const attachment = Buffer.from('<a href="https://attached.example/">x</a>').toString('base64');
  const body = [
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'Plain https://plain.example/p',
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    ...html.match(/.{1,76}/g)!,
    '--inner--',
    '--outer',
    'Content-Type: text/html; name=a.html',
    'Content-Disposition: attachment; filename=a.html',
    'Content-Transfer-Encoding: base64',
    '',
    attachment,
    '--outer--',
    '',
  ].join('\n');
  const original = message('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer', body);
  const result = rewriteMessage(original, OPTIONS);
  const urls = checkRewrite(original, result);
  assert.deepEqual(urls, ['https://plain.example/p', ...Array<string>(5).fill('https://deep.example/a')]);
  assert.deepEqual(
    result.parts.map((p) => p.partId),
    ['1.1', '1.2'],
  );
  // Link indexes run through the whole message.
  assert.deepEqual(
    result.parts.flatMap((p) => p.edits.map((e) => e.linkIndex)),
    [0, 1, 2, 3, 4, 5],
  );
});

test('the open pixel goes before </body> (or at the end), only when asked', () => {
  const html = '<html><body><a href="https://a.example/">a</a></body></html>';
  assert.doesNotMatch(rewriteHtml(html).body, /\/o\//);
  const { body } = rewriteHtml(html, { ...OPTIONS, openPixel: true });
  const pixel =
    /<img src="https:\/\/clicks\.example\.com\/o\/([\w-]+)" width="1" height="1"[^>]*><\/body>/.exec(body);
  assert.ok(pixel, body);
  const verified = verifyLinkToken(KEYS, pixel[1]!);
  assert.ok(verified.ok);
  assert.deepEqual(
    [verified.value.kind, verified.value.messageId, verified.value.recipientId],
    ['open', 'm-000123', 'r-42'],
  );
  assert.match(rewriteHtml('<p>no body tag</p>', { ...OPTIONS, openPixel: true }).body, /<\/p><img [^>]+>$/);
});

test('the open pixel goes before the last </body> even when links follow it (mail with a footer after </html>)', () => {
  const html =
    '<p><a href="https://a.example/">a</a></p></body></html>\r\n<a href="https://after.example/">after</a>\r\n';
  // checkRewrite undoes every edit: the pixel in the middle of a later link, or text after it twice, fails it.
  const { urls, body } = rewriteHtml(html, { ...OPTIONS, openPixel: true });
  assert.deepEqual(urls, ['https://a.example/', 'https://after.example/']);
  assert.match(
    body,
    /<\/p><img [^>]+><\/body><\/html>\r\n<a href="https:\/\/clicks\.example\.com\/c\/[\w-]+">after<\/a>/,
  );
});

test('a message without links comes back as the same bytes', () => {
  const original = message(HTML_HEADERS, '<p>nothing to see</p>');
  const result = rewriteMessage(original, OPTIONS);
  assert.equal(result.message, original);
});

test('a template gives each recipient what rewriteMessage gives it, also where the id length decides a part', () => {
  // Part 1 has a line that fits with a short recipient id and passes 998 octets with a long one (RFC 5322 §2.1.1):
  // that copy leaves part 1 alone, so part 2's link is index 0 there and index 1 in the others.
  const original = Buffer.from(
    'From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n' +
      '--b\r\nContent-Type: text/html\r\n\r\n<a href="https://l.example/">x</a>' +
      'y'.repeat(700) +
      '\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' +
      '<a href=3D"https://after.example/">a</a></body>\r\n--b--\r\n',
  );
  const options = { ...OPTIONS, openPixel: true };
  const template = prepareRewrite(original, options);
  const long = 'r'.repeat(200);
  for (const recipientId of [long, '7', 'r-42', long, '7']) {
    const copy = template.copy(recipientId);
    assert.deepEqual(copy, rewriteMessage(original, { ...options, recipientId }), recipientId.slice(0, 10));
    checkRewrite(original, copy);
    const indexes = copy.parts.flatMap((p) =>
      p.edits.flatMap((e) => (e.linkIndex === null ? [] : [e.linkIndex])),
    );
    assert.deepEqual(indexes, recipientId === long ? [0] : [0, 1]);
    for (const part of copy.parts)
      for (const edit of part.edits) {
        const verified = verifyLinkToken(KEYS, edit.replacement.replace(/^.*\/[co]\/([\w-]+).*$/s, '$1'));
        assert.ok(verified.ok);
        assert.equal(verified.value.recipientId, recipientId);
        assert.equal(verified.value.linkIndex, edit.linkIndex ?? 0);
      }
  }
  assert.match(
    template.copy(long).notes.join('\n'),
    /part 1 left alone: a rewritten line would pass 998 octets/,
  );
  assert.deepEqual(template.copy('7').notes, []);
});
