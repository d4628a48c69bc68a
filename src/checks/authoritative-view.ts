import {
  canonicalName,
  type DnsResolver,
  type DnsResponse,
  type DnsServerAddress,
  type RecordType,
} from '../resolver/index.ts';
import type { DelegationCache } from './delegation-cache.ts';
import { followChain, type ChainStep } from './lookup-chain.ts';
import { presentData } from './present.ts';
import type { DnsView, Lookup, NameserverStatus } from './model.ts';
import type { ZoneServer } from './delegation-cache.ts';
import { apexShownBy, classify, type Classified } from './server-reply.ts';
import { findZone, troubleStatus, type ZoneFinderOptions, type ZoneFinding } from './zone-finder.ts';
import { surveyZone, type ZoneSurvey } from './zone-survey.ts';

export interface AuthoritativeViewOptions {
  readonly resolver: DnsResolver;
  /** Where the walk starts: the root servers (or a test's fake root). */
  readonly roots: readonly DnsServerAddress[];
  /** The port of servers learned from referrals: 53 in the world, a random port in tests. */
  readonly port: number;
  readonly delegations: DelegationCache;
}

/**
 * The DNS as the domain's own authoritative servers see it: for each name, the zone that holds it is found by its
 * SOA (zone-finder.ts), every nameserver of that zone is asked (so a lame, silent or stale server shows), and
 * CNAMEs are followed into whatever zone holds their target. Nothing is cached across checks but zone cuts.
 */
export class AuthoritativeView implements DnsView {
  readonly path = 'authoritative' as const;
  readonly label = 'authoritative servers';
  readonly #o: ZoneFinderOptions;
  readonly #memo = new Map<string, Promise<Lookup>>();
  readonly #findings = new Map<string, Promise<ZoneFinding>>();
  readonly #surveys = new Map<string, Promise<ZoneSurvey>>();
  readonly #surveyed = new Map<string, ZoneSurvey>();
  readonly #zoneOf = new Map<string, string>();

  constructor(options: AuthoritativeViewOptions) {
    this.#o = options;
  }

  lookup(name: string, type: RecordType): Promise<Lookup> {
    const key = `${canonicalName(name)}|${type}`;
    let p = this.#memo.get(key);
    if (p === undefined) {
      p = followChain(canonicalName(name), type, (n) => this.#answer(n, type));
      this.#memo.set(key, p);
    }
    return p;
  }

  /** The apex of the zone whose servers answered for `name`, once it was looked up. */
  zoneOf(name: string): string | undefined {
    return this.#zoneOf.get(canonicalName(name));
  }

  /** Every server of the zone at `apex`, each with how it answered for the zone's SOA. */
  async nameservers(apex: string): Promise<NameserverStatus[]> {
    const survey = await this.#surveys.get(apex);
    return survey === undefined ? [] : [...survey.nameservers];
  }

  async #answer(name: string, type: RecordType): Promise<ChainStep> {
    // A zone this check already surveyed may hold the name; if its servers' answer shows that zone (NSD adds
    // the zone's NS or SOA), the SOA question is saved. Otherwise, or if the answer shows another zone, ask.
    const known = this.#surveyedAbove(name);
    let early: Reply[] | undefined;
    if (known !== undefined) {
      early = await this.#askAll(known, name, type);
      const first = early.find((r) => r.result.kind === 'answer');
      if (first?.result.kind === 'answer' && apexShownBy(first.result.response, name) === known.apex)
        return this.#conclude(known, name, early);
    }
    const finding = await this.#find(name);
    if (!finding.ok)
      return {
        status: finding.status,
        answers: [],
        server: finding.server,
        detail: finding.detail,
        disagreements: [],
      };
    const zone = await this.#survey(finding);
    // The SOA confirmed the zone already asked: its servers' replies stand.
    if (early !== undefined && zone === known) return this.#conclude(zone, name, early);
    return this.#conclude(zone, name, await this.#askAll(zone, name, type));
  }

  /** Every answering server of the zone asked: a stale or broken one is a finding (RFC 1912 §2.8). */
  #askAll(zone: ZoneSurvey, name: string, type: RecordType): Promise<Reply[]> {
    const servers = zone.answering.length > 0 ? zone.answering : zone.servers;
    return Promise.all(
      servers.map(async (server) => {
        const response = await this.#o.resolver.query({
          name,
          type,
          server: server.address,
          recursionDesired: false,
        });
        return { server, result: classify(response, zone.apex, name) };
      }),
    );
  }

  /** The deepest zone at or above `name` that this check has surveyed already. */
  #surveyedAbove(name: string): ZoneSurvey | undefined {
    for (let here = name; ; here = here.slice(here.indexOf('.') + 1)) {
      const survey = this.#surveyed.get(here);
      if (survey !== undefined) return survey;
      if (!here.includes('.')) return undefined;
    }
  }

  /** One name's step of the chain, from the replies of its zone's servers. */
  #conclude(zone: ZoneSurvey, name: string, replies: readonly Reply[]): ChainStep {
    this.#zoneOf.set(name, zone.apex);
    const first = replies.find((r) => r.result.kind === 'answer');
    if (first === undefined || first.result.kind !== 'answer') {
      const kinds = replies.map((r) => r.result.kind);
      return {
        status: troubleStatus(kinds),
        answers: [],
        server: replies.map((r) => r.server.label).join(', '),
        detail: replies
          .map((r) => `${r.server.label}: ${'detail' in r.result ? r.result.detail : r.result.kind}`)
          .join('; '),
        disagreements: [],
      };
    }
    const mine = signature(first.result.response, name);
    const disagreements = replies.flatMap(({ server, result }) => {
      if (server === first.server) return [];
      if (result.kind === 'answer') {
        const theirs = signature(result.response, name);
        return theirs === mine ? [] : [`${server.label} answers ${theirs}`];
      }
      return [`${server.label} gives no answer (${'detail' in result ? result.detail : result.kind})`];
    });
    const response = first.result.response;
    return {
      status: response.rcode === 'NXDOMAIN' ? 'nxdomain' : 'found',
      answers: response.answers,
      server: first.server.label,
      disagreements,
    };
  }

  #find(name: string): Promise<ZoneFinding> {
    let p = this.#findings.get(name);
    if (p === undefined) {
      p = findZone(name, this.#o, 0, (parent) => this.#find(parent));
      this.#findings.set(name, p);
    }
    return p;
  }

  #survey(finding: Extract<ZoneFinding, { ok: true }>): Promise<ZoneSurvey> {
    let p = this.#surveys.get(finding.apex);
    if (p === undefined) {
      p = surveyZone(finding, this.#o).then((survey) => {
        this.#surveyed.set(survey.apex, survey);
        return survey;
      });
      this.#surveys.set(finding.apex, p);
    }
    return p;
  }
}

interface Reply {
  readonly server: ZoneServer;
  readonly result: Classified;
}

/**
 * What a server said about the name itself (rcode and the records owned by the name), to compare servers. Data
 * a server adds by following a CNAME into another zone it also serves is left out: that differs legitimately.
 */
function signature(response: Extract<DnsResponse, { outcome: 'response' }>, name: string): string {
  const records = response.answers
    .filter((r) => r.name === name)
    .map((r) => `${r.data.type} ${presentData(r.data)}`)
    .sort();
  // With a CNAME at the name, the rcode speaks of the chain's end (RFC 6604 §2), so only the records count.
  if (records.length > 0) return records.join(', ');
  return response.rcode === 'NOERROR' ? 'no records' : response.rcode;
}
