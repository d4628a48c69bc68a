import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeTagListFault, parseTagList, type TagListFault } from './tag-list.ts';

type Expected = Record<string, string> | TagListFault;

/**
 * RFC 6376 §3.2, case by case. `before` says what the two parsers this one replaced did with the text: the checks'
 * (checks/dkim-key.ts: no result at all on a malformed list, the last of a duplicate tag kept, names lower-cased)
 * and key-record's (dkim/key-record.ts: malformed tags skipped, the first of a duplicate kept, names lower-cased,
 * all whitespace removed from values). Where it is absent, the two agreed and still do.
 */
const CASES: Array<{ why: string; text: string; expect: Expected; before?: string }> = [
  { why: 'a plain key record', text: 'v=DKIM1; k=rsa; p=AAAA', expect: { v: 'DKIM1', k: 'rsa', p: 'AAAA' } },
  {
    why: 'a duplicate tag makes the whole list invalid',
    text: 'v=DKIM1; p=AAAA; p=BBBB',
    expect: { fault: 'duplicate-tag', tag: 'p' },
    before: 'checks: p=BBBB (last kept); key-record: p=AAAA (first kept)',
  },
  {
    why: 'a duplicate of a tag the reader does not use is just as fatal',
    text: 'v=DKIM1; k=rsa; k=rsa; p=AAAA',
    expect: { fault: 'duplicate-tag', tag: 'k' },
    before: 'checks: valid, k=rsa; key-record: valid, p=AAAA',
  },
  {
    why: 'a tag-spec without "=" (Mail::DKIM testbad2)',
    text: 'k=rsa; t; p=AAAA',
    expect: { fault: 'not-a-tag', spec: 't' },
    before: 'checks: no result; key-record: "t" skipped, p=AAAA',
  },
  {
    why: 'an empty tag-spec between two ";"',
    text: 'v=DKIM1;; p=AAAA',
    expect: { fault: 'not-a-tag', spec: '' },
    before: 'checks: no result; key-record: skipped, p=AAAA',
  },
  {
    why: 'a name with a hyphen is not ALPHA *ALNUMPUNC',
    text: 'v=DKIM1; x-y=1; p=AAAA',
    expect: { fault: 'bad-tag-name', name: 'x-y' },
    before: 'checks: no result; key-record: tag "x-y" kept, p=AAAA',
  },
  {
    why: 'a name starting with a digit',
    text: '1x=1; p=AAAA',
    expect: { fault: 'bad-tag-name', name: '1x' },
    before: 'checks: no result; key-record: p=AAAA',
  },
  {
    why: 'no name before "="',
    text: '=1; p=AAAA',
    expect: { fault: 'bad-tag-name', name: '' },
    before: 'checks: no result; key-record: skipped, p=AAAA',
  },
  {
    why: 'whitespace inside a value is part of it',
    text: 'v=DKIM1; n=two  words; p=AA AA',
    expect: { v: 'DKIM1', n: 'two  words', p: 'AA AA' },
    before: 'checks: n="two words" (runs made one space); key-record: n="twowords", p="AAAA" (all removed)',
  },
  {
    why: 'names are case-sensitive: P= is not p=',
    text: 'V=DKIM1; P=AAAA',
    expect: { V: 'DKIM1', P: 'AAAA' },
    before: 'checks and key-record: both lower-cased names, so P= was read as p=',
  },
  {
    why: 'a control character in a value',
    text: 'v=DKIM1; n=a\x01b; p=AAAA',
    expect: { fault: 'bad-value', tag: 'n' },
    before: 'checks and key-record: accepted',
  },
  {
    why: 'a non-ASCII character in a value',
    text: 'v=DKIM1; n=café; p=AAAA',
    expect: { fault: 'bad-value', tag: 'n' },
    before: 'checks and key-record: accepted',
  },
  {
    why: 'a line break that does not fold',
    text: 'v=DKIM1; p=AA\r\nAA',
    expect: { fault: 'bad-value', tag: 'p' },
    before: 'checks: p="AA AA"; key-record: p="AAAA"',
  },
  {
    why: 'folding whitespace inside a value and around "=" and ";"',
    text: 'v = DKIM1 ;\r\n\tp =\r\n AA\r\n AA ',
    expect: { v: 'DKIM1', p: 'AA\r\n AA' },
  },
  { why: 'a trailing ";"', text: 'v=DKIM1; p=AAAA;', expect: { v: 'DKIM1', p: 'AAAA' } },
  { why: 'whitespace after the trailing ";"', text: 'v=DKIM1; p=AAAA; ', expect: { v: 'DKIM1', p: 'AAAA' } },
  { why: 'no space after ";"', text: 'k=rsa;t=y;p=AAAA', expect: { k: 'rsa', t: 'y', p: 'AAAA' } },
  { why: 'an empty value is a value', text: 'v=DKIM1; p=', expect: { v: 'DKIM1', p: '' } },
  {
    why: 'unknown tags are kept for the reader to ignore',
    text: 'v=DKIM1; x1 = extra ; p=AAAA',
    expect: { v: 'DKIM1', x1: 'extra', p: 'AAAA' },
  },
  {
    why: '"=" and ":" are value characters',
    text: 'v=DKIM1: g=*; p=AA==',
    expect: { v: 'DKIM1: g=*', p: 'AA==' },
  },
  { why: 'nothing at all', text: '', expect: { fault: 'empty' } },
  { why: 'only whitespace', text: '  \t ', expect: { fault: 'empty' } },
  {
    why: 'a ";" with no tag after whitespace',
    text: 'v=DKIM1; ; p=AAAA',
    expect: { fault: 'not-a-tag', spec: '' },
  },
];

