/**
 * Real replies of large receivers, taken from their public documentation (the `source` of each row), with the
 * class senderd gives them. `code` is the basic reply code; `reply` the text after it as the gateway records it
 * (the lines of a multi-line reply joined by a space). IP addresses and names in the texts are the documentation's
 * placeholders or RFC 5737 / RFC 2606 ones. A row's `why` says where the class is not what the code alone suggests.
 */
import type { BounceClass } from '../../src/bounces/index.ts';

export interface ReceiverReply {
  readonly receiver: string;
  readonly code: number;
  readonly reply: string;
  readonly want: BounceClass;
  readonly source: string;
  readonly why?: string;
}

const GMAIL = 'https://support.google.com/a/answer/3726730';
const YAHOO = 'https://senders.yahooinc.com/smtp-error-codes/';
const MS_NDR =
  'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online';
const MS_515 =
  'https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730';
const MS_DBEB =
  'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-directory-based-edge-blocking';
const MS_5_7_606 =
  'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-550-5-7-606-through-5-7-649-in-exchange-online';
const MS_5_1_10 =
  'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-550-5-1-10-in-exchange-online';
const MS_5_2_2 =
  'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-2-2-through-5-2-3-in-exchange-online';
const MS_5_7_509 =
  'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-550-5-7-5-through-5-7-999-in-exchange-online';
const MS_4_7_650 =
  'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online';
const APPLE = 'https://support.apple.com/en-us/102322';
const COMCAST = 'https://postmaster.comcast.net/smtp-error-codes.php';
const GMX = 'https://postmaster.gmx.net/en/error-messages';
const WEBDE = 'https://postmaster.web.de/en/error-messages';
const ORANGE = 'https://postmaster.orange.fr/';
const MIMECAST =
  'https://community.mimecast.com/s/article/email-security-cloud-gateway-mimecast-smtp-error-codes';
const PROOFPOINT = 'https://ipcheck.proofpoint.com/';
const POSTFIX = 'https://www.postfix.org/postconf.5.html';
const POSTFIX_ACCESS = 'https://www.postfix.org/access.5.html';
const EXIM = 'https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html';
const EXCHANGE =
  'https://learn.microsoft.com/en-us/exchange/mail-flow/non-delivery-reports-and-bounce-messages/non-delivery-reports-and-bounce-messages';

