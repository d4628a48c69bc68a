import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ROOT, startProcess } from '../support/process.ts';
import { tempDir, testConfig } from '../support/node.ts';

/**
 * README: "npm start ... Stop it with Ctrl-C or SIGTERM". A supervisor (systemd, a container runtime, a shell's
 * `kill`) signals the process it started, which is npm. npm passes the signal to its child, so senderd must be that
 * child, not a shell around it, or npm exits and senderd runs on, orphaned, holding its ports.
 */
test('SIGTERM to `npm start` reaches senderd, which drains and stops', async () => {
  const dir = tempDir();
  const configPath = `${dir.path}/senderd.yaml`;
  writeFileSync(configPath, stringify(testConfig(dir.path, ['dashboard.enabled=false'])), { mode: 0o600 });
  // --ignore-scripts skips prestart (the dashboard build), not start itself.
  const npm = startProcess(['start', '--ignore-scripts'], {
    command: 'npm',
    cwd: ROOT,
    env: { SENDERD_CONFIG: configPath, SENDERD_LOG_FORMAT: 'json' },
    detached: true,
  });
  try {
    await npm.waitFor(/"msg":"senderd started"/);
    // senderd shares npm's stdout pipe: it closes only when senderd has exited too, which an orphan never does.
    const closed = new Promise<boolean>((resolve) => {
      npm.child.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 20_000).unref();
    });
    await npm.stop('SIGTERM');
    assert.ok(await closed, `senderd still runs after npm exited:\n${npm.stdout()}`);
    assert.match(npm.stdout(), /"msg":"stopped cleanly"/);
  } finally {
    try {
      process.kill(-npm.child.pid!, 'SIGKILL');
    } catch {
      // the group is gone: nothing was left behind
    }
    dir.remove();
  }
  assert.match(npm.stdout(), /"msg":"draining"/);
});
