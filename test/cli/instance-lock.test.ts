import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { cliRunner } from '../support/cli.ts';
import { tempDir, testConfig } from '../support/node.ts';
import { BIN, startProcess } from '../support/process.ts';
import { run } from '../support/tools.ts';

const NOTICE = /^no server is running on (.+); this takes effect when `senderd start` runs$/m;

/**
 * One server per data directory (issue 20; issue 15 item 7): real `senderd start` processes on one directory. A
 * second start refuses with exit 7 naming the running pid; after kill -9 the stale lock is taken over; a change
 * made with the CLI says in one line when no server runs to serve it, and says nothing while one does.
 */
test('a second start on one data directory refuses; after kill -9 a new start takes the lock over', async () => {
  const dir = tempDir();
  const configPath = `${dir.path}/senderd.yaml`;
  writeFileSync(configPath, stringify(testConfig(dir.path, ['log.format=json'])), { mode: 0o600 });
  const lockFile = `${dir.path}/senderd.lock`;
  const cli = cliRunner(configPath, dir.path);
  const started: Array<ReturnType<typeof startProcess>> = [];
  const start = async () => {
    const server = startProcess(['-c', configPath, 'start'], { cwd: dir.path });
    started.push(server);
    await server.waitFor(/senderd started/, 60_000);
    return server;
  };
  try {
    assert.equal((await cli(['tenant', 'add', 'default'])).code, 0);
    const offline = await cli(['domain', 'add', 'example.com']);
    assert.equal(offline.code, 0, offline.err);
    assert.equal(NOTICE.exec(offline.err)?.[1], dir.path, offline.err);
    const read = await cli(['domain', 'list']);
    assert.doesNotMatch(read.err, NOTICE, 'a command that changes nothing says nothing');

    const first = await start();
    assert.equal(readFileSync(lockFile, 'utf8'), `${first.child.pid}\n`);
    const second = await run(BIN, ['-c', configPath, 'start'], { cwd: dir.path, timeoutMs: 60_000 });
    assert.equal(second.code, 7, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`Another senderd \\(pid ${first.child.pid}\\) is running on ${dir.path}`),
    );
    assert.doesNotMatch(second.stderr, /internal error|\n\s+at /, 'a message, not a stack trace');
    assert.equal(first.child.exitCode, null, 'the running server is untouched');
    assert.equal(readFileSync(lockFile, 'utf8'), `${first.child.pid}\n`);

    const live = await cli(['dmarc', 'step', 'example.com', 'forward', '--force']);
    assert.equal(live.code, 0, live.err);
    assert.doesNotMatch(live.err, NOTICE, 'a server runs here: the change is served');

    assert.equal(await first.stop('SIGKILL'), null);
    assert.equal(readFileSync(lockFile, 'utf8'), `${first.child.pid}\n`, 'kill -9 leaves a stale lock');
    const offlineAgain = await cli(['dkim', 'rotate', 'example.com']);
    assert.match(offlineAgain.err, NOTICE, 'a stale lock is no running server');

    const third = await start();
    assert.equal(readFileSync(lockFile, 'utf8'), `${third.child.pid}\n`);
    assert.equal(await third.stop('SIGTERM'), 0, third.stderr());
    assert.equal(existsSync(lockFile), false, 'a clean stop releases the lock');
  } finally {
    await Promise.all(started.map((s) => s.stop('SIGKILL')));
    dir.remove();
  }
});