export const RECEIVER_REPLIES: readonly ReceiverReply[] = [
  // Gmail
  {
    receiver: 'Gmail',
    code: 550,
    reply:
      "5.1.1 The email account that you tried to reach does not exist. Please try 5.1.1 double-checking the recipient's email address for typos or 5.1.1 unnecessary spaces. - gsmtp",
    want: 'hard',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 550,
    reply: '5.2.1 The email account that you tried to reach is disabled. - gsmtp',
    want: 'hard',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 552,
    reply: '5.2.2 The email account that you tried to reach is over quota. - gsmtp',
    want: 'soft',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 452,
    reply: '4.2.2 The email account that you tried to reach is over quota. - gsmtp',
    want: 'soft',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 450,
    reply:
      '4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. - gsmtp',
    want: 'soft',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 553,
    reply:
      "5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors, and make sure you didn't enter any spaces, periods, or other punctuation after the recipient's email address. - gsmtp",
    want: 'hard',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 550,
    reply:
      '5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
    want: 'block',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 550,
    reply:
      "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. - gsmtp",
    want: 'block',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 421,
    reply:
      '4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily blocked. - gsmtp',
    want: 'block',
    source: GMAIL,
    why: 'a 4xx, but a reputation block: retrying does not help the recipient',
  },
  {
    receiver: 'Gmail',
    code: 550,
    reply:
      '5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp',
    want: 'block',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 550,
    reply:
      '5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp',
    want: 'block',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 421,
    reply:
      '4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your DKIM domain. To protect our users from spam, mail sent from your domain has been temporarily rate limited. - gsmtp',
    want: 'block',
    source: GMAIL,
  },
  {
    receiver: 'Gmail',
    code: 552,
    reply: "5.3.4 Your message exceeded Google's message size limits. - gsmtp",
    want: 'unknown',
    source: GMAIL,
    why: 'about the message, not the recipient: never a suppression',
  },
  {
    receiver: 'Gmail',
    code: 421,
    reply: '4.3.0 Temporary System Problem. Try again later. - gsmtp',
    want: 'soft',
    source: GMAIL,
  },
  // Yahoo
  {
    receiver: 'Yahoo',
    code: 421,
    reply:
      '4.7.0 [TSS04] Messages from 192.0.2.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    want: 'block',
    source: YAHOO,
  },
  {
    receiver: 'Yahoo',
    code: 553,
    reply:
      '5.7.2 [TSS09] All messages from 192.0.2.4 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes',
    want: 'block',
    source: YAHOO,
  },
  {
    receiver: 'Yahoo',
    code: 554,
    reply: '5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes',
    want: 'block',
    source: YAHOO,
  },
  {
    receiver: 'Yahoo',
    code: 550,
    reply:
      '5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.',
    want: 'block',
    source: YAHOO,
  },
  {
    receiver: 'Yahoo',
    code: 552,
    reply: '1 Requested mail action aborted, mailbox not found',
    want: 'hard',
    source: YAHOO,
    why: 'no enhanced code: the phrase decides',
  },
  {
    receiver: 'Yahoo',
    code: 554,
    reply:
      "delivery error: dd This user doesn't have a yahoo.com account (reader@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com",
    want: 'hard',
    source: YAHOO,
    why: 'no enhanced code: the phrase decides',
  },
  {
    receiver: 'Yahoo',
    code: 554,
    reply:
      'delivery error: dd Sorry your message to reader@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.gq1.yahoo.com',
    want: 'hard',
    source: YAHOO,
  },
  {
    receiver: 'Yahoo',
    code: 451,
    reply:
      'Message temporarily deferred due to unresolvable RFC.5321 from domain; see https://postmaster.yahooinc.com/error-codes',
    want: 'soft',
    source: YAHOO,
  },
  // Microsoft (Outlook.com, Exchange Online)
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      "5.7.515 Access denied, sending domain [example.com] doesn't meet the required authentication level.",
    want: 'block',
    source: MS_515,
    why: 'Outlook.com, since May 2025, for high-volume senders without SPF, DKIM and DMARC',
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      '5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient reader@example.com not found by SMTP address lookup',
    want: 'hard',
    source: MS_5_1_10,
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply: '5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    want: 'hard',
    source: MS_NDR,
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      '5.4.1 Recipient address rejected: Access denied. AS(201806281) [BN8NAM11FT033.eop-nam11.prod.protection.outlook.com]',
    want: 'hard',
    source: MS_DBEB,
    why: 'directory-based edge blocking: a 5.4.1 that means "no such recipient"',
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      '5.7.606 Access denied, banned sending IP [192.0.2.4]. To request removal from this list please visit https://sender.office.com/ and follow the directions.',
    want: 'block',
    source: MS_5_7_606,
  },
  {
    receiver: 'Microsoft',
    code: 554,
    reply:
      '5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
    want: 'soft',
    source: MS_5_2_2,
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      '5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.',
    want: 'block',
    source: MS_5_7_509,
  },
  {
    receiver: 'Microsoft',
    code: 451,
    reply: '4.7.650 The mail server [192.0.2.4] has been temporarily rate limited due to IP reputation.',
    want: 'block',
    source: MS_4_7_650,
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply:
      "5.7.1 Unfortunately, messages from [192.0.2.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    want: 'block',
    source: MS_5_7_509,
  },
  {
    receiver: 'Microsoft',
    code: 550,
    reply: '5.5.0 Requested action not taken: mailbox unavailable (S2017062302).',
    want: 'hard',
    source: MS_NDR,
    why: 'Outlook.com: 5.5.0 is a protocol code, the phrase says no mailbox',
  },
  // Apple iCloud
  {
    receiver: 'Apple iCloud',
    code: 550,
    reply: '5.1.1 <reader@icloud.com>: inactive email address',
    want: 'hard',
    source: APPLE,
  },
  {
    receiver: 'Apple iCloud',
    code: 550,
    reply: '5.1.1 <reader@icloud.com>: user does not exist',
    want: 'hard',
    source: APPLE,
  },
  {
    receiver: 'Apple iCloud',
    code: 552,
    reply: '5.2.2 <reader@icloud.com>: user is over quota',
    want: 'soft',
    source: APPLE,
  },
  {
    receiver: 'Apple iCloud',
    code: 554,
    reply:
      '5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
    want: 'block',
    source: APPLE,
  },
  {
    receiver: 'Apple iCloud',
    code: 421,
    reply:
      '4.7.0 [TS01] Messages from 192.0.2.4 temporarily deferred due to user complaints - see https://support.apple.com/en-us/HT204137',
    want: 'block',
    source: APPLE,
  },
  // Comcast
  {
    receiver: 'Comcast',
    code: 550,
    reply: '5.1.1 <reader@comcast.net> Not our Customer',
    want: 'hard',
    source: COMCAST,
  },
  {
    receiver: 'Comcast',
    code: 554,
    reply:
      'resimta-ch2-18v.sys.comcast.net resimta-ch2-18v.sys.comcast.net 192.0.2.4 found on one or more RBLs (cbl.abuseat.org). Refer to http://postmaster.comcast.net/smtp-error-codes.php#BL000010',
    want: 'block',
    source: COMCAST,
    why: 'no enhanced code: the phrase decides',
  },
  {
    receiver: 'Comcast',
    code: 421,
    reply:
      '4.1.0 192.0.2.4 Throttled - try again later. Please see https://postmaster.comcast.net/smtp-error-codes.php#RL000001',
    want: 'soft',
    source: COMCAST,
    why: 'a rate limit: temporary, nothing about the recipient or our reputation in it',
  },
  {
    receiver: 'Comcast',
    code: 552,
    reply: '5.2.2 <reader@comcast.net> Mailbox full',
    want: 'soft',
    source: COMCAST,
  },
  // GMX and web.de (United Internet)
  {
    receiver: 'GMX',
    code: 550,
    reply: 'Requested action not taken: mailbox unavailable',
    want: 'hard',
    source: GMX,
  },
  {
    receiver: 'GMX',
    code: 554,
    reply:
      'Transaction failed Reject due to policy restrictions. For explanation visit https://postmaster.gmx.net/en/error-messages?ip=192.0.2.4&c=hi',
    want: 'block',
    source: GMX,
  },
  {
    receiver: 'GMX',
    code: 554,
    reply:
      'IP address is block listed. For explanation visit https://postmaster.gmx.net/en/error-messages?ip=192.0.2.4&c=bl',
    want: 'block',
    source: GMX,
  },
  {
    receiver: 'web.de',
    code: 550,
    reply: 'Requested action not taken: mailbox unavailable',
    want: 'hard',
    source: WEBDE,
  },
  {
    receiver: 'web.de',
    code: 452,
    reply: 'Requested action not taken: insufficient storage',
    want: 'soft',
    source: WEBDE,
  },
  // Orange
  {
    receiver: 'Orange',
    code: 550,
    reply: '5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]',
    want: 'hard',
    source: ORANGE,
  },
  {
    receiver: 'Orange',
    code: 552,
    reply: '5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]',
    want: 'soft',
    source: ORANGE,
    why: 'Orange sends 5.1.1 with a full mailbox: the phrase wins',
  },
  {
    receiver: 'Orange',
    code: 421,
    reply:
      'mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR004_104 [104]',
    want: 'block',
    source: ORANGE,
  },
  // Mimecast
  {
    receiver: 'Mimecast',
    code: 550,
    reply: 'Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [a1b2c3.uk1]',
    want: 'hard',
    source: MIMECAST,
  },
  {
    receiver: 'Mimecast',
    code: 550,
    reply:
      'Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [a1b2c3.uk1]',
    want: 'block',
    source: MIMECAST,
  },
  {
    receiver: 'Mimecast',
    code: 554,
    reply:
      'Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [a1b2c3.uk1]',
    want: 'block',
    source: MIMECAST,
  },
  {
    receiver: 'Mimecast',
    code: 451,
    reply:
      'Message temporarily deferred due to unresolvable RFC.5321 from address - https://community.mimecast.com/docs/DOC-1369#451',
    want: 'soft',
    source: MIMECAST,
  },
  // Proofpoint
  {
    receiver: 'Proofpoint',
    code: 554,
    reply:
      '5.7.1 Service unavailable; Client host [192.0.2.4] blocked using ipcheck.proofpoint.com; Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.4',
    want: 'block',
    source: PROOFPOINT,
  },
  { receiver: 'Proofpoint', code: 550, reply: '5.1.1 User Unknown', want: 'hard', source: PROOFPOINT },
  // Postfix defaults
  {
    receiver: 'Postfix',
    code: 550,
    reply: '5.1.1 <reader@example.com>: Recipient address rejected: User unknown in local recipient table',
    want: 'hard',
    source: POSTFIX,
  },
  {
    receiver: 'Postfix',
    code: 550,
    reply: '5.1.1 <reader@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    want: 'hard',
    source: POSTFIX,
  },
  {
    receiver: 'Postfix',
    code: 554,
    reply: '5.7.1 <reader@example.com>: Relay access denied',
    want: 'block',
    source: POSTFIX,
  },
  {
    receiver: 'Postfix',
    code: 554,
    reply: '5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org',
    want: 'block',
    source: POSTFIX,
  },
  {
    receiver: 'Postfix',
    code: 450,
    reply: '4.1.2 <reader@example.org>: Recipient address rejected: Domain not found',
    want: 'soft',
    source: POSTFIX,
  },
  {
    receiver: 'Postfix',
    code: 450,
    reply:
      '4.2.0 <reader@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
    want: 'soft',
    source: POSTFIX_ACCESS,
  },
  {
    receiver: 'Postfix',
    code: 554,
    reply: '5.7.1 <reader@example.com>: Recipient address rejected: Access denied',
    want: 'block',
    source: POSTFIX_ACCESS,
    why: 'check_recipient_access REJECT: the receiver refuses, the address may well exist',
  },
  // Exim defaults
  { receiver: 'Exim', code: 550, reply: 'Unrouteable address', want: 'hard', source: EXIM },
  { receiver: 'Exim', code: 550, reply: 'relay not permitted', want: 'block', source: EXIM },
  {
    receiver: 'Exim',
    code: 451,
    reply: 'Temporary local problem - please try later',
    want: 'soft',
    source: EXIM,
  },
  // Exchange Server defaults
  {
    receiver: 'Exchange',
    code: 550,
    reply: '5.7.1 RESOLVER.RST.AuthRequired; authentication required',
    want: 'block',
    source: EXCHANGE,
  },
  {
    receiver: 'Exchange',
    code: 452,
    reply: '4.3.1 Insufficient system resources',
    want: 'soft',
    source: EXCHANGE,
  },
  {
    receiver: 'Exchange',
    code: 550,
    reply: '5.2.1 Mailbox cannot be accessed',
    want: 'hard',
    source: EXCHANGE,
  },
];
