import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRefusal } from './refusal.ts';
import { decodeText, XmlTokenizer, type XmlLimits } from './xml-tokenizer.ts';

/** Tokenizes `xml` written in pieces of `step` characters; returns "name=text" for every closed element. */
function leaves(
  xml: string,
  step = xml.length,
  limits?: XmlLimits,
): { out: string[]; recoveries: number; complete: boolean } {
  const out: string[] = [];
  const t = new XmlTokenizer(
    { open() {}, close: (name, text) => void out.push(`${name}=${text.trim()}`) },
    limits,
  );
  for (let i = 0; i < xml.length; i += step) t.write(xml.slice(i, i + step));
  const complete = t.end();
  return { out, recoveries: t.recoveries, complete };
}

const DOC =
  '<?xml version="1.0"?>\n<!-- a comment with <tags> -->\n<feedback a="x>y" b=\'1\'>' +
  '<id>a&amp;b &lt;c&gt; &#65;&#x42;</id><cdata><![CDATA[<not a tag> & more]]></cdata><empty/>' +
  '<?pi ignored?><x:ns>prefixed</x:ns></feedback>';

test('the tokenizer gives the same result however the input is cut', () => {
  const whole = leaves(DOC);
  assert.deepEqual(whole.out, [
    'id=a&b <c> AB',
    'cdata=<not a tag> & more',
    'empty=',
    'x:ns=prefixed',
    'feedback=',
  ]);
  assert.equal(whole.recoveries, 0);
  assert.ok(whole.complete);
  for (const step of [1, 2, 3, 5, 7, 13])
    assert.deepEqual(leaves(DOC, step).out, whole.out, `pieces of ${step}`);
});

test('DTDs and entity declarations are refused, wherever the chunk boundary falls', () => {
  const attacks = [
    '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><feedback>&xxe;</feedback>',
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
    '<feedback><!ENTITY x "y"></feedback>',
    '<!doctype html><html></html>',
  ];
  for (const xml of attacks) {
    for (const step of [xml.length, 1, 4]) {
      assert.throws(
        () => leaves(xml, step),
        (e: unknown) => isRefusal(e) && e.reason === 'dtd_forbidden',
        `${xml.slice(0, 30)} in pieces of ${step}`,
      );
    }
  }
});

test('undeclared entities stay as written and never expand', () => {
  const r = leaves('<a>&lol9; &amp;</a>');
  assert.deepEqual(r.out, ['a=&lol9; &']);
  assert.equal(r.recoveries, 1);
});

test('damaged markup is repaired the way real reports need', () => {
  const r = leaves('<r><email><bad-xml@bad-xml.net></email><h>bad<xml.net</h><x>1 < 2</x></r>');
  assert.deepEqual(r.out, ['email=<bad-xml@bad-xml.net>', 'h=bad<xml.net', 'x=1 < 2', 'r=']);
  assert.ok(r.recoveries >= 3);
  const unclosed = leaves('<r><a><b>text</a><c>2</c></r>');
  assert.deepEqual(
    unclosed.out,
    ['b=text', 'a=', 'c=2', 'r='],
    'an end tag closes what was left open inside it',
  );
});

test('limits bound every buffer', () => {
  const limits = { maxTokenChars: 100, maxTextChars: 50, maxDepth: 4 };
  assert.throws(
    () => leaves(`<a ${'x'.repeat(200)}`, 10, limits),
    (e: unknown) => isRefusal(e) && e.reason === 'token_too_long',
  );
  assert.throws(
    () => leaves(`<!-- ${'x'.repeat(200)}`, 10, limits),
    (e: unknown) => isRefusal(e) && e.reason === 'token_too_long',
  );
  assert.throws(
    () => leaves('<a><a><a><a><a></a></a></a></a></a>', 1000, limits),
    (e: unknown) => isRefusal(e) && e.reason === 'nesting_too_deep',
  );
  const long = leaves(`<a>${'y'.repeat(500)}</a>`, 7, limits);
  assert.equal(long.out.length, 1);
  assert.ok(long.out[0]!.length - 2 <= 50, 'text past the limit is cut, not kept');
  assert.equal(long.recoveries, 1);
});

test('character references outside Unicode become U+FFFD', () => {
  assert.equal(decodeText('&#0;&#xD800;&#x110000;&#x1F600;'), '\ufffd\ufffd\ufffd\u{1f600}');
});
