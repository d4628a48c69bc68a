import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/node.ts';

/** scripts/test.sh runs the same check over the real tree; this test proves the rules can fail. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** A small tree that breaks each rule once (and a few imports the rules allow), with the rule it breaks. */
const FILES: Record<string, string> = {
  'src/core/index.ts': "export { spf } from '../spf/index.ts';\n",
  'src/spf/index.ts': 'export const spf = 1;\n',
  'src/mail/index.ts': "export { dkim } from '../dkim/index.ts';\n",
  'src/dkim/index.ts': 'export const dkim = 1;\n',
  'src/dkim/model.ts': 'export const model = 1;\n',
  'src/config/index.ts': "export { dns } from '../dns/index.ts';\n",
  'src/dns/index.ts': 'export const dns = 1;\n',
  'src/dns/udp-server.ts': "export { createSocket } from 'node:dgram';\n",
  'src/gateway/gateway-component.ts': "export { config } from '../config/index.ts';\n",
  'src/checks/check.ts': "export { plan } from '../domains/record-plan.ts';\n",
  'src/domains/index.ts': 'export const domains = 1;\n',
  'src/domains/record-plan.ts': "export const plan = 1;\nexport { connect } from 'node:net';\n",
  'src/main.ts': "export { model } from './dkim/model.ts';\n",
  'src/api/app.ts': "export { model } from '../main.ts';\n",
  'src/cli/start.ts': "export { model } from '../main.ts';\n",
  'src/web/app.ts': "export { api } from '../api/index.ts';\n",
  'src/api/index.ts': 'export const api = 1;\n',
  'src/ip/address.ts': "export { isIP } from 'node:net';\nexport { readFileSync } from 'node:fs';\n",
  'src/reports/alpha.ts': "import { beta } from './beta.ts';\nexport const alpha = () => beta;\n",
  'src/reports/beta.ts': "import { alpha } from './alpha.ts';\nexport const beta = () => alpha;\n",
  'src/events/index.ts': 'export const events = 1;\n',
  'src/events/sink.ts': "export { accounts } from '../accounts/index.ts';\n",
  'src/accounts/index.ts': 'export const accounts = 1;\n',
  'src/accounts/service.ts': "export { events } from '../events/index.ts';\n",
  'src/dmarc/index.ts': "export { gone } from './missing.ts';\n",
};

const EXPECTED = [
  'core-imports-nothing-of-ours: src/core/index.ts -> src/spf/index.ts',
  'floors-import-no-capability: src/mail/index.ts -> src/dkim/index.ts',
  'config-imports-no-capability: src/config/index.ts -> src/dns/index.ts',
  'capabilities-read-no-config: src/gateway/gateway-component.ts -> src/config/index.ts',
  'enter-a-folder-through-its-index: src/checks/check.ts -> src/domains/record-plan.ts',
  'the-root-enters-folders-through-their-index: src/main.ts -> src/dkim/model.ts',
  'only-the-cli-imports-the-root: src/api/app.ts -> src/main.ts',
  'the-dashboard-is-a-client: src/web/app.ts -> src/api/index.ts',
  'only-adapters-do-input-output: src/domains/record-plan.ts -> net',
  'ip-uses-only-pure-net: src/ip/address.ts -> fs',
  'no-cycles: src/reports/alpha.ts -> src/reports/beta.ts',
  'no-folder-cycles: src/accounts -> src/events',
  'no-folder-cycles: src/events -> src/accounts',
  'no-unresolvable-imports: src/dmarc/index.ts -> ./missing.ts',
].sort();

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

function cruise(dir: string): Violation[] {
  let out: string;
  try {
    out = execFileSync(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    // depcruise exits with the number of errors; the report is on stdout all the same.
    out = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

test('each layering rule of .dependency-cruiser.cjs catches the import it forbids, and only that', () => {
  const dir = tempDir('senderd-layering-');
  try {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir.path, path)), { recursive: true });
      writeFileSync(join(dir.path, path), text);
    }
    writeFileSync(
      join(dir.path, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { allowImportingTsExtensions: true, noEmit: true },
        include: ['src'],
      }),
    );
    const found = cruise(dir.path)
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
      .sort();
    assert.deepEqual(found, EXPECTED);
  } finally {
    dir.remove();
  }
});
