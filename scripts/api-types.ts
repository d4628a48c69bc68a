/**
 * Generates src/web/api/openapi.ts, the dashboard's types of the REST API, from the /openapi.json the API itself
 * serves (openapi-typescript). `npm run api:types` writes it; test/web/api-types.test.ts fails when it is stale.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { resolveConfig } from '../src/config/index.ts';
import { cryptoRandom } from '../src/core/index.ts';
import { parsePublicSuffixList } from '../src/domains/index.ts';
import { configRules, openServices, restApi, VERSION } from '../src/main.ts';
import { renderKekFile } from '../src/secrets/index.ts';

export const API_TYPES_FILE = new URL('../src/web/api/openapi.ts', import.meta.url);

const HEADER = [
  '// Generated from /openapi.json by `npm run api:types` (scripts/api-types.ts, openapi-typescript). Do not edit:',
  '// change the route schemas in src/api/ and run it again. src/web/api/types.ts names the parts the dashboard uses.',
  '',
].join('\n');

/** The OpenAPI document of a node with every route group, over a throwaway store. */
async function openApiDocument(): Promise<OpenAPI3> {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-api-types-'));
  try {
    writeFileSync(join(dir, 'kek.key'), renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
    const outcome = resolveConfig(
      { env: {}, cwd: dir, flags: [`dataDir=${dir}`, 'dashboard.enabled=false'] },
      configRules,
    );
    if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
    const services = await openServices(outcome.config, { publicSuffixes: parsePublicSuffixList('') });
    try {
      const api = restApi(outcome.config, services, services.runtime, VERSION);
      return (await (await api.request('/openapi.json')).json()) as OpenAPI3;
    } finally {
      await services.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of src/web/api/openapi.ts as the API is now. */
export async function renderApiTypes(): Promise<string> {
  const ast = await openapiTS(await openApiDocument());
  return HEADER + astToString(ast);
}

if (import.meta.main) {
  writeFileSync(API_TYPES_FILE, await renderApiTypes());
  console.log(`wrote ${API_TYPES_FILE.pathname}`);
}
