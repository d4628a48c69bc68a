import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MimeEvent } from './mime-event.ts';
import { MimeParser } from './mime-parser.ts';

function events(message: string | Buffer, step = 1 << 20, maxDepth = 16): MimeEvent[] {
  const raw = Buffer.isBuffer(message) ? message : Buffer.from(message, 'latin1');
  const p = new MimeParser({ maxHeaderBytes: 4096, maxDepth });
  const out: MimeEvent[] = [];
  for (let i = 0; i < raw.length; i += step) out.push(...p.write(raw.subarray(i, i + step)));
  out.push(...p.end());
  return out;
}

function walk(message: string | Buffer, step = 1 << 20, maxDepth = 16) {
  const parts = new Map<string, { type: string; data: Buffer[] }>();
  for (const e of events(message, step, maxDepth)) {
    if (e.type === 'entity')
      parts.set(e.entity.id, { type: `${e.entity.type.mediaType} ${e.entity.kind}`, data: [] });
    if (e.type === 'data') parts.get(e.entity.id)!.data.push(e.data);
  }
  return [...parts].map(
    ([id, p]) => `${id || '-'} ${p.type} ${JSON.stringify(Buffer.concat(p.data).toString('utf8'))}`,
  );
}

const MESSAGE = [
  'From: reporter@example.net',
  'Content-Type: multipart/mixed;',
  '\tboundary="outer"',
  '',
  'preamble, ignored',
  '--outer',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9 and a soft=',
  ' break',
  '--outer',
  'Content-Type: application/gzip',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('binary\x00 data')
    .toString('base64')
    .replace(/(.{8})/g, '$1\r\n'),
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  '',
  'plain inner',
  '--inner--',
  'epilogue of inner',
  '--outer--',
  'epilogue',
  '',
].join('\r\n');

test('a nested message decodes the same however it is cut', () => {
  const whole = walk(MESSAGE);
  assert.deepEqual(whole, [
    '- multipart/mixed multipart ""',
    '1 text/plain leaf "café and a soft break"',
    '2 application/gzip leaf "binary\\u0000 data"',
    '3 message/rfc822 message ""',
    '3.1 multipart/alternative multipart ""',
    '3.1.1 text/plain leaf "plain inner"',
  ]);
  for (const step of [1, 2, 3, 10, 77]) assert.deepEqual(walk(MESSAGE, step), whole, `pieces of ${step}`);
});

test('RFC 2046 §5.1.1: the line break before a boundary belongs to the boundary', () => {
  const m = 'Content-Type: multipart/mixed; boundary=b\n\n--b\n\nline 1\nline 2\n\n--b--\n';
  assert.deepEqual(walk(m)[1], '1 text/plain leaf "line 1\\nline 2\\n"');
});

test('a boundary of an enclosing part ends the parts inside it; a missing close is noted', () => {
  const m = [
    'Content-Type: multipart/mixed; boundary=a',
    '',
    '--a',
    'Content-Type: multipart/related; boundary=b',
    '',
    '--b',
    '',
    'inside b, never closed',
    '--a',
    '',
    'second part of a',
  ].join('\n');
  assert.deepEqual(walk(m).slice(2), [
    '1.1 text/plain leaf "inside b, never closed"',
    '2 text/plain leaf "second part of a"',
  ]);
});

test('a line longer than any boundary streams through without being held', () => {
  const long = 'x'.repeat(100_000);
  const m = `Content-Type: multipart/mixed; boundary=b\n\n--b\n\n${long}\n--b--\n`;
  const parts = walk(m, 4096);
  assert.equal(parts[1], `1 text/plain leaf ${JSON.stringify(long)}`);
});

