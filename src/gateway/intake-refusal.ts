import type { SmtpReply } from './smtp-reply.ts';

/**
 * Why the intake refused a message, as data. Each stage returns one of these instead of a reply; `intakeReply` is
 * the one place a refusal becomes an SMTP reply (the listener puts it on the wire, the signing plan quotes its text
 * in an event). A new stage adds its reasons here, and the compiler asks for their replies.
 */
export type IntakeRefusal =
  /**
   * The message breaks RFC 5322 (a NUL, an overlong line, 8-bit header bytes, a header line that is no field, a
   * From field that is not one mailbox). The checks that find these still word their own 554 5.6.0 reply.
   */
  | { readonly reason: 'content'; readonly reply: SmtpReply }
  /** An unmatched From domain inside the operator's organisational domains (operator-domains.ts). */
  | {
      readonly reason: 'operator-domain';
      readonly fromDomain: string;
      readonly organizationalDomain: string;
      /** The platform name it belongs to, with what it is: "bounce domain bounce.mail.example.net". */
      readonly platformName: string;
    }
  /** The domain that should sign has no key that signs now: defer, never send unsigned (DESIGN.md). */
  | { readonly reason: 'no-key'; readonly domain: string }
  /** `gateway.signing.unmatched=platform`, but no verified sender domain has the platform domain's name. */
  | { readonly reason: 'no-platform-domain' }
  /** Signing itself failed (a broken key or library): defer. */
  | { readonly reason: 'signing-failed' }
  /** The spool could not make the message durable: defer. */
  | { readonly reason: 'spool-unavailable' };

/** The reply for a refusal: a basic code, an enhanced status code (RFC 3463) and a sentence. */
export function intakeReply(refusal: IntakeRefusal): SmtpReply {
  switch (refusal.reason) {
    case 'content':
      return refusal.reply;
    case 'operator-domain':
      return {
        code: 554,
        enhanced: '5.7.1',
        text:
          `The From domain ${refusal.fromDomain} belongs to the organisational domain ${refusal.organizationalDomain} ` +
          `of this platform's ${refusal.platformName}, and it is not a verified sender domain of yours; such mail ` +
          'would pass DMARC as the operator (RFC 7489 §3.1.2 relaxed alignment), so it is refused.',
      };
    case 'no-key':
      return {
        code: 451,
        enhanced: '4.7.0',
        text: `No DKIM key is ready for ${refusal.domain}; try again later.`,
      };
    case 'no-platform-domain':
      return {
        code: 451,
        enhanced: '4.7.0',
        text: 'No signing key is ready for this sender; try again later.',
      };
    case 'signing-failed':
      return { code: 451, enhanced: '4.7.0', text: 'Signing failed; try again later.' };
    case 'spool-unavailable':
      return {
        code: 451,
        enhanced: '4.3.0',
        text: 'The spool cannot take the message now; try again later.',
      };
  }
}
