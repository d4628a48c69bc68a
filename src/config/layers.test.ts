import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { renderConfigFile, renderConfigReference } from './config-file.ts';
import type { ConfigRule } from './config-problem.ts';
import { configDefaults, configLeaves, envName, resolveConfig, type ConfigSources } from './layers.ts';
import { checkRuntime } from './read-config.ts';

const base: ConfigSources = { env: {}, flags: [], cwd: '/srv/senderd' };

function resolved(sources: Partial<ConfigSources>) {
  const outcome = resolveConfig({ ...base, ...sources }, []);
  if (!('config' in outcome)) assert.fail(`unexpected problems: ${JSON.stringify(outcome.problems)}`);
  return outcome.config;
}

function problems(sources: Partial<ConfigSources>, rules: readonly ConfigRule[] = []) {
  const outcome = resolveConfig({ ...base, ...sources }, rules);
  assert.ok(!('config' in outcome), 'expected problems');
  return outcome.problems;
}

test('with no file, env or flags, the defaults apply and paths resolve under the data directory', () => {
  const c = resolved({});
  assert.equal(c.http.port, 8080);
  assert.equal(c.platform.zone, 'mail.example.net');
  assert.equal(c.dataDir, '/srv/senderd/data');
  assert.equal(c.store.sqlitePath, '/srv/senderd/data/senderd.db');
  assert.equal(c.secrets.kekFile, '/srv/senderd/data/kek.key');
});

test('paths in the config file are relative to the file; paths from env or flags to the working directory', () => {
  // Issue 15, item 6: `--config /etc/senderd/senderd.yaml` from any directory finds the same installation.
  const file = {
    path: '/etc/senderd/senderd.yaml',
    text: [
      'dataDir: ./data',
      'secrets:\n  kekFile: keys/kek.key',
      'domains:\n  publicSuffixList: psl.dat',
      'gateway:\n  tls:\n    certFile: tls/cert.pem\n    keyFile: /abs/key.pem',
      'dns:\n  tsigKeys:\n    - { name: xfr, secretFile: xfr.secret }',
    ].join('\n'),
  };
  const c = resolved({ file, cwd: '/home/someone/elsewhere' });
  assert.equal(c.dataDir, '/etc/senderd/data');
  assert.equal(c.store.sqlitePath, '/etc/senderd/data/senderd.db');
  assert.equal(c.secrets.kekFile, '/etc/senderd/keys/kek.key');
  assert.equal(c.domains.publicSuffixList, '/etc/senderd/psl.dat');
  assert.equal(c.gateway.tls.certFile, '/etc/senderd/tls/cert.pem');
  assert.equal(c.gateway.tls.keyFile, '/abs/key.pem');
  assert.equal(c.dns.tsigKeys[0]?.secretFile, '/etc/senderd/xfr.secret');
  // A relative file name is the file's own directory under the working directory.
  const relativeFile = resolved({ file: { path: 'conf/senderd.yaml', text: 'dataDir: ./data' } });
  assert.equal(relativeFile.dataDir, '/srv/senderd/conf/data');
  const fromFlag = resolved({ file, cwd: '/home/someone', flags: ['dataDir=mine'] });
  assert.equal(fromFlag.dataDir, '/home/someone/mine');
  assert.equal(fromFlag.secrets.kekFile, '/etc/senderd/keys/kek.key');
  const fromEnv = resolved({ file, cwd: '/home/someone', env: { SENDERD_DATA_DIR: 'env-data' } });
  assert.equal(fromEnv.dataDir, '/home/someone/env-data');
});

test('a config file an earlier init wrote (./data/senderd.yaml saying dataDir: ./data) keeps its data directory', () => {
  const earlier = { path: 'data/senderd.yaml', text: 'dataDir: ./data\nsecrets:\n  kekFile: kek.key' };
  const c = resolved({ file: earlier, cwd: '/srv/senderd' });
  assert.equal(c.dataDir, '/srv/senderd/data');
  assert.equal(c.store.sqlitePath, '/srv/senderd/data/senderd.db');
  // Only dataDir had that meaning: other paths in the file are still relative to it.
  assert.equal(c.secrets.kekFile, '/srv/senderd/data/kek.key');
  // Named by its full path from elsewhere, it is read by the new rule (the old one gave /tmp/data).
  const fromElsewhere = { ...earlier, path: '/srv/senderd/data/senderd.yaml' };
  assert.equal(resolved({ file: fromElsewhere, cwd: '/tmp' }).dataDir, '/srv/senderd/data/data');
});

test('layers apply in order: defaults < file < SENDERD_* env < flags', () => {
  const file = { path: 'senderd.yaml', text: 'http:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: warn\n' };
  const fromFile = resolved({ file });
  assert.deepEqual([fromFile.http.port, fromFile.http.host, fromFile.log.level], [9000, '0.0.0.0', 'warn']);
  const fromEnv = resolved({ file, env: { SENDERD_HTTP_PORT: '9100' } });
  assert.deepEqual([fromEnv.http.port, fromEnv.http.host], [9100, '0.0.0.0']);
  const fromFlag = resolved({ file, env: { SENDERD_HTTP_PORT: '9100' }, flags: ['http.port=9200'] });
  assert.equal(fromFlag.http.port, 9200);
});

