import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectMessage } from './message-bytes.ts';

const ok = (text: string | Buffer) => {
  const r = inspectMessage(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
};
const refusal = (text: string | Buffer) => {
  const r = inspectMessage(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  assert.equal(r.ok, false, JSON.stringify(text).slice(0, 80));
  return r.ok ? '' : `${r.error.code} ${r.error.enhanced} ${r.error.text}`;
};

test('line endings become CRLF; the header/body split is found', () => {
  const m = ok('From: a@b.example\nSubject: x\r\rBody\nmore\r\n');
  assert.equal(m.bytes.toString(), 'From: a@b.example\r\nSubject: x\r\n\r\nBody\r\nmore\r\n');
  assert.equal(m.bytes.subarray(0, m.headerLength).toString(), 'From: a@b.example\r\nSubject: x\r\n');
  assert.equal(m.bytes.subarray(m.bodyStart).toString(), 'Body\r\nmore\r\n');
  const headerOnly = ok('From: a@b.example');
  assert.equal(headerOnly.bytes.toString(), 'From: a@b.example\r\n');
  assert.equal(headerOnly.bodyStart, headerOnly.bytes.length);
});

test('refusals: NUL, lines over 998, 8-bit header bytes; 8-bit bodies and 998-character lines pass', () => {
  assert.match(refusal('From: a\r\n\r\nx\0y\r\n'), /^554 5\.6\.0 Line 3 contains a NUL byte/);
  assert.match(refusal(`From: a\r\n\r\n${'x'.repeat(999)}`), /^554 5\.6\.0 Line 3 is 999 characters long/);
  assert.match(refusal(`From: a\r\nSubject: ${'x'.repeat(990)}\r\n\r\n`), /Line 2 is 999 characters/);
  assert.match(
    refusal(Buffer.from('From: a\r\nSubject: \xe9\r\n\r\nx\r\n', 'latin1')),
    /Header line 2 contains 8-bit bytes/,
  );
  ok(`From: a\r\n\r\n${'x'.repeat(998)}\r\n`);
  ok(Buffer.from('From: a\r\n\r\ncaf\xc3\xa9\r\n', 'latin1'));
});

/** The checks written the obvious way (regular expressions over a string), as the reference for the fast version. */
function referenceInspect(data: Buffer): string {
  const text = data.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
  const lineAt = (offset: number) => text.slice(0, offset).split('\r\n').length;
  const nul = text.indexOf('\0');
  if (nul >= 0) return `NUL on line ${lineAt(nul)}`;
  const lines = text.split('\r\n');
  for (const [i, line] of lines.entries())
    if (line.length > 998) return `line ${i + 1} is ${line.length} long`;
  // The header ends at the first empty line that has its CRLF; without one, everything is header.
  const blank = text.startsWith('\r\n')
    ? 0
    : text.indexOf('\r\n\r\n') >= 0
      ? text.indexOf('\r\n\r\n') + 2
      : -1;
  const header = blank < 0 ? text : text.slice(0, blank);
  const eight = /[\x80-\xff]/.exec(header);
  if (eight) return `8-bit on header line ${lineAt(eight.index)}`;
  return `ok ${blank < 0 ? (text.endsWith('\r\n') ? text.length : text.length + 2) : blank}`;
}

function describe(data: Buffer): string {
  const r = inspectMessage(data);
  if (r.ok) return `ok ${r.value.headerLength}`;
  const m =
    /Line (\d+) contains a NUL/.exec(r.error.text) ??
    /Line (\d+) is (\d+) characters/.exec(r.error.text) ??
    /Header line (\d+) contains 8-bit/.exec(r.error.text);
  if (m === null) return r.error.text;
  if (r.error.text.includes('NUL')) return `NUL on line ${m[1]}`;
  if (r.error.text.includes('8-bit')) return `8-bit on header line ${m[1]}`;
  return `line ${m[1]} is ${m[2]} long`;
}

test('agrees with a reference on 3,000 random messages (bare CR/LF, NUL, long lines, 8-bit headers)', () => {
  // xorshift32: every bit of its state is usable, unlike the low bits of a power-of-two LCG.
  let state = 5;
  const next = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const pieces = [
    'From: a@b.example',
    'X: y',
    '\r\n',
    '\r\n',
    '\n',
    '\r',
    'body',
    '\0',
    '\xe9',
    'z'.repeat(500),
  ];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const count = next(12);
    for (let i = 0; i < count; i++) text += pieces[next(pieces.length)];
    const data = Buffer.from(text, 'latin1');
    // Only the header-length figure of an accepted message is compared, not the rewritten bytes (tested above).
    // At offsets 0-3 of its memory, so the four-bytes-at-a-time scan starts on and off a word boundary.
    const expected = referenceInspect(data);
    for (let offset = 0; offset < 4; offset++) {
      const placed = Buffer.alloc(data.length + offset);
      data.copy(placed, offset);
      assert.equal(
        describe(placed.subarray(offset)),
        expected,
        `${JSON.stringify(text).slice(0, 200)} at ${offset}`,
      );
    }
  }
});
