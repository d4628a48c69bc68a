/**
 * IMAP polling against a real Dovecot (Debian's dovecot-imapd), started unprivileged for this test on a free port
 * with a temporary maildir and a passwd-file user. Messages are delivered with IMAP APPEND, polled by the
 * ImapPoller (imapflow), and marked so a second poll does not read them again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { quietLogger } from '../../src/core/index.ts';
import { ImapPoller, IMPORTED_KEYWORD } from '../../src/reports/index.ts';
import { CORPUS, openTestServices, startTestNode, tempDir } from '../support/node.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Dovecot {
  readonly port: number;
  stop(): Promise<void>;
}

/** Dovecot as `nobody` when we are root (as here), else as ourselves; both in a temporary directory. */
async function startDovecot(dir: string, password: string): Promise<Dovecot> {
  const root = process.getuid?.() === 0;
  const uid = root ? 65534 : process.getuid!();
  const gid = root ? 65534 : process.getgid!();
  const user = root ? 'nobody' : (process.env.USER ?? 'nobody');
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'passwd'), `reports:{PLAIN}${password}\n`);
  const port = await freePort();
  const noChroot = ['anvil', 'imap-login', 'pop3-login', 'submission-login'].map(
    (s) => `service ${s} {\n  chroot =\n}`,
  );
  writeFileSync(
    join(dir, 'dovecot.conf'),
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `default_internal_user = ${user}`,
      `default_login_user = ${user}`,
      root ? 'default_internal_group = nogroup' : '',
      `mail_location = maildir:${dir}/mail/%u`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/passwd\n}`,
      `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${dir}/mail/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      ...noChroot,
      `service auth {\n  user = ${user}\n}`,
      `service auth-worker {\n  user = ${user}\n}`,
    ].join('\n'),
  );
  if (root) {
    for (const p of [
      dir,
      `${dir}/run`,
      `${dir}/state`,
      `${dir}/mail`,
      `${dir}/passwd`,
      `${dir}/dovecot.conf`,
    ])
      chownSync(p, uid, gid);
    chmodSync(dir, 0o755);
  }
  const args = ['-F', '-c', join(dir, 'dovecot.conf')];
  const child: ChildProcess = root
    ? spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '/usr/sbin/dovecot', ...args], {
        stdio: 'ignore',
      })
    : spawn('/usr/sbin/dovecot', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Wait for the greeting, with a deadline (no fixed sleep).
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      s.once('error', () => resolve(false));
    });
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      let log = '';
      try {
        log = readFileSync(join(dir, 'dovecot.log'), 'utf8');
      } catch {
        // no log yet
      }
      throw new Error(`dovecot did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function append(port: number, password: string, mailbox: string, messages: Buffer[]): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'reports', pass: password },
    logger: false,
  });
  await client.connect();
  await client.mailboxCreate(mailbox).catch(() => undefined);
  for (const m of messages) await client.append(mailbox, m);
  await client.logout();
}

const corpus = (path: string) => readFileSync(new URL(path, CORPUS));

test('IMAP: reports in an existing mailbox are imported once, then flagged', async () => {
  const dir = tempDir('senderd-imap-');
  const dovecot = await startDovecot(dir.path, 'imap-secret');
  const s = await openTestServices();
  try {
    const tenant = await s.accounts.addTenant('acme');
    for (const d of ['twlnet.com', 'cardinalhealth.ca', 'interpublication.org'])
      await s.domains.add(tenant.id, d, {});
    await append(dovecot.port, 'imap-secret', 'INBOX', [
      corpus('dmarc-reports/parsedmarc/aggregate/twilight.eml'),
      corpus('tls-rpt/parsedmarc/google.com_smtp_tls_report.eml'),
      corpus('dmarc-reports/stalwart-mail-auth/arf/004.eml'),
      Buffer.from('From: someone@example.org\r\nSubject: hello\r\n\r\nNot a report at all.\r\n'),
    ]);
    const poller = new ImapPoller(
      {
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        user: 'reports',
        password: 'imap-secret',
        mailbox: 'INBOX',
        tenantId: tenant.id,
        afterImport: 'flag',
        moveTo: 'done',
        intervalMs: 60_000,
        maxMessageBytes: 10 * 1024 * 1024,
      },
      { ingest: s.reports, log: quietLogger() },
    );
    const first = await poller.pollOnce();
    assert.equal(first.messages, 4);
    assert.deepEqual(
      first.outcomes.map((o) =>
        o.status === 'quarantined' ? `quarantined ${o.reason}` : `${o.status} ${o.kind}`,
      ),
      ['stored aggregate', 'stored tlsrpt', 'stored failure', 'quarantined no_report_found'],
    );
    const again = await poller.pollOnce();
    assert.equal(again.messages, 0, 'flagged messages are not read again');
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: 'reports', pass: 'imap-secret' },
      logger: false,
    });
    await client.connect();
    const lock = await client.getMailboxLock('INBOX');
    const flagged = await client.search({ keyword: IMPORTED_KEYWORD });
    lock.release();
    await client.logout();
    assert.equal(Array.isArray(flagged) ? flagged.length : 0, 4);
  } finally {
    await s.close();
    await dovecot.stop();
    dir.remove();
  }
});

test('IMAP: a node polls the mailboxes of its configuration and moves what it imported', async () => {
  const dir = tempDir('senderd-imap-');
  const dovecot = await startDovecot(dir.path, 'node-secret');
  const passwordFile = join(dir.path, 'imap-password');
  writeFileSync(passwordFile, 'node-secret\n', { mode: 0o600 });
  const mailbox = {
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    user: 'reports',
    passwordFile,
    tenant: 'acme',
    afterImport: 'move',
    moveTo: 'imported',
    intervalSeconds: 1,
  };
  const t = await startTestNode({ set: [`reports.imap=${JSON.stringify([mailbox])}`] }).catch(
    async (error: unknown) => {
      await dovecot.stop();
      throw error;
    },
  );
  try {
    // The tenant is looked up at each poll: it may be created after the node starts.
    const tenant = await t.services.accounts.addTenant('acme');
    await t.services.domains.add(tenant.id, 'twlnet.com', {});
    await append(dovecot.port, 'node-secret', 'INBOX', [
      corpus('dmarc-reports/parsedmarc/aggregate/twilight.eml'),
    ]);
    assert.ok(t.node.components.some((c) => c.name === 'imap'));
    const deadline = Date.now() + 15_000;
    let moved = 0;
    while (Date.now() < deadline) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        auth: { user: 'reports', pass: 'node-secret' },
        logger: false,
      });
      await client.connect();
      const status = await client.status('imported', { messages: true }).catch(() => ({ messages: 0 }));
      await client.logout();
      moved = status === false ? 0 : (status.messages ?? 0);
      if (moved > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(moved, 1, 'the message was moved to the configured folder');
    const domain = await t.services.domains.get(tenant.id, 'twlnet.com');
    const stored = await t.services.store.reportStats.reports(domain.id, '2000-01-01', '2999-12-31', 10);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.via, 'imap');
  } finally {
    await t.close();
    await dovecot.stop();
    dir.remove();
  }
});
