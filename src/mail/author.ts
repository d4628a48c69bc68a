/**
 * The author of a message: RFC 5322 §3.6 allows exactly one From field, and §3.6.2 lets it hold a list of
 * mailboxes (then with a Sender field). Signing for an author needs exactly one, so this asks for one From field
 * holding one mailbox, parsed strictly (mailbox.ts). The caller decides what a problem means to its client.
 */
import { err, ok, type Result } from '../core/index.ts';
import { fieldValue, type HeaderField } from './header-fields.ts';
import { parseMailbox, type Mailbox } from './mailbox.ts';

export type AuthorProblem =
  | { readonly problem: 'no-from' }
  | { readonly problem: 'several-from'; readonly count: number }
  /** `detail` says what is wrong and where ("... at character N"); `body` is the unfolded field body. */
  | { readonly problem: 'not-one-mailbox'; readonly detail: string; readonly body: string };

export function authorMailbox(fields: readonly HeaderField[]): Result<Mailbox, AuthorProblem> {
  const from = fields.filter((f) => f.name === 'from');
  if (from.length === 0) return err({ problem: 'no-from' });
  if (from.length > 1) return err({ problem: 'several-from', count: from.length });
  const body = fieldValue(from[0]!);
  const mailbox = parseMailbox(body);
  return mailbox.ok ? ok(mailbox.value) : err({ problem: 'not-one-mailbox', detail: mailbox.error, body });
}
