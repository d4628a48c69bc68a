import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

/** Every remark code the checks can produce is documented in docs/checks.md, so the docs cannot fall behind. */
test('every remark code is listed in docs/checks.md', () => {
  const dir = new URL('./', import.meta.url);
  const docs = readFileSync(new URL('../../docs/checks.md', import.meta.url), 'utf8');
  const codes = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/(?:remark\(\s*|code: )'([a-z0-9-]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/\? '([a-z0-9-]+)'\s*:\s*'([a-z0-9-]+)'/g)) {
      if (/^(missing|lame-server)$/.test(m[1]!)) codes.add(m[1]!).add(m[2]!);
    }
  }
  assert.ok(codes.size > 40, `found only ${codes.size} codes`);
  const undocumented = [...codes].filter((c) => !docs.includes(`\`${c}\``));
  assert.deepEqual(undocumented, []);
});
