import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, readHeaderFields } from './header-fields.ts';
import { fileName, parseMediaType, splitParameters } from './mime-parameters.ts';

test('parseMediaType: type/subtype in lower case with parameters; the fallback when missing or invalid', () => {
  assert.deepEqual(parseMediaType('Multipart/Mixed; Boundary="a b"; charset=utf-8', 'text/plain'), {
    mediaType: 'multipart/mixed',
    params: { boundary: 'a b', charset: 'utf-8' },
  });
  assert.deepEqual(parseMediaType(undefined, 'text/plain'), { mediaType: 'text/plain', params: {} });
  assert.deepEqual(parseMediaType('  ', 'message/rfc822').mediaType, 'message/rfc822');
  assert.equal(parseMediaType('not a type; x=1', 'text/plain').mediaType, 'text/plain');
});

test('splitParameters: quoted-string values unescaped, the first of a repeated name kept', () => {
  assert.deepEqual(splitParameters('attachment; filename="a \\"b\\".xml"; FileName=c.xml; size = 12 '), [
    'attachment',
    { filename: 'a "b".xml', size: '12' },
  ]);
  assert.deepEqual(splitParameters('inline'), ['inline', {}]);
});

test('fileName: RFC 2231 filename* first, then filename or name, with RFC 2047 encoded-words decoded', () => {
  const name = (header: string) => {
    const fields = readHeaderFields(header);
    return fileName(fields, parseMediaType(headerValue(fields, 'content-type'), 'text/plain'));
  };
  assert.equal(
    name("Content-Disposition: attachment; filename*=utf-8''r%C3%A9port.xml.gz; filename=plain.xml\n"),
    'réport.xml.gz',
  );
  assert.equal(
    name("Content-Disposition: attachment; filename*=utf-8''bad%E0%A4%A.xml\n"),
    'bad%E0%A4%A.xml',
  );
  assert.equal(name('Content-Type: application/zip; name="=?utf-8?B?csOpcG9ydC56aXA=?="\n'), 'réport.zip');
  assert.equal(name('Content-Type: text/plain\n'), null);
});
