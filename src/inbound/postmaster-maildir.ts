/**
 * Mail to postmaster, kept in a Maildir. RFC 5321 §4.5.1: an SMTP server MUST accept mail for "postmaster" at every
 * domain it serves, and "RCPT TO:<Postmaster>" without a domain. The inbound listener is the MX of the platform's
 * hosts, so it takes that mail and keeps it where the operator can read it with any Maildir reader (`mutt -f`).
 *
 * Maildir delivery: written and fsynced under tmp/, then renamed into new/, so a reader never sees half a message
 * and a crash leaves nothing in new/ that was not whole. This is an edge file: it writes to the file system.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PostmasterSink } from './ports.ts';

export function postmasterMaildir(dir: string, now: () => Date = () => new Date()): PostmasterSink {
  let ready: Promise<void> | null = null;
  const prepare = () =>
    (ready ??= Promise.all(
      ['tmp', 'new', 'cur'].map((sub) => mkdir(join(dir, sub), { recursive: true, mode: 0o700 })),
    ).then(() => undefined));
  // A unique name per message (the Maildir convention: time, a unique part, the host), without characters that
  // mean something in a Maildir name (`/` and `:`).
  const host = hostname().replace(/[/:]/g, '_');

  return {
    async deliver({ returnPath, recipients, source }) {
      await prepare();
      const name = `${Math.floor(now().getTime() / 1000)}.${randomBytes(8).toString('hex')}.${host}`;
      const temporary = join(dir, 'tmp', name);
      const file = await open(temporary, 'wx', 0o600);
      try {
        // RFC 5321 §4.4: the delivering server records the reverse-path as Return-Path; Delivered-To names the
        // recipients, since a Maildir holds no envelope.
        const header = `Return-Path: <${returnPath}>\r\nDelivered-To: ${recipients.join(', ')}\r\n`;
        await file.write(header);
        for await (const chunk of source) await file.write(chunk);
        await file.sync();
      } catch (error) {
        await file.close();
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
      await file.close();
      await rename(temporary, join(dir, 'new', name));
    },
  };
}
