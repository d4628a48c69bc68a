import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTsigKeyFile } from './tsig-key-file.ts';

const SECRET = Buffer.alloc(32, 7).toString('base64');

test('a TSIG key file in each tool’s format, and errors that never show the secret', () => {
  const cases: Array<[string, string, string | null]> = [
    ['tsig-keygen', `key "apply.example.com" {\n\talgorithm hmac-sha256;\n\tsecret "${SECRET}";\n};\n`, null],
    [
      'named.conf, unquoted name',
      `key apply.example.com { algorithm hmac-sha512; secret "${Buffer.alloc(64, 1).toString('base64')}"; };`,
      null,
    ],
    [
      'keymgr -t',
      `# hmac-sha256:apply.example.com:${SECRET}\nkey:\n  - id: apply.example.com\n    algorithm: hmac-sha256\n    secret: ${SECRET}\n`,
      null,
    ],
    ['-y form', `hmac-sha256:apply.example.com:${SECRET}\n`, null],
    ['no secret statement', 'key "apply.example.com" { algorithm hmac-sha256; };', 'needs both'],
    ['md5', `key "k" { algorithm hmac-md5; secret "${SECRET}"; };`, 'hmac-md5 is refused'],
    ['a short secret', `key "k" { algorithm hmac-sha256; secret "c2hvcnQ="; };`, 'needs at least 32'],
    ['nothing', 'hello world', 'no TSIG key found'],
  ];
  for (const [why, text, error] of cases) {
    const parsed = parseTsigKeyFile(text);
    if (error === null) {
      assert.ok(parsed.ok, why);
      assert.equal(parsed.value.name, 'apply.example.com', why);
    } else {
      assert.ok(!parsed.ok, why);
      assert.match(parsed.error, new RegExp(error), why);
      assert.ok(
        !parsed.error.includes(SECRET) && !parsed.error.includes('c2hvcnQ'),
        `${why}: the secret is not shown`,
      );
    }
  }
});
