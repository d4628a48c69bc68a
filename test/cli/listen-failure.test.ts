/**
 * A listener that fails to bind after the probe passed (another process took the port in between) exits with the
 * listen code, 13, not with 7: 7 says that another senderd holds the data directory (issue 20).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { EXIT, exitCodeFor } from '../../src/cli/io.ts';
import { listenFailure } from '../../src/cli/listen-failure.ts';
import { tempDir, testConfig } from '../support/node.ts';

test('a port taken between the probe and the start is a listen failure (exit 13), named by its key', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const dir = tempDir();
  try {
    const port = (busy.address() as AddressInfo).port;
    const second = createServer();
    const error = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    const failure = listenFailure(error, testConfig(dir.path, [`http.port=${port}`]));
    assert.ok(failure !== null, 'EADDRINUSE is a listen failure');
    assert.match(failure.message, new RegExp(`127\\.0\\.0\\.1:${port} \\(http\\.port\\) is already in use`));
    assert.equal(exitCodeFor(failure.code), 13);
    assert.equal(EXIT.listenFailed, 13);
    assert.equal(EXIT.unavailable, 7, "7 stays the instance lock's (and other unavailable dependencies')");
  } finally {
    busy.close();
    dir.remove();
  }
});
