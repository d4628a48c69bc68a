import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { startProcess, BIN } from '../support/process.ts';
import { tempDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

/**
 * What a new user does outside the checkout: `start` in an empty directory asks for `init` (issue 15, item 6:
 * it used to make a new installation silently), then init, start, add a domain with the CLI, print its records,
 * fetch the same plan with curl, and stop it with SIGTERM.
 */
test('first run: start asks for init; init, start, add a domain, print its records, curl the same plan', async () => {
  const dir = tempDir();
  // The defaults, except that every listener takes a free port, so that overlapping runs do not collide.
  const env = {
    SENDERD_LOG_FORMAT: 'json',
    SENDERD_HTTP_PORT: '0',
    SENDERD_DNS_PORT: '0',
    SENDERD_GATEWAY_SUBMISSION_PORT: '0',
    SENDERD_GATEWAY_IMPLICIT_TLS_PORT: '0',
    SENDERD_GATEWAY_RELAY_PORT: '0',
    SENDERD_INBOUND_PORT: '0',
    SENDERD_EDGE_HTTP_PORT: '0',
    SENDERD_EDGE_HTTPS_PORT: '0',
  };
  const refused = await run(BIN, ['start'], { cwd: dir.path, env: { ...process.env, ...env } });
  assert.equal(refused.code, 6, refused.stderr);
  assert.match(refused.stderr, /No configuration at .*data\/senderd\.yaml\. Run senderd init here/);
  assert.equal(existsSync(`${dir.path}/data`), false, 'nothing was created');
  const init = await run(BIN, ['init'], { cwd: dir.path, env: { ...process.env, ...env } });
  assert.equal(init.code, 0, init.stderr);
  const service = startProcess(['start'], { cwd: dir.path, env });
  try {
    const listening = await service.waitFor(/"component":"http","address":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const base = listening[1]!;
    await service.waitFor(/"msg":"senderd started"/);
    const key = /sdk_[a-z2-7]{12}_[a-z2-7]{32}/.exec(init.stdout)?.[0];
    assert.ok(key, `init prints an API key:\n${init.stdout}`);
    assert.equal(statSync(`${dir.path}/data/kek.key`).mode & 0o777, 0o600);
    assert.equal(statSync(`${dir.path}/data/senderd.yaml`).mode & 0o777, 0o600);
    assert.equal(statSync(`${dir.path}/data`).mode & 0o777, 0o700, 'the data directory is private');
    for (const file of ['senderd.db', 'senderd.db-wal'])
      assert.equal(statSync(`${dir.path}/data/${file}`).mode & 0o777, 0o600, `${file} is private`);

    const add = await run(BIN, ['domain', 'add', 'example.com'], {
      cwd: dir.path,
      env: { ...process.env, ...env },
    });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Added example\.com for tenant default/);

    const table = await run(BIN, ['records', 'example.com'], {
      cwd: dir.path,
      env: { ...process.env, ...env },
    });
    assert.equal(table.code, 0, table.stderr);
    for (const host of [
      'sd1._domainkey',
      'sd2._domainkey',
      'sd3._domainkey',
      '_dmarc',
      'bounce',
      'clicks',
      '@',
    ]) {
      assert.match(
        table.stdout,
        new RegExp(`^  ${host.replace(/\./g, '\\.')}\\s`, 'm'),
        `${host} missing from\n${table.stdout}`,
      );
    }

    const json = await run(BIN, ['records', 'example.com', '--format', 'json'], {
      cwd: dir.path,
      env: { ...process.env, ...env },
    });
    const curl = await run('curl', [
      '-sS',
      '-f',
      '-H',
      `Authorization: Bearer ${key}`,
      `${base}/v1/domains/example.com/records`,
    ]);
    assert.equal(curl.code, 0, curl.stderr);
    assert.deepEqual(
      JSON.parse(curl.stdout),
      JSON.parse(json.stdout),
      'the API and the CLI disagree on the plan',
    );

    const missing = await run(BIN, ['records', 'nope.example'], {
      cwd: dir.path,
      env: { ...process.env, ...env },
    });
    assert.equal(missing.code, 4, 'not found exits 4');
    assert.match(missing.stderr, /No sender domain nope\.example/);

    assert.equal(await service.stop('SIGTERM'), 0, service.stdout());
    assert.match(service.stdout(), /"msg":"draining"/);
    assert.match(service.stdout(), /"msg":"stopped cleanly"/);
  } finally {
    await service.stop('SIGKILL');
    dir.remove();
  }
});

test('start refuses a bad configuration, listing every problem, and exits 6', async () => {
  const dir = tempDir();
  try {
    // An empty config file: the defaults, then the bad layers.
    writeFileSync(`${dir.path}/senderd.yaml`, '');
    const flags = ['-c', 'senderd.yaml', '--set', 'http.port=abc', '--set', 'platform.zone=bad zone'];
    const r = await run(BIN, [...flags, 'start'], {
      cwd: dir.path,
      env: { ...process.env, SENDERD_HTTP_HOSTT: 'x' },
    });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /3 problems/);
    assert.match(r.stderr, /SENDERD_HTTP_HOSTT \(env\): unknown variable; did you mean SENDERD_HTTP_HOST\?/);
    assert.match(r.stderr, /http\.port \(flag\)/);
    assert.match(r.stderr, /platform\.zone \(flag\): A domain name cannot contain spaces/);
    assert.ok(!existsSync(`${dir.path}/data`), 'a refused first start must leave nothing behind');
  } finally {
    dir.remove();
  }
});

test('every command has --help, and a usage error exits 2', async () => {
  for (const args of [
    ['--help'],
    ['domain', '--help'],
    ['domain', 'add', '--help'],
    ['records', '--help'],
    ['init', '--help'],
  ]) {
    const r = await run(BIN, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage: senderd/m);
  }
  const bad = await run(BIN, ['domain', 'add']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /missing required argument 'name'/);
});
