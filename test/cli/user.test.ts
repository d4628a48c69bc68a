import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { PassThrough, Readable, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { Browser } from '../web/http-client.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let node: TestNode;
let configPath: string;

before(async () => {
  node = await startTestNode();
  await node.services.accounts.addTenant('acme');
  configPath = `${node.config.dataDir}/senderd.yaml`;
  writeFileSync(configPath, stringify({ ...node.config, http: { ...node.config.http, enabled: false } }));
});

after(async () => {
  await node?.close();
});

async function cli(args: string[], stdin = '') {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runCli(['-c', configPath, ...args], {
    env: {},
    cwd: node.config.dataDir,
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
  });
  return { code, out: stdout.text, err: stderr.text };
}

test('user add reads the password from standard input; the user can then sign in', async () => {
  const added = await cli(
    ['user', 'add', 'Kim@Acme.example', '--tenant', 'acme', '--role', 'member'],
    'a good long password\n',
  );
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /Added member kim@acme\.example to tenant acme/);
  assert.ok(!added.out.includes('a good long password') && !added.err.includes('a good long password'));

  const b = new Browser(node.http);
  const r = await b.signIn('kim@acme.example', 'a good long password');
  assert.equal(r.status, 200);
  assert.equal(r.body.user.role, 'member');
  assert.equal(r.body.tenant.name, 'acme');

  const list = await cli(['--json', 'user', 'list', '--tenant', 'acme']);
  assert.equal(list.code, 0, list.err);
  const parsed = JSON.parse(list.out);
  assert.deepEqual(
    parsed.users.map((u: { email: string; role: string }) => [u.email, u.role]),
    [['kim@acme.example', 'member']],
  );
  assert.doesNotMatch(list.out, /scrypt|password/i, 'no hashes in the listing');
});

test('user add refuses a short password, an unknown role, a duplicate, and a password on the command line', async () => {
  const short = await cli(['user', 'add', 'lee@acme.example', '--tenant', 'acme'], 'short\n');
  assert.equal(short.code, 3);
  assert.match(short.err, /at least 12 characters/);
  const role = await cli(
    ['user', 'add', 'lee@acme.example', '--tenant', 'acme', '--role', 'admin'],
    'a good long password\n',
  );
  assert.equal(role.code, 3);
  assert.match(role.err, /owner, member, operator/);
  const empty = await cli(['user', 'add', 'lee@acme.example', '--tenant', 'acme'], '');
  assert.equal(empty.code, 3);
  assert.match(empty.err, /No password on standard input/);
  const argv = await cli(['user', 'add', 'lee@acme.example', '--tenant', 'acme', '--password', 'x'], '');
  assert.equal(argv.code, 2, 'there is no --password option');
  const dup = await cli(['user', 'add', 'kim@acme.example', '--tenant', 'acme'], 'another long password\n');
  assert.equal(dup.code, 5);
});

test('at a terminal, a short password is refused after the first entry, before it is asked for again', async () => {
  // A terminal: the second line is typed only when "Again: " is asked for.
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = new Collect();
  const stderr = new Collect();
  const asked: string[] = [];
  const answer = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = chunk.toString();
      stderr.text += text;
      if (text.startsWith('Password')) asked.push('password');
      if (text.startsWith('Again')) {
        asked.push('again');
        stdin.write('short pw\n');
      }
      done();
    },
  });
  stdin.write('short pw\n');
  const code = await runCli(['-c', configPath, 'user', 'add', 'tty@acme.example', '--tenant', 'acme'], {
    env: {},
    cwd: node.config.dataDir,
    stdout,
    stderr: answer,
    stdin,
  });
  stdin.end();
  assert.equal(code, 3, stderr.text);
  assert.match(stderr.text, /at least 12 characters/);
  assert.deepEqual(asked, ['password'], 'not asked again');
  assert.ok(!stderr.text.includes('short pw'), 'nothing typed is echoed');
});

test('user passwd sets a password from standard input and ends the sessions; user remove removes', async () => {
  const tenant = await node.services.accounts.tenantByName('acme');
  await node.services.accounts.addUser(tenant.id, 'pat@acme.example', 'the first password', 'owner');
  await node.services.accounts.addUser(tenant.id, 'sam@acme.example', 'the first password', 'member');
  const b = new Browser(node.http);
  assert.equal((await b.signIn('pat@acme.example', 'the first password')).status, 200);

  const short = await cli(['user', 'passwd', 'pat@acme.example'], 'short\n');
  assert.equal(short.code, 3);
  assert.match(short.err, /at least 12 characters/);
  const unknown = await cli(['user', 'passwd', 'nobody@acme.example'], 'a good long password\n');
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.err, /No user with e-mail nobody@acme\.example/);

  const set = await cli(['user', 'passwd', 'Pat@Acme.example'], 'the second password\n');
  assert.equal(set.code, 0, set.err);
  assert.match(set.out, /Set the password of pat@acme\.example; 1 session\(s\) ended/);
  assert.ok(!set.out.includes('the second password'));
  assert.equal((await b.request('GET', '/v1/domains')).status, 401, 'the old session ended');
  assert.equal((await new Browser(node.http).signIn('pat@acme.example', 'the first password')).status, 401);
  assert.equal((await new Browser(node.http).signIn('pat@acme.example', 'the second password')).status, 200);

  const list = await cli(['user', 'list', '--tenant', 'acme']);
  assert.match(list.out, /pat@acme\.example\towner\tactive/);

  const sam = new Browser(node.http);
  await sam.signIn('sam@acme.example', 'the first password');
  const removed = await cli(['user', 'remove', 'sam@acme.example']);
  assert.equal(removed.code, 0, removed.err);
  assert.equal((await sam.request('GET', '/v1/domains')).status, 401, "the removed user's session ended");
  const again = await cli(['user', 'remove', 'sam@acme.example']);
  assert.notEqual(again.code, 0);
  assert.match(again.err, /No user with e-mail sam@acme\.example/);
});

test('user remove refuses the last owner of a tenant', async () => {
  const solo = await node.services.accounts.addTenant('solo');
  await node.services.accounts.addUser(solo.id, 'una@solo.example', 'a good long password', 'owner');
  const r = await cli(['user', 'remove', 'una@solo.example']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /last owner/);
  assert.equal((await node.services.team.list(solo.id)).length, 1);
});
