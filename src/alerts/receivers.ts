/**
 * Which receiver a delivery went to, and which receiver a report came from, so the two can be compared. A mailbox
 * provider reports under its organisation's name (the report's org_name: "google.com", "Enterprise Outlook",
 * "Yahoo"), and receives mail for its own domains and, by MX, for every domain it hosts (a company on Google
 * Workspace has its MX at google.com). Delivery is matched by the recipient domain first, then by the MX host the
 * gateway handed the message to; anything else is its own receiver, named by its domain.
 */
export interface Receiver {
  readonly name: string;
  /** Reporter keys (lower-cased org_name, src/reports reporterKey) of its aggregate reports. */
  readonly reporters: readonly string[];
  readonly mailboxDomains: readonly string[];
  /** Suffixes of the MX hosts it receives on. */
  readonly mxSuffixes: readonly string[];
}

export const RECEIVERS: readonly Receiver[] = [
  {
    name: 'google.com',
    reporters: ['google.com', 'google inc.'],
    mailboxDomains: ['gmail.com', 'googlemail.com', 'google.com'],
    mxSuffixes: ['google.com', 'googlemail.com'],
  },
  {
    name: 'microsoft',
    reporters: ['enterprise outlook', 'outlook.com', 'microsoft.com', 'microsoft corporation'],
    mailboxDomains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'outlook.fr'],
    mxSuffixes: ['outlook.com', 'hotmail.com'],
  },
  {
    name: 'yahoo',
    reporters: ['yahoo', 'yahoo! inc.', 'yahoo inc.', 'yahoo.com', 'aol.com'],
    mailboxDomains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'aol.com', 'yahoo.co.uk', 'yahoo.fr'],
    mxSuffixes: ['yahoodns.net'],
  },
  {
    name: 'apple',
    reporters: ['apple inc.', 'icloud.com'],
    mailboxDomains: ['icloud.com', 'me.com', 'mac.com'],
    mxSuffixes: ['icloud.com'],
  },
  {
    name: 'comcast.net',
    reporters: ['comcast.net', 'comcast'],
    mailboxDomains: ['comcast.net'],
    mxSuffixes: ['comcast.net'],
  },
  {
    name: 'mail.ru',
    reporters: ['mail.ru'],
    mailboxDomains: ['mail.ru', 'bk.ru', 'list.ru', 'inbox.ru'],
    mxSuffixes: ['mail.ru'],
  },
  {
    name: 'yandex',
    reporters: ['yandex', 'yandex.ru'],
    mailboxDomains: ['yandex.ru', 'yandex.com', 'ya.ru'],
    mxSuffixes: ['yandex.net', 'yandex.ru'],
  },
  {
    name: 'gmx/web.de',
    reporters: ['gmx', 'web.de', '1&1', 'united internet'],
    mailboxDomains: ['gmx.de', 'gmx.net', 'gmx.com', 'web.de'],
    mxSuffixes: ['gmx.net', 'web.de'],
  },
];

const under = (host: string, suffix: string) => host === suffix || host.endsWith(`.${suffix}`);

/** The receiver a delivery to `recipientDomain`, handed to `mxHost`, reaches. */
export function receiverOfDelivery(recipientDomain: string, mxHost: string | null): string {
  const domain = recipientDomain.toLowerCase();
  const byDomain = RECEIVERS.find((r) => r.mailboxDomains.includes(domain));
  if (byDomain !== undefined) return byDomain.name;
  const host = (mxHost ?? '').toLowerCase().replace(/\.$/, '');
  const byMx = RECEIVERS.find((r) => r.mxSuffixes.some((s) => under(host, s)));
  return byMx?.name ?? domain;
}

/** The receiver whose aggregate report this is, by its reporter key. */
export function receiverOfReporter(reporter: string): string {
  const key = reporter.toLowerCase();
  return RECEIVERS.find((r) => r.reporters.includes(key))?.name ?? key;
}
