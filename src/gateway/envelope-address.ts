import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import { normaliseDomainName } from '../domain-name/index.ts';
import { splitAddress } from '../mail/index.ts';
import type { SmtpReply } from './smtp-reply.ts';

/**
 * Checks of the envelope addresses (pure), after smtp-server's own syntax checks. The gateway does not offer
 * SMTPUTF8, so an address must be ASCII (RFC 5321 §4.1.2 Mailbox; RFC 6531 §3.4: without SMTPUTF8 on MAIL, a
 * non-ASCII address is refused with 553 5.6.7). smtp-server shows domains as U-labels (it converts A-labels to
 * Unicode); a recipient's domain is turned back into lower-case A-labels here, so delivery looks up a DNS name.
 */

const NON_ASCII = /[\u0080-\u{10ffff}]/u;

const refuse = (code: number, enhanced: string, text: string): Result<never, SmtpReply> =>
  err({ code, enhanced, text });

function nonAsciiLocalPart(local: string, what: string): SmtpReply | null {
  return NON_ASCII.test(local)
    ? {
        code: 553,
        enhanced: '5.6.7',
        text: `The ${what}'s local part is not ASCII; that needs SMTPUTF8 (RFC 6531), which this server does not offer.`,
      }
    : null;
}

/** A recipient as delivery will use it (`local@a-label.domain`), or the reply refusing it at RCPT. */
export function checkRecipient(address: string): Result<string, SmtpReply> {
  const { localPart: local, domain } = splitAddress(address);
  if (local === '' || domain === null || domain === '')
    return refuse(553, '5.1.3', 'The recipient must be a full address (local@domain).');
  const ascii = nonAsciiLocalPart(local, 'recipient');
  if (ascii !== null) return err(ascii);
  // RFC 5321 §4.1.3 address literals: delivery routes by MX (RFC 5321 §5.1) only, never to a literal address.
  if (domain.startsWith('['))
    return refuse(
      553,
      '5.1.2',
      `Address literals (${domain.slice(0, 60)}) are not accepted as recipients; use a domain name.`,
    );
  const name = normaliseDomainName(domain);
  if (!name.ok)
    return refuse(553, '5.1.2', `The recipient domain is not valid: ${name.error.message.slice(0, 200)}`);
  return ok(`${local}@${name.value}`);
}

/** The reply refusing a reverse-path (MAIL FROM), or null when it may be taken. The null path `<>` is fine. */
export function checkReversePath(address: string): SmtpReply | null {
  return nonAsciiLocalPart(splitAddress(address).localPart, 'sender');
}
