import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelaxedBodyHasher } from '../dkim/index.ts';
import { inspectMessage, MessageStreamInspector } from './message-bytes.ts';

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

/** A deterministic pseudo-random source (xorshift32), so a failure can be replayed. */
function randomSource(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

function streamInspect(pieces: readonly Buffer[], headerLimit = 1 << 20) {
  const hasher = new RelaxedBodyHasher();
  const inspector = new MessageStreamInspector({ headerLimit, hasher });
  const body: Buffer[] = [];
  for (const piece of pieces) body.push(...inspector.push(piece));
  const { tail, result } = inspector.end();
  return { result, body: Buffer.concat([...body, ...tail]) };
}

function cutAt(data: Buffer, cuts: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts].sort((a, b) => a - b)) {
    pieces.push(data.subarray(from, to));
    from = to;
  }
  pieces.push(data.subarray(from));
  return pieces;
}

test('streamed checks: the same bytes, header, body hash and refusals as inspectMessage, for 4,000 random messages cut anywhere', () => {
  const next = randomSource(11);
  const headerParts = ['From: a@b.example', 'Subject: x', ' \tfolded', '\r\n', '\n', '\r', '\xe9', 'X: y'];
  const bodyParts = ['text', ' ', '\t', '\r\n', '\r\n', '\n', '\r', '.', '\r\n.', '\r\n\r\n', 'caf\xc3\xa9'];
  for (let n = 0; n < 4000; n++) {
    let text = '';
    for (let i = next(8); i > 0; i--) text += headerParts[next(headerParts.length)];
    if (next(4) > 0) text += ['\r\n\r\n', '\n\n', '\r\r', '\r\n\n'][next(4)];
    for (let i = next(40); i > 0; i--) text += bodyParts[next(bodyParts.length)];
    if (next(40) === 0) text += 'x'.repeat(990 + next(20));
    if (next(60) === 0)
      text = text.slice(0, next(text.length + 1)) + '\0' + text.slice(next(text.length + 1));
    const data = Buffer.from(text, 'latin1');
    const cuts = Array.from({ length: next(10) }, () => next(data.length + 1));
    const what = `${JSON.stringify(text).slice(0, 200)} cut at ${cuts.join(',')}`;
    const whole = inspectMessage(data);
    const { result, body } = streamInspect(cutAt(data, cuts));
    if (!whole.ok) {
      assert.equal(result.ok, false, what);
      if (!result.ok) assert.equal(result.error.text, whole.error.text, what);
      continue;
    }
    assert.ok(result.ok, `${what}: ${result.ok ? '' : result.error.text}`);
    const { bytes, headerLength, bodyStart } = whole.value;
    assert.equal(
      result.value.header.toString('latin1'),
      bytes.subarray(0, headerLength).toString('latin1'),
      what,
    );
    assert.equal(body.toString('latin1'), bytes.subarray(bodyStart).toString('latin1'), what);
    assert.equal(result.value.bodyLength, bytes.length - bodyStart, what);
    const expected = new RelaxedBodyHasher().update(bytes.subarray(bodyStart)).digest();
    assert.deepEqual(result.value.relaxedBodyHash, expected, what);
  }
});

test('streamed checks: a header block over the limit is refused, and the body after a refusal is not handed out', () => {
  const { result } = streamInspect(
    [Buffer.from(`From: a@b.example\r\n${'X: y\r\n'.repeat(100)}\r\nbody\r\n`)],
    300,
  );
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.error.text, /header block is longer than 300 bytes/);
  const inspector = new MessageStreamInspector({ headerLimit: 1000, hasher: new RelaxedBodyHasher() });
  assert.deepEqual(inspector.push(Buffer.from('From: a\r\n\r\nfirst\r\n')).map(String), ['first\r\n']);
  assert.equal(inspector.refused, false);
  assert.deepEqual(inspector.push(Buffer.from('x\0y\r\n')), []);
  assert.equal(inspector.refused, true);
  assert.deepEqual(inspector.push(Buffer.from('more\r\n')), []);
  const end = inspector.end().result;
  assert.match(end.ok ? '' : end.error.text, /^Line 4 contains a NUL byte/);
});
