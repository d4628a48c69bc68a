/**
 * `senderd dns tsig-keygen` and the TSIG key in `senderd config`: the key it prints is accepted by senderd's
 * config and by NSD (nsd-checkconf) and Knot (knotc conf-check); `config show` never prints a secret.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { run } from '../support/tools.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let dir: TestDir;
before(() => {
  dir = tempDir('senderd-cli-tsig-');
});
after(() => dir?.remove());

async function cli(args: string[]) {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runCli(args, { env: {}, cwd: dir.path, stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

test('tsig-keygen prints stanzas that senderd, NSD and Knot all accept', async () => {
  const made = await cli(['--json', 'dns', 'tsig-keygen', 'xfr.example.net']);
  assert.equal(made.code, 0, made.err);
  const key = JSON.parse(made.out) as {
    secret: string;
    stanzas: { senderd: string; nsd: string; knot: string; bind: string; signer: string };
  };
  assert.equal(Buffer.from(key.secret, 'base64').length, 32);

  const configPath = join(dir.path, 'senderd.yaml');
  writeFileSync(configPath, `dataDir: ${dir.path}\n${key.stanzas.senderd}\n`);
  const shown = await cli(['-c', configPath, 'config', 'show']);
  assert.equal(shown.code, 0, shown.err);
  const config = JSON.parse(shown.out) as { dns: { tsigKeys: Array<{ name: string; secret: string }> } };
  assert.deepEqual(
    config.dns.tsigKeys.map((k) => [k.name, k.secret]),
    [['xfr.example.net', '[redacted]']],
  );
  assert.ok(!shown.out.includes(key.secret), 'config show never prints the secret');

  const nsdConf = join(dir.path, 'nsd.conf');
  writeFileSync(nsdConf, `server:\n  zonesdir: "${dir.path}"\n${key.stanzas.nsd}\n`);
  const nsd = await run('nsd-checkconf', [nsdConf]);
  assert.equal(nsd.code, 0, nsd.stdout + nsd.stderr);

  const knotConf = join(dir.path, 'knot.conf');
  writeFileSync(knotConf, `${key.stanzas.knot}\n`);
  const knot = await run('knotc', ['-c', knotConf, 'conf-check']);
  assert.equal(knot.code, 0, knot.stdout + knot.stderr);

  // The signer's whole configuration (test/dns/dnssec.test.ts runs it): ECDSA P-256, NSEC3 without salt.
  assert.match(key.stanzas.signer, /algorithm: ecdsap256sha256\n {4}nsec3: on\n {4}nsec3-iterations: 0/);
  assert.match(key.stanzas.signer, /domain: mail\.example\.net\./);
  const signerConf = join(dir.path, 'signer.conf');
  writeFileSync(signerConf, `${key.stanzas.signer}\n`);
  const signer = await run('knotc', ['-c', signerConf, 'conf-check']);
  assert.equal(signer.code, 0, signer.stdout + signer.stderr);
});

test('tsig-keygen -o writes the secret to a 0600 file and the config refers to it', async () => {
  const made = await cli(['dns', 'tsig-keygen', 'wide.example.net', '-a', 'hmac-sha512', '-o', 'wide.key']);
  assert.equal(made.code, 0, made.err);
  const file = join(dir.path, 'wide.key');
  assert.ok(existsSync(file));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(made.out, new RegExp(`secretFile: "${file}"`));
  assert.match(made.out, /algorithm: hmac-sha512/);
  const again = await cli(['dns', 'tsig-keygen', 'wide.example.net', '-o', 'wide.key']);
  assert.equal(again.code, 5, 'an existing key file is never overwritten');
  assert.match(again.err, /wide\.key already exists; it is not overwritten/);
});

test('tsig-keygen refuses HMAC-MD5 with the reason', async () => {
  const r = await cli(['dns', 'tsig-keygen', 'old.example.net', '-a', 'hmac-md5']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /hmac-md5 is refused: RFC 8945 §6/);
});