test('environment values are coerced to the type of the key: numbers, booleans, lists, maps', () => {
  const c = resolved({
    env: {
      SENDERD_HTTP_ENABLED: 'false',
      SENDERD_PLATFORM_EGRESS_IPS: '192.0.2.1, 192.0.2.0/28',
      SENDERD_PLATFORM_NAMESERVERS: '["ns1", "ns.example.org."]',
      SENDERD_PLATFORM_HOST_ADDRESSES: '{"mx": ["192.0.2.25"], "ns1": ["192.0.2.53"]}',
      SENDERD_PLATFORM_TTL: '300',
      PATH: '/usr/bin',
    },
  });
  assert.equal(c.http.enabled, false);
  assert.deepEqual(c.platform.egressIps, ['192.0.2.1', '192.0.2.0/28']);
  assert.deepEqual(c.platform.nameservers, ['ns1', 'ns.example.org.']);
  assert.deepEqual(c.platform.hostAddresses, { mx: ['192.0.2.25'], ns1: ['192.0.2.53'] });
  assert.equal(c.platform.ttl, 300);
});

test('every problem from every layer is listed at once, each naming its layer', () => {
  const found = problems({
    file: { path: 'senderd.yaml', text: 'htp:\n  port: 1\nplatform:\n  zone: "bad zone"\n  ttl: 5\n' },
    env: { SENDERD_HTTP_PROT: '8081', SENDERD_LOG_LEVEL: 'chatty' },
    flags: ['http.port=abc', 'nonsense', 'store.driver=postgres'],
  });
  const summary = found.map((p) => `${p.source}:${p.path}`).sort();
  assert.deepEqual(summary, [
    'env:SENDERD_HTTP_PROT',
    'env:log.level',
    'file:platform.ttl',
    'file:platform.zone',
    'flag:http.port',
    'flag:nonsense',
    'value:htp',
    // A cross-key rule, reported in the same pass although other keys are invalid.
    'value:store.postgresUrl',
  ]);
  assert.match(found.find((p) => p.path === 'SENDERD_HTTP_PROT')!.message, /did you mean SENDERD_HTTP_PORT/);
  assert.match(found.find((p) => p.path === 'htp')!.message, /unknown key/);
});

test('cross-key rules are checked once every key is valid: zone syntax, postgres URL', () => {
  const found = problems({ flags: ['platform.zone=bad zone', 'store.driver=postgres'] });
  assert.deepEqual(found.map((p) => p.path).sort(), ['platform.zone', 'store.postgresUrl']);
  assert.match(found.find((p) => p.path === 'platform.zone')!.message, /spaces/);
});

test("the composition root's rules run in the same pass, over the valid sections, as value problems", () => {
  const seen: string[] = [];
  const rule: ConfigRule = (config) => {
    seen.push(config.platform.zone);
    return config.dns.port === 5353 ? [{ path: 'dns.port', message: 'a rule says no' }] : [];
  };
  const found = problems({ flags: ['http.port=abc'] }, [rule]);
  assert.deepEqual(
    found.map((p) => `${p.source}:${p.path}`),
    ['flag:http.port', 'value:dns.port'],
  );
  // The invalid section is replaced by its defaults for the rules; the valid ones are as given.
  assert.deepEqual(seen, ['mail.example.net']);
  assert.deepEqual(
    problems({ flags: ['platform.zone=x.example'] }, [rule]).map((p) => p.message),
    ['a rule says no'],
  );
  assert.deepEqual(seen.at(-1), 'x.example');
});

test('the zone is normalised like any domain name', () => {
  assert.equal(resolved({ flags: ['platform.zone=Mail.Example.NET.'] }).platform.zone, 'mail.example.net');
});

test('env names are derived from key paths', () => {
  assert.equal(envName(['platform', 'egressIps']), 'SENDERD_PLATFORM_EGRESS_IPS');
  assert.equal(envName(['dataDir']), 'SENDERD_DATA_DIR');
  const names = configLeaves().map((l) => envName(l.path));
  assert.equal(new Set(names).size, names.length, 'two keys map to the same variable');
});

test('the generated config file documents every key and reads back as the defaults', () => {
  const text = renderConfigFile({}, 'header');
  for (const leaf of configLeaves())
    assert.ok(text.includes(`${leaf.path[leaf.path.length - 1]}:`), leaf.path.join('.'));
  const c = resolved({ file: { path: 'x.yaml', text } });
  assert.deepEqual(c, resolved({}));
  assert.equal(configDefaults.http.port, 8080);
});

test('the generated config file carries values given to init', () => {
  const text = renderConfigFile({ 'platform.zone': 'mx.example.org', dataDir: '/var/lib/senderd' }, 'h');
  const c = resolved({ file: { path: 'x.yaml', text } });
  assert.equal(c.platform.zone, 'mx.example.org');
  assert.equal(c.dataDir, '/var/lib/senderd');
});

test('runtime checks: a missing, world-readable or malformed key file is reported, with every other problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-cfg-'));
  try {
    const kek = join(dir, 'kek.key');
    const config = resolved({
      flags: [`dataDir=${dir}`, `domains.publicSuffixList=${join(dir, 'missing.dat')}`],
    });
    const missing = checkRuntime(config).map((p) => p.path);
    assert.deepEqual(missing.sort(), ['domains.publicSuffixList', 'secrets.kekFile']);

    writeFileSync(kek, 'k1:c2hvcnQ=\n', { mode: 0o644 });
    chmodSync(kek, 0o644);
    const messages = checkRuntime(config)
      .filter((p) => p.path === 'secrets.kekFile')
      .map((p) => p.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /mode 644.*chmod 600/);
    assert.match(messages[1]!, /5 bytes; it must be 32/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/configuration.md is the reference generated from the schema (run npm run docs:config)', () => {
  const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(committed.trimEnd(), renderConfigReference(envName).trimEnd());
});
