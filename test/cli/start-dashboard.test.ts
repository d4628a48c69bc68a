/**
 * `senderd start` outside npm (as a service manager or `npm link` runs it) with no built dashboard (issue 15 item
 * 9): it builds the dashboard before it listens, and serves it, rather than "the dashboard is not built". The
 * build goes to a dashboard.dir of the test's own, so the checkout's web-dist/ is never touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { senderdFlags } from '../support/senderd-process.ts';
import { tempDir, testConfig } from '../support/node.ts';

const SENDERD = new URL('../../bin/senderd', import.meta.url).pathname;

test('start builds a missing dashboard before it listens, and serves it', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const web = join(dir.path, 'web');
  const child = spawn(
    SENDERD,
    [
      ...senderdFlags(dir.path, [
        'http.enabled=true',
        'http.host=127.0.0.1',
        'http.port=0',
        `dashboard.dir=${web}`,
      ]),
      'start',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const http = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const found = /"component":"http","address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (found !== null) {
          clearInterval(poll);
          resolve(found[1]!);
        }
      }, 100);
      child.once('exit', (code) => {
        clearInterval(poll);
        reject(new Error(`senderd exited with ${code}:\n${output}`));
      });
    });
    assert.match(output, /building the dashboard/);
    assert.match(output, /"msg":"dashboard built"/);
    assert.ok(existsSync(join(web, 'index.html')));
    const page = await fetch(`${http}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /not built/);
    assert.match(html, /<script type="module"[^>]+src="\/assets\//);
  } finally {
    await new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    dir.remove();
  }
});
