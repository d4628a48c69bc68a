/**
 * A real Postfix (Debian) on 127.0.0.1 in a temporary directory of its own: the final MX of `recipient.test`,
 * with virtual mailboxes. An address that is not a mailbox is refused at RCPT by Postfix's default reply
 * ("550 5.1.1 <x>: Recipient address rejected: User unknown in virtual mailbox table"); a mailbox gets its mail in
 * a Maildir. The mailbox table is a Postfix tcp_table (tcp_table(5)) served from this process, so `addMailbox`
 * takes effect at the next lookup, even on a connection Postfix already has open. Postfix's master must start as
 * root (it drops to the `postfix` user); `postfixUnavailable` says why a test must skip.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { run } from './tools.ts';

export interface Postfix {
  readonly port: number;
  readonly domain: string;
  addMailbox(local: string): Promise<void>;
  /** The messages delivered so far (to any mailbox: they share one Maildir). */
  delivered(): string[];
  log(): string;
  stop(): Promise<void>;
}

const POSTFIX = '/usr/sbin/postfix';

/** Null when a Postfix can run here; otherwise the reason a test skips. */
export function postfixUnavailable(): string | null {
  if (!existsSync(POSTFIX)) return 'Postfix is not installed (scripts/install-test-deps.sh installs it)';
  if (process.getuid?.() !== 0) return "Postfix's master must be started as root";
  return null;
}

/** master.cf: the services a Postfix instance without a chroot tree uses (also bench/gateway's relay). */
export const POSTFIX_SERVICES = `
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
showq     unix  n - n - - showq
`;

/**
 * `dsnTo`: accept every recipient at RCPT instead, and bounce the unknown ones after the fact with a DSN (RFC 3464)
 * relayed to 127.0.0.1 at that port, as a receiver that checks mailboxes only behind its border does: the virtual
 * delivery agent looks each one up in a hash table (postmap; rebuilt by `addMailbox`, and Postfix's daemons reopen a
 * changed table) and bounces an unknown one ("unknown user").
 */
export async function startPostfix(
  domain = 'recipient.test',
  options: { dsnTo?: number } = {},
): Promise<Postfix> {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-postfix-'));
  // Postfix's daemons run as the postfix user and must reach their queue and mailboxes below this directory.
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  const uid = Number((await run('id', ['-u', 'postfix'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postfix'])).stdout.trim());
  for (const sub of ['etc', 'spool', 'data', 'mail']) {
    await run('mkdir', ['-p', join(dir, sub)]);
  }
  chownSync(join(dir, 'data'), uid, gid);
  chownSync(join(dir, 'mail'), uid, gid);
  const port = await freePort();
  const mailboxes = new Set([`postmaster@${domain}`]);
  const table = await serveMailboxTable(mailboxes);
  writeFileSync(
    join(etc, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${dir}/spool`,
      `data_directory = ${dir}/data`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      `myhostname = mx.${domain}`,
      `mydomain = ${domain}`,
      'mydestination =',
      'mynetworks = 127.0.0.0/8',
      `virtual_mailbox_domains = ${domain}`,
      // The virtual delivery agent takes no tcp_table (security-sensitive): every mailbox's mail goes to one Maildir.
      `virtual_mailbox_maps = ${options.dsnTo === undefined ? 'static:all/' : `hash:${etc}/mailboxes`}`,
      `virtual_mailbox_base = ${dir}/mail`,
      `virtual_uid_maps = static:${uid}`,
      `virtual_gid_maps = static:${gid}`,
      'alias_maps =',
      'alias_database =',
      `maillog_file_prefixes = ${tmpdir()}`,
      `maillog_file = ${dir}/maillog`,
      'smtputf8_enable = no',
      ...(options.dsnTo === undefined ? [] : [`relayhost = [127.0.0.1]:${options.dsnTo}`]),
      '',
    ].join('\n'),
  );
  // smtpd checks each RCPT against the live table (smtpd_reject_unlisted_recipient, on by default).
  writeFileSync(
    join(etc, 'master.cf'),
    options.dsnTo === undefined
      ? `127.0.0.1:${port} inet n - n - - smtpd -o virtual_mailbox_maps=tcp:127.0.0.1:${table.port}\n${POSTFIX_SERVICES}`
      : `127.0.0.1:${port} inet n - n - - smtpd -o smtpd_reject_unlisted_recipient=no\n${POSTFIX_SERVICES}`,
  );
  const writeMailboxes = async () => {
    if (options.dsnTo === undefined) return;
    writeFileSync(join(etc, 'mailboxes'), [...mailboxes].map((m) => `${m} all/\n`).join(''));
    const made = await run('postmap', ['-c', etc, join(etc, 'mailboxes')]);
    if (made.code !== 0) throw new Error(`postmap failed: ${made.stderr}`);
  };
  await writeMailboxes();
  const log = () => (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : '');
  const started = await run(POSTFIX, ['-c', etc, 'start']);
  if (started.code !== 0) {
    table.close();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postfix start failed (${started.code}): ${started.stderr}${log()}`);
  }
  return {
    port,
    domain,
    addMailbox(local) {
      mailboxes.add(`${local}@${domain}`);
      return writeMailboxes();
    },
    delivered() {
      const box = join(dir, 'mail', 'all', 'new');
      return existsSync(box) ? readdirSync(box).map((f) => readFileSync(join(box, f), 'utf8')) : [];
    },
    log,
    async stop() {
      await run(POSTFIX, ['-c', etc, 'stop']);
      table.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * tcp_table(5): one request per line, `get <key>` with the key %XX-encoded; the answer `200 <value>` when found
 * or `500 <text>` when not.
 */
async function serveMailboxTable(mailboxes: Set<string>): Promise<{ port: number; close(): void }> {
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const key = decodeURIComponent(line.replace(/^get /, '')).toLowerCase();
        socket.write(mailboxes.has(key) ? '200 all/\n' : '500 not a mailbox\n');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.close();
    },
  };
}
