/**
 * Which catalogue service a DMARC report source is, how it authenticates for the customer's domain, and — when
 * it fails — the one record change that would make it pass. Pure: it reads what aggregate reports said about the
 * source (RFC 7489 Appendix C `auth_results`, `policy_evaluated`) and its forward-confirmed reverse name, and the
 * catalogue; it looks nothing up.
 */
import { isAtOrBelow, matchesSelector, type SenderCatalogue, type SenderService } from './catalogue.ts';

/** One DKIM result reports gave for the source (`auth_results/dkim`), with the messages it covered. */
export interface DkimSeen {
  readonly signingDomain: string | null;
  readonly selector: string | null;
  readonly result: string;
  readonly messages: number;
}

/** One SPF result (`auth_results/spf`): the domain checked is the envelope (MAIL FROM) or HELO domain. */
export interface SpfSeen {
  readonly domain: string | null;
  readonly result: string;
  readonly messages: number;
}

/** What reports said about one sending address for one domain over a window. */
export interface SourceEvidence {
  readonly ptr: string | null;
  /** The reverse name resolves back to the address (RFC 8601 §3 "iprev"). */
  readonly ptrVerified: boolean;
  readonly messages: number;
  readonly dmarcPass: number;
  /** Messages whose DKIM result was a pass aligned with the From domain (RFC 7489 §3.1.1). */
  readonly dkimAligned: number;
  /** Messages whose SPF result was a pass aligned with the From domain (RFC 7489 §3.1.2). */
  readonly spfAligned: number;
  readonly dkim: readonly DkimSeen[];
  readonly spf: readonly SpfSeen[];
}

/** all: every message of the source; some; none. */
export type Share = 'all' | 'some' | 'none';

export interface SenderFixRecord {
  readonly type: 'CNAME' | 'TXT';
  readonly name: string;
  readonly value: string;
}

/** The one change to make: an SPF include in the domain's own mechanisms, a DKIM record, or the service's setup. */
export interface SenderFix {
  readonly kind: 'spf-include' | 'dkim-cname' | 'dkim-txt' | 'service-setup';
  /** The action in one sentence. */
  readonly action: string;
  /** For spf-include: the mechanism to add to the domain's own SPF mechanisms. */
  readonly mechanism: string | null;
  readonly records: SenderFixRecord[];
  /** The service's documentation for this change. */
  readonly source: string;
}

export interface NamedSender {
  /** The service, or null when nothing in the catalogue matched (or two matched equally). */
  readonly service: Pick<SenderService, 'id' | 'name' | 'category' | 'source'> | null;
  /** strong: a forward-confirmed reverse name, a passing signature or envelope of the service's own domains. */
  readonly confidence: 'strong' | 'weak' | null;
  /** What named it, e.g. "reverse name o1.ptr.sendgrid.net (forward-confirmed)", "DKIM d=sendgrid.net pass". */
  readonly matchedBy: string[];
  readonly dmarc: Share;
  readonly dkimAligned: Share;
  readonly spfAligned: Share;
  readonly fix: SenderFix | null;
  /** A caution about the fix: the address is also a known forwarder, so the failures may be forwarded mail. */
  readonly note: string | null;
}

/** What the caller knows besides the reports: whether the address is a known forwarder, the domain's own SPF. */
export interface IdentifyOptions {
  readonly forwarder?: boolean;
  /** The domain's own SPF mechanisms (domain settings), so a fix neither drops them nor adds one twice. */
  readonly ownSpfMechanisms?: readonly string[];
}

const share = (part: number, whole: number): Share =>
  whole > 0 && part >= whole ? 'all' : part > 0 ? 'some' : 'none';

/**
 * Alignment in relaxed mode compares organisational domains (RFC 7489 §3.2), which needs the Public Suffix List;
 * this approximation (one name at or below the other) is used only to choose a fix, never to count a pass: the
 * counts come from the reporters' own `policy_evaluated`.
 */
