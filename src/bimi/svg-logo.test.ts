import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLogo, MAX_LOGO_BYTES, type LogoProblem } from './svg-logo.ts';

const head =
  '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">';
const good = `${head}<title>Example</title><circle cx="50" cy="50" r="40" fill="#c00"/></svg>`;
const svg = (inner: string, root = head) => `${root}<title>Example</title>${inner}</svg>`;
const bytes = (text: string) => Buffer.from(text, 'utf8');

test('a Tiny PS logo passes, with its hash and size', () => {
  const result = checkLogo(bytes(good));
  assert.ok(result.ok, JSON.stringify(result));
  assert.match(result.sha256, /^[0-9a-f]{64}$/);
  assert.equal(result.bytes, Buffer.byteLength(good));
  const gradient = svg(
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>' +
      '<rect width="100" height="100" fill="url(#g)"/><use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="#g"/>',
  );
  assert.equal(checkLogo(bytes(gradient)).ok, true);
});

test('hostile and broken SVG is refused with the reason', () => {
  const cases: Array<[string, string | Uint8Array, LogoProblem, RegExp]> = [
    ['a script', svg('<script>alert(1)</script>'), 'forbidden_element', /scripts are not allowed/],
    [
      'an event handler',
      svg('<rect width="1" height="1" onclick="alert(1)"/>'),
      'forbidden_attribute',
      /event handlers/,
    ],
    [
      'onload on the root',
      `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 1 1" onload="x()"><title>t</title></svg>`,
      'forbidden_attribute',
      /event handlers/,
    ],
    [
      'XXE',
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${svg('<text>&xxe;</text>')}`,
      'doctype',
      /DOCTYPE/,
    ],
    [
      'billion laughs',
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${svg('<text>&lol2;</text>')}`,
      'doctype',
      /entities/,
    ],
    ['an undeclared entity', svg('<text>&xxe;</text>'), 'not_xml', /well-formed/],
    [
      'an external image',
      svg('<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="https://evil.example/x.png"/>'),
      'forbidden_element',
      /images are not allowed/,
    ],
    [
      'an external use',
      svg('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="https://evil.example/a.svg#x"/>'),
      'external_reference',
      /only references inside the logo/,
    ],
    ['an href without xlink', svg('<use href="//evil.example/a.svg#x"/>'), 'external_reference', /#id/],
    [
      'an external url() in fill',
      svg('<rect width="1" height="1" fill="url(https://evil.example/p.svg#g)"/>'),
      'external_reference',
      /external reference/,
    ],
    [
      'a style attribute with an import',
      svg('<rect width="1" height="1" style="@import \'https://evil.example/x.css\'"/>'),
      'forbidden_attribute',
      /imports/,
    ],
    ['a style sheet', svg('<style>rect{fill:red}</style>'), 'forbidden_element', /style sheets/],
    ['a link', svg('<a><rect width="1" height="1"/></a>'), 'forbidden_element', /links/],
    [
      'animation',
      svg('<circle r="1"><animate attributeName="r" to="2"/></circle>'),
      'forbidden_element',
      /animation/,
    ],
    [
      'foreign content',
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      'forbidden_element',
      /foreign content/,
    ],
    [
      'an element of another namespace',
      svg('<x:y xmlns:x="urn:x"/>'),
      'forbidden_element',
      /not an SVG element/,
    ],
    [
      'a processing instruction',
      `<?xml-stylesheet href="https://evil.example/x.css"?>${good}`,
      'forbidden_element',
      /processing instruction/,
    ],
    ['no title', `${head}<circle r="1"/></svg>`, 'no_title', /<title>/],
    ['no tiny-ps profile', good.replace(' baseProfile="tiny-ps"', ''), 'profile', /baseProfile="tiny-ps"/],
    ['version 1.1', good.replace('version="1.2"', 'version="1.1"'), 'profile', /version="1\.2"/],
    ['x on the root', good.replace('viewBox', 'x="1" viewBox'), 'profile', /x or y/],
    ['not square', good.replace('0 0 100 100', '0 0 200 100'), 'not_square', /200 by 100/],
    ['no viewBox', good.replace(' viewBox="0 0 100 100"', ''), 'not_square', /viewBox/],
    ['another root', '<html xmlns="http://www.w3.org/1999/xhtml"/>', 'not_svg', /root element/],
    ['not XML', 'GIF89a\u0001\u0000', 'not_xml', /well-formed/],
    ['unclosed', `${head}<title>x</title>`, 'not_xml', /well-formed/],
    ['not UTF-8', new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]), 'not_utf8', /UTF-8/],
    ['a huge file', svg(`<desc>${'x'.repeat(MAX_LOGO_BYTES)}</desc>`), 'too_large', /at most 32768/],
    ['deep nesting', svg(`${'<g>'.repeat(100)}${'</g>'.repeat(100)}`), 'not_xml', /64 deep/],
  ];
  for (const [what, input, reason, message] of cases) {
    const result = checkLogo(typeof input === 'string' ? bytes(input) : input);
    assert.equal(result.ok, false, `${what} must be refused`);
    if (result.ok) continue;
    assert.equal(result.reason, reason, `${what}: ${result.message}`);
    assert.match(result.message, message, what);
  }
});
