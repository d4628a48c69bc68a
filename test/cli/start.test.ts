import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { cliRunner } from '../support/cli.ts';
import { tempDir, testConfig } from '../support/node.ts';

test('start on a port that is in use says which key owns it and what to do, and exits 13', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const dir = tempDir();
  try {
    const port = (busy.address() as AddressInfo).port;
    const config = testConfig(dir.path, [`http.port=${port}`]);
    const configPath = `${dir.path}/senderd.yaml`;
    writeFileSync(configPath, stringify(config), { mode: 0o600 });
    const r = await cliRunner(configPath, dir.path)(['start']);
    assert.equal(r.code, 13, r.err);
    assert.doesNotMatch(r.err, /internal error|at Server\./, 'not a bug report with a stack trace');
    assert.match(r.err, new RegExp(`http\\s+127\\.0\\.0\\.1:${port}\\s+in use\\s+http\\.port`));
    assert.match(r.err, /SENDERD_HTTP_PORT=/);
  } finally {
    busy.close();
    dir.remove();
  }
});