const related = (a: string, b: string) => isAtOrBelow(a, b) || isAtOrBelow(b, a);

interface Score {
  readonly service: SenderService;
  readonly points: number;
  readonly strong: boolean;
  readonly matchedBy: string[];
}

/** The evidence lower-cased once (reports keep names as written), and which signatures are the domain's own. */
interface Normalised {
  readonly ptr: string | null;
  readonly ptrVerified: boolean;
  readonly dkim: ReadonlyArray<{ sd: string | null; sel: string | null; result: string; own: boolean }>;
  readonly spf: ReadonlyArray<{ sd: string | null; result: string }>;
}

function normalise(e: SourceEvidence, domain: string): Normalised {
  return {
    ptr: e.ptr?.toLowerCase() ?? null,
    ptrVerified: e.ptrVerified,
    dkim: e.dkim.map((d) => {
      const sd = d.signingDomain?.toLowerCase() ?? null;
      return {
        sd,
        sel: d.selector?.toLowerCase() ?? null,
        result: d.result,
        own: sd !== null && related(sd, domain),
      };
    }),
    spf: e.spf.map((x) => ({ sd: x.domain?.toLowerCase() ?? null, result: x.result })),
  };
}

function score(service: SenderService, e: Normalised): Score {
  let points = 0;
  let strong = false;
  const matchedBy: string[] = [];
  const ptr = e.ptr;
  if (ptr !== null && service.ptr.some((s) => isAtOrBelow(ptr, s))) {
    // Only a forward-confirmed name is the service's word: anyone can write any name into their reverse zone.
    points += e.ptrVerified ? 4 : 1;
    strong ||= e.ptrVerified;
    matchedBy.push(
      `reverse name ${ptr}${e.ptrVerified ? ' (forward-confirmed)' : ' (not forward-confirmed)'}`,
    );
  }
  for (const { sd, result } of e.dkim) {
    if (sd !== null && service.dkim.signingDomains.some((s) => isAtOrBelow(sd, s))) {
      const pass = result === 'pass';
      points += pass ? 4 : 2;
      strong ||= pass;
      matchedBy.push(`DKIM d=${sd} ${result}`);
      break;
    }
  }
  for (const { sd, sel, own } of e.dkim) {
    if (sel === null || !own) continue;
    const pattern = service.dkim.selectors.find((p) => matchesSelector(sel, p));
    if (pattern === undefined) continue;
    // A selector is a name the customer's DNS points at the service: telling, unless it is a wide pattern.
    points += pattern.includes('*') ? 1 : 2;
    matchedBy.push(`DKIM selector ${sel} of d=${sd ?? ''}`);
    break;
  }
  for (const { sd, result } of e.spf) {
    if (sd !== null && service.spf.envelopeDomains.some((x) => isAtOrBelow(sd, x))) {
      const pass = result === 'pass';
      points += pass ? 3 : 1;
      strong ||= pass;
      matchedBy.push(`SPF envelope domain ${sd} ${result}`);
      break;
    }
  }
  return { service, points, strong, matchedBy };
}

/** Fills a catalogue value: {domain}, {domain-dashed}; <...> stays, as the service's console shows it. */
export function fillPlaceholders(value: string, domain: string): string {
  return value.replaceAll('{domain-dashed}', domain.replaceAll('.', '-')).replaceAll('{domain}', domain);
}

/**
 * The one change that makes this source pass DMARC for `domain`. SPF first when the service already sends with
 * the customer's own envelope domain and only the include is missing (the mail-from of a mailbox provider);
 * otherwise DKIM, because the service's own return path never aligns and a signature survives forwarding
 * (RFC 7489 §4.2 needs only one of the two).
 */
