/**
 * Mail to postmaster, kept in a Maildir. RFC 5321 §4.5.1: an SMTP server MUST accept mail for "postmaster" at every
 * domain it serves, and "RCPT TO:<Postmaster>" without a domain. The inbound listener is the MX of the platform's
 * hosts, so it takes that mail and keeps it where the operator can read it with any Maildir reader (`mutt -f`).
 *
 * Maildir delivery: written and fsynced under tmp/, then renamed into new/, so a reader never sees half a message
 * and a crash leaves nothing in new/ that was not whole. This is an edge file: it writes to the file system.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PostmasterSink } from './ports.ts';

/** Limits of the postmaster Maildir: anyone may write to postmaster, so it must not fill the disk. */
export interface PostmasterLimits {
  /** Bytes the Maildir (new/ and cur/) may hold; a message that would pass it is refused with 452 4.2.2. */
  readonly quotaBytes: number;
  /** Largest single message; a larger one is refused with 552 5.3.4. */
  readonly maxMessageBytes: number;
}

/** The Maildir is full (RFC 3463 §3.3, X.2.2 "Mailbox full"): temporary, the sender may try later. */
export class MailboxFull extends Error {}
/** One message passes the per-message limit of the postmaster Maildir. */
export class PostmasterMessageTooLarge extends Error {}

/** Bytes held in new/ and cur/, summed afresh, so that messages the operator removed free their space at once. */
async function used(dir: string): Promise<number> {
  let sum = 0;
  for (const sub of ['new', 'cur']) {
    for (const name of await readdir(join(dir, sub)).catch(() => [] as string[])) {
      sum += await stat(join(dir, sub, name)).then(
        (s) => s.size,
        () => 0,
      );
    }
  }
  return sum;
}

export function postmasterMaildir(
  dir: string,
  limits: PostmasterLimits,
  now: () => Date = () => new Date(),
): PostmasterSink {
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
      const room = limits.quotaBytes - (await used(dir));
      const file = await open(temporary, 'wx', 0o600);
      try {
        // RFC 5321 §4.4: the delivering server records the reverse-path as Return-Path; Delivered-To names the
        // recipients, since a Maildir holds no envelope.
        const header = `Return-Path: <${returnPath}>\r\nDelivered-To: ${recipients.join(', ')}\r\n`;
        let bytes = Buffer.byteLength(header);
        await file.write(header);
        for await (const chunk of source) {
          bytes += chunk.byteLength;
          if (bytes > limits.maxMessageBytes) throw new PostmasterMessageTooLarge();
          if (bytes > room) throw new MailboxFull();
          await file.write(chunk);
        }
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