for (const c of CASES) {
  test(`tag-list: ${c.why}`, () => {
    const parsed = parseTagList(c.text);
    if ('fault' in c.expect) {
      assert.equal(parsed.ok, false, JSON.stringify(parsed));
      if (!parsed.ok) assert.deepEqual(parsed.error, c.expect);
    } else {
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(Object.fromEntries(parsed.value), c.expect);
      // The order written is kept.
      assert.deepEqual([...parsed.value.keys()], Object.keys(c.expect));
    }
  });
}

test('tag-list: each fault is described with the tag it concerns', () => {
  assert.equal(describeTagListFault({ fault: 'duplicate-tag', tag: 'p' }), 'The tag p= appears twice.');
  assert.match(describeTagListFault({ fault: 'not-a-tag', spec: 't' }), /"t" is not a tag=value pair/);
  assert.match(describeTagListFault({ fault: 'not-a-tag', spec: '' }), /empty tag between two ";"/);
  assert.match(describeTagListFault({ fault: 'bad-tag-name', name: 'x-y' }), /"x-y" is not a tag name/);
  assert.match(describeTagListFault({ fault: 'bad-value', tag: 'n' }), /value of n=/);
});

test("tag-list: every key record in Mail::DKIM's test DNS parses, except the one it calls malformed", () => {
  const text = readFileSync(
    new URL('../../../shared/corpus/dkim/mail-dkim/FAKE_DNS.dat', import.meta.url),
    'utf8',
  );
  const records = text
    .split('\n')
    .filter((line) => /^\S+\._domainkey\.\S+\s+\S/.test(line) && !/NXDOMAIN|~~|""$/.test(line))
    .map((line) => /^(\S+)\s+(.*)$/.exec(line)!.slice(1) as [string, string]);
  assert.equal(records.length, 22, `read ${records.length} records`);
  const failed = records.filter(([, record]) => !parseTagList(record).ok).map(([name]) => name);
  assert.deepEqual(failed, ['testbad2._domainkey.messiah.edu']);
});

test('tag-list: a long run of whitespace is trimmed in linear time', { timeout: 5_000 }, () => {
  const spaces = ' '.repeat(200_000);
  const parsed = parseTagList(`v=DKIM1;${spaces}p=AAAA${spaces}x;`);
  assert.equal(parsed.ok && parsed.value.get('p'), `AAAA${spaces}x`);
  assert.equal(parseTagList(`p=${spaces}\x01`).ok, false);
});