export function fixFor(
  service: SenderService,
  e: SourceEvidence,
  domain: string,
  ownSpfMechanisms?: readonly string[],
): SenderFix | null {
  if (e.messages > 0 && e.dmarcPass >= e.messages) return null;
  const include = service.spf.includes[0];
  const mechanism = `include:${include ?? ''}`;
  const own = ownSpfMechanisms?.map((m) => m.toLowerCase());
  const ownEnvelopeFails = e.spf.some(
    (s) => s.domain !== null && related(s.domain.toLowerCase(), domain) && s.result !== 'pass',
  );
  // An include the domain already has did not make these pass (or the reports predate it): DKIM is then the fix.
  if (include !== undefined && ownEnvelopeFails && own?.includes(mechanism) !== true) {
    // `--spf` replaces the list, so the command repeats the mechanisms the domain has.
    const list = own === undefined ? '<your mechanisms> ' : own.map((m) => `${m} `).join('');
    return {
      kind: 'spf-include',
      action:
        `Add ${mechanism} to ${domain}'s own SPF mechanisms ` +
        `(senderd domain set ${domain} --spf ${list}${mechanism}).` +
        (include.includes('<') ? ` ${service.name} shows the exact include in its settings.` : ''),
      mechanism,
      records: [],
      source: service.source,
    };
  }
  const setup = service.dkim.setup;
  if (setup !== null) {
    const type = setup.type === 'cname' ? 'CNAME' : 'TXT';
    const records = setup.records.map((r) => ({
      type,
      name: `${fillPlaceholders(r.name, domain)}.${domain}`,
      value: fillPlaceholders(r.value, domain),
    })) satisfies SenderFixRecord[];
    const names = records.map((r) => r.name);
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    const form = setup.type === 'cname' ? `CNAME${names.length > 1 ? 's' : ''}` : 'TXT key';
    return {
      kind: setup.type === 'cname' ? 'dkim-cname' : 'dkim-txt',
      action: `Let ${service.name} sign as ${domain}: publish ${list} as ${form} (values from ${setup.where}).`,
      mechanism: null,
      records,
      source: service.source,
    };
  }
  return {
    kind: 'service-setup',
    action: `${service.name} cannot be made to pass by a record of ${domain} alone: set it up to send as ${domain} as its documentation says.`,
    mechanism: null,
    records: [],
    source: service.source,
  };
}

/** Names the source from the catalogue and says how it authenticates for `domain` (normalised: lower case). */
export function identifySender(
  catalogue: SenderCatalogue,
  e: SourceEvidence,
  domain: string,
  options: IdentifyOptions = {},
): NamedSender {
  const evidence = normalise(e, domain);
  const scored = catalogue
    .map((s) => score(s, evidence))
    .filter((s) => s.points > 0)
    .sort((a, b) => b.points - a.points);
  const [best, second] = scored;
  // Two services with the same evidence (a selector both use): naming either would be a guess.
  const named = best !== undefined && (second === undefined || second.points < best.points) ? best : null;
  const fix = named === null ? null : fixFor(named.service, e, domain, options.ownSpfMechanisms);
  // The mailbox providers' servers also forward their users' mail (reports.knownForwarders), and forwarding
  // breaks SPF by nature (RFC 7489 §10.1): the same evidence can be the customer's own mailboxes or a forward.
  const note =
    fix !== null && options.forwarder === true
      ? `This address is also a known forwarder: if you do not send through ${named?.service.name ?? 'it'} yourself, these failures are forwarded mail, and no record of yours should change.`
      : null;
  return {
    service:
      named === null
        ? null
        : {
            id: named.service.id,
            name: named.service.name,
            category: named.service.category,
            source: named.service.source,
          },
    confidence: named === null ? null : named.strong ? 'strong' : 'weak',
    matchedBy: named?.matchedBy ?? [],
    dmarc: share(e.dmarcPass, e.messages),
    dkimAligned: share(e.dkimAligned, e.messages),
    spfAligned: share(e.spfAligned, e.messages),
    fix,
    note,
  };
}
