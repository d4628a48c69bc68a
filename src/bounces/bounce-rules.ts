/**
 * The bounce classifier's rules, as data: each row names the class a failure gets when its enhanced status code
 * (RFC 3463) and/or its reply text match. The first matching row wins, so the order is the policy: receivers'
 * own phrases that contradict their code come first (Microsoft's directory-based edge blocking says 5.4.1 for a
 * recipient that does not exist), then the codes, then phrases for replies that carry no enhanced code (Exim's
 * "Unrouteable address", Comcast's "Not our Customer"), then the basic reply class.
 *
 * Classes: `hard` — the address does not exist or will not take mail (suppress at once); `soft` — the mailbox
 * or the receiver is in trouble for now (suppress after repeated failures); `block` — the receiver refuses the
 * sender, not the recipient (policy, reputation, authentication; never suppresses the recipient); `unknown`.
 * test/bounces/receiver-replies.ts is the table of real replies these rules are held to.
 */

export type BounceClass = 'hard' | 'soft' | 'block' | 'unknown';

export interface BounceRule {
  /** A stable name, kept with every classified bounce as its evidence. */
  readonly id: string;
  readonly class: BounceClass;
  /** Matches the enhanced status code ("5.1.1"); absent: any code, or none. */
  readonly status?: RegExp;
  /** Matches the reply text (case-insensitive by convention); absent: any text. */
  readonly text?: RegExp;
  /** The basic reply class this row is for (4 or 5); absent: either. */
  readonly replyClass?: 4 | 5;
  /** Why the row exists: the RFC 3463 meaning or the receiver whose phrase it is. */
  readonly note: string;
}

export const BOUNCE_RULES: readonly BounceRule[] = [
  // Receivers' phrases first: where the text is surer than the code.
  {
    id: 'text.greylisting',
    class: 'soft',
    text: /grey ?list|gray ?list/i,
    note: 'greylisting: a temporary refusal by design, whatever code it carries',
  },
  {
    id: 'text.microsoft-edge-blocking',
    class: 'hard',
    status: /^5\.4\.1$/,
    text: /recipient address rejected: access denied/i,
    note: 'Exchange Online directory-based edge blocking: the recipient does not exist in the directory',
  },
  {
    id: 'text.mailbox-full',
    class: 'soft',
    text: /over ?quota|quota exceeded|mailbox (is )?full|boite du destinataire pleine|insufficient storage|exceeded storage allocation|mailbox has exceeded/i,
    note: 'the mailbox is full whatever the code says (some receivers send 5.1.1 or 5.2.1 with it)',
  },
  {
    id: 'text.disabled-mailbox',
    class: 'hard',
    text: /mailbox (is )?disabled|account (is |has been )?disabled|inactive (email|user|account)|account that you tried to reach is disabled/i,
    note: 'the account is closed or disabled: no mail will reach it',
  },
  {
    id: 'text.blocklist',
    class: 'block',
    text: /spamhaus|\bRBLs?\b|block ?list|black ?list|blocked using|banned sending ip|reputation|unsolicited|spam/i,
    note: "the sender's IP or domain is listed or judged: not the recipient's fault",
  },
  // RFC 3463 §3.2 X.1.x addressing: the address does not exist.
  {
    id: 'status.bad-mailbox',
    class: 'hard',
    status: /^5\.1\.(1|2|3|6|10)$/,
    note: 'X.1.1 bad destination mailbox, X.1.2 bad system, X.1.3 bad syntax, X.1.6 moved, X.1.10 null MX (RFC 7505)',
  },
  // RFC 3463 §3.3 X.2.x mailbox status.
  {
    id: 'status.mailbox-disabled',
    class: 'hard',
    status: /^5\.2\.1$/,
    note: 'X.2.1 mailbox disabled, not accepting messages',
  },
  {
    id: 'status.mailbox-full',
    class: 'soft',
    status: /^[45]\.2\.2$/,
    note: 'X.2.2 mailbox full',
  },
  // RFC 3463 §3.8 X.7.x security or policy: Gmail 5.7.26 (unauthenticated), Microsoft 5.7.515 (May 2025).
  {
    id: 'status.policy',
    class: 'block',
    status: /^[45]\.7\.\d+$/,
    note: 'X.7.x security or policy status: authentication, reputation, content policy',
  },
  {
    id: 'status.too-big',
    class: 'unknown',
    status: /^[45]\.3\.4$|^5\.2\.3$/,
    note: 'X.3.4 / X.2.3 message too big: about the message, not the recipient',
  },
  {
    id: 'status.mailbox-other',
    class: 'soft',
    status: /^4\.2\.\d+$/,
    note: 'X.2.x transient mailbox trouble (4.2.1 receiving mail too quickly)',
  },
  // Replies without an enhanced code.
  {
    id: 'text.no-such-user',
    class: 'hard',
    text: /user unknown|unknown user|no such (user|mailbox|recipient|address)|does not exist|doesn'?t have a .* account|mailbox not found|mailbox unavailable|invalid recipient|recipient (address )?rejected|unrouteable address|not our customer|address rejected|recipient not found|unknown recipient|undeliverable address|no mailbox here/i,
    replyClass: 5,
    note: 'phrases of a recipient that does not exist (Exim, Postfix, Comcast, GMX, Mimecast without codes)',
  },
  {
    id: 'text.policy',
    class: 'block',
    text: /policy|prohibit|not authori[sz]ed|relay(ing)? (access )?(denied|not permitted)|access denied|rejected due to|dmarc|\bspf\b|dkim|authenticat|blocked|\brefused\b|envelope blocked/i,
    note: 'phrases of a refusal of the sender (policy, relaying, authentication)',
  },
  {
    id: 'text.unknown-domain',
    class: 'hard',
    text: /domain not found|no such domain|unknown domain|host (or domain name )?not found|domain (does not|doesn'?t) exist/i,
    replyClass: 5,
    note: 'the recipient domain does not exist',
  },
  // What is left: the reply class alone.
  {
    id: 'status.transient',
    class: 'soft',
    status: /^4\./,
    note: 'any other X.4 persistent transient failure',
  },
  { id: 'reply.transient', class: 'soft', replyClass: 4, note: 'a 4xx reply without an enhanced code' },
  { id: 'reply.permanent', class: 'unknown', note: 'a permanent failure nothing above explains' },
];
