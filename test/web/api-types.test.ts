import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.ts';

test("the dashboard's API types are generated from the server's /openapi.json as it is now (npm run api:types)", async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const fresh = await renderApiTypes();
  assert.ok(
    fresh.includes('rsaBits?: 2048 | 3072 | 4096 | null'),
    'the generator reads enums of the document',
  );
  assert.equal(committed, fresh, 'src/web/api/openapi.ts is stale: run npm run api:types');
});
