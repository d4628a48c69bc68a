import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEncodedWords } from './encoded-words.ts';

test('decodeEncodedWords: B and Q words in any known charset; adjacent words joined; unknown left as written', () => {
  const cases: Array<[string, string]> = [
    ['=?utf-8?B?csOpcG9ydA==?=', 'réport'],
    ['=?UTF-8?q?caf=C3=A9_au_lait?=', 'café au lait'],
    ['=?iso-8859-1?Q?caf=E9?= =?iso-8859-1?Q?_cr=E8me?=', 'café crème'],
    // WHATWG Encoding: the iso-8859-1 label is windows-1252, so 0x80 is the euro sign.
    ['=?iso-8859-1?Q?=80?=', '€'],
    ['=?utf-8*en?Q?hello?=', 'hello'],
    ['plain =?x-unknown?Q?abc?= text', 'plain =?x-unknown?Q?abc?= text'],
  ];
  for (const [text, shown] of cases) assert.equal(decodeEncodedWords(text), shown, text);
});