test('limits: a header over its size, or parts nested too deep, stop the parser with a reason', () => {
  const long = events(`Subject: ${'x'.repeat(10_000)}\n\nbody`);
  assert.deepEqual(long.at(-1), {
    type: 'stopped',
    problem: { reason: 'header-too-long', detail: 'a MIME header block over 4096 bytes' },
  });
  const longLine = events(`Subject: ${'x'.repeat(30_000)}`, 1024);
  assert.deepEqual(longLine.at(-1), {
    type: 'stopped',
    problem: { reason: 'header-too-long', detail: 'a MIME header line over 4096 bytes' },
  });
  let nested = '';
  for (let i = 0; i < 20; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n`;
  const deep = events(nested + '\nx\n', 1 << 20, 8);
  assert.deepEqual(deep.at(-1), {
    type: 'stopped',
    problem: { reason: 'nesting-too-deep', detail: 'MIME parts nested more than 8 deep' },
  });
  // The entities before the limit were handed out; nothing comes after the stop.
  assert.equal(deep.filter((e) => e.type === 'entity').length, 9);
  const p = new MimeParser({ maxHeaderBytes: 64, maxDepth: 8 });
  assert.equal(p.write(Buffer.from(`Subject: ${'x'.repeat(100)}\n`)).at(-1)?.type, 'stopped');
  assert.deepEqual(p.write(Buffer.from('more\n')), []);
  assert.deepEqual(p.end(), []);
});

test('offsets: each entity names where its header and body begin and where its body ends, however cut', () => {
  const raw = Buffer.from(MESSAGE, 'latin1');
  const seen = (step: number) =>
    events(raw, step).flatMap((e) =>
      e.type === 'entity'
        ? [`${e.entity.id || '-'} header ${e.entity.headerStart} body ${e.entity.bodyStart}`]
        : e.type === 'end'
          ? [`${e.entity.id || '-'} ends ${e.bodyEnd}`]
          : [],
    );
  const whole = seen(1 << 20);
  for (const step of [1, 3, 64]) assert.deepEqual(seen(step), whole, `pieces of ${step}`);
  const at = (id: string) => {
    const entity = events(raw).find((e) => e.type === 'entity' && e.entity.id === id);
    const end = events(raw).find((e) => e.type === 'end' && e.entity.id === id);
    assert.ok(entity?.type === 'entity' && end?.type === 'end');
    return {
      header: raw.toString('latin1', entity.entity.headerStart, entity.entity.bodyStart),
      body: raw.toString('latin1', entity.entity.bodyStart, end.bodyEnd),
    };
  };
  assert.equal(at('').header, MESSAGE.slice(0, MESSAGE.indexOf('\r\n\r\n') + 4));
  // RFC 2046 §5.1.1: the CRLF before "--outer" belongs to the boundary, not to the part.
  assert.deepEqual(at('1'), {
    header:
      'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
    body: 'caf=C3=A9 and a soft=\r\n break',
  });
  assert.equal(at('3').body, at('3.1').header + at('3.1').body);
  assert.equal(at('3.1.1').body, 'plain inner');
  assert.match(at('3.1').body, /^--inner\r\n\r\nplain inner\r\n--inner--\r\nepilogue of inner$/);
  assert.equal(at('').body.endsWith('--outer--\r\nepilogue\r\n'), true);
});

test('identityData false: no data for 7bit/8bit parts (read from the input), the same entities and offsets', () => {
  const message = Buffer.from(
    'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplain \xe9\r\n' +
      '--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nq=3D1\r\n--b--\r\n',
    'latin1',
  );
  const all = new MimeParser({ maxHeaderBytes: 1024, maxDepth: 8 });
  const some = new MimeParser({ maxHeaderBytes: 1024, maxDepth: 8, identityData: false });
  const full = [...all.write(message), ...all.end()];
  const lean = [...some.write(message), ...some.end()];
  const data = (list: MimeEvent[]) =>
    list.flatMap((e) => (e.type === 'data' ? [`${e.entity.id}:${e.data.toString('latin1')}`] : []));
  assert.deepEqual(data(full), ['1:plain \xe9', '2:q=1']);
  assert.deepEqual(data(lean), ['2:q=1']);
  const rest = (list: MimeEvent[]) =>
    list.flatMap((e) =>
      e.type === 'end' ? [`${e.entity.id}:${e.bodyEnd}`] : e.type === 'entity' ? [e.entity.id] : [],
    );
  assert.deepEqual(rest(lean), rest(full));
});
