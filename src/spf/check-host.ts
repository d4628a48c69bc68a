import { cidrContains, formatIp, parseIp, reverseName, sameIp, type IpAddress } from '../ip/index.ts';
import { joinTxt } from '../resolver/index.ts';
import { dottedIp, parseClientIp } from './client-ip.ts';
import { expandMacros, parseDomainSpec, parseMacroString, truncateDomain } from './macro.ts';
import type {
  CheckHostInput,
  CheckHostOptions,
  Directive,
  Qualifier,
  SpfDnsAnswer,
  SpfOutcome,
  SpfResult,
  SpfStep,
} from './model.ts';
import { isSpfRecord, parseSpfRecord } from './record.ts';

/**
 * check_host() of RFC 7208 §4: fetch the record, parse it, evaluate its mechanisms left to right, then the
 * redirect, with the processing limits of §4.6.4. Every outcome, including DNS trouble, is a result.
 */
export async function checkHost(input: CheckHostInput, options: CheckHostOptions): Promise<SpfOutcome> {
  const ip = parseClientIp(input.ip);
  const evaluation = new Evaluation(input, ip, options);
  if (ip === null)
    return evaluation.finish({ result: 'permerror', reason: `"${input.ip}" is not an IP address` });
  const verdict = await evaluation.evaluate(stripDot(input.domain), [], 'top');
  return evaluation.finish(verdict);
}

interface Verdict {
  readonly result: SpfResult;
  readonly reason: string;
  readonly explanation?: string;
  readonly matched?: { readonly term: string; readonly domain: string };
}

const QUALIFIED: Record<Qualifier, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** Unwinds a whole evaluation when a processing limit is passed; caught in evaluate() and turned into data. */
class LimitExceeded extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

class Evaluation {
  readonly #input: CheckHostInput;
  readonly #ip: IpAddress | null;
  readonly #options: CheckHostOptions;
  readonly #maxLookups: number;
  readonly #maxVoid: number;
  #lookups = 0;
  #voids = 0;
  readonly #steps: SpfStep[] = [];

  constructor(input: CheckHostInput, ip: IpAddress | null, options: CheckHostOptions) {
    this.#input = input;
    this.#ip = ip;
    this.#options = options;
    this.#maxLookups = options.maxLookups ?? 10;
    this.#maxVoid = options.maxVoidLookups ?? 2;
  }

  finish(v: Verdict): SpfOutcome {
    return { ...v, lookups: this.#lookups, voidLookups: this.#voids, steps: this.#steps };
  }

  get #client(): IpAddress {
    return this.#ip!;
  }

  async evaluate(
    domain: string,
    path: readonly string[],
    role: 'top' | 'include' | 'redirect',
  ): Promise<Verdict> {
    // RFC 7208 §4.3: a malformed or single-label domain gives "none".
    const problem = domainProblem(domain);
    if (problem !== null) return { result: 'none', reason: `${domain || '(empty)'}: ${problem}` };
    const here = [...path, domain];
    const txt = await this.#options.dns.lookup(domain, 'TXT');
    if (txt.status === 'temperror')
      return { result: 'temperror', reason: `the TXT lookup of ${domain} failed: ${txt.reason}` };
    if (txt.status !== 'found') return { result: 'none', reason: `${domain} has no SPF record` };
    const texts = txt.records.flatMap((r) => (r.type === 'TXT' ? [joinTxt(r)] : []));
    const spf = texts.filter(isSpfRecord);
    if (spf.length === 0) return { result: 'none', reason: `${domain} has no SPF record` };
    // RFC 7208 §4.5: more than one record is a permerror, not a choice.
    if (spf.length > 1)
      return { result: 'permerror', reason: `${domain} has ${spf.length} SPF records (RFC 7208 §4.5)` };
    const parsed = parseSpfRecord(spf[0]!);
    if (!parsed.ok) return { result: 'permerror', reason: `${domain}: ${parsed.error}` };
    const record = parsed.value;

    try {
      let first: Verdict | undefined;
      for (const directive of record.directives) {
        const outcome = await this.#match(directive, domain, here);
        if (outcome === 'match') {
          const verdict: Verdict = {
            result: QUALIFIED[directive.qualifier],
            reason: `${directive.text} in ${domain}`,
            matched: { term: directive.text, domain },
          };
          if (!this.#options.exhaustive) return await this.#explain(verdict, record.exp, domain, role);
          first ??= verdict;
          continue;
        }
        if (outcome !== 'no-match') {
          if (!this.#options.exhaustive || outcome.result === 'permerror') return outcome;
          first ??= outcome;
        }
      }
      // RFC 7208 §6.1: redirect is used only when nothing matched, and ignored when "all" is present.
      const hasAll = record.directives.some((d) => d.mechanism.kind === 'all');
      if (record.redirect !== null && !hasAll && (first === undefined || this.#options.exhaustive)) {
        this.#count(here, `redirect=${record.redirect}`);
        const target = await this.#expandDomain(record.redirect, domain);
        if (target === null)
          return { result: 'permerror', reason: `redirect=${record.redirect}: bad expansion` };
        if (here.includes(target))
          return { result: 'permerror', reason: `a redirect loop: ${[...here, target].join(' → ')}` };
        const inner = await this.evaluate(target, here, 'redirect');
        // RFC 7208 §6.1: a redirect to a domain without a record is a permerror.
        if (inner.result === 'none')
          return { result: 'permerror', reason: `redirect=${target} has no SPF record (RFC 7208 §6.1)` };
        return first ?? inner;
      }
      return first ?? { result: 'neutral', reason: `nothing in ${domain}'s record matched (RFC 7208 §4.7)` };
    } catch (error) {
      if (error instanceof LimitExceeded) return { result: 'permerror', reason: error.reason };
      throw error;
    }
  }

  /** RFC 7208 §6.2: the explanation is looked up only for a fail, and never from an included record. */
  async #explain(verdict: Verdict, exp: string | null, domain: string, role: string): Promise<Verdict> {
    if (verdict.result !== 'fail' || role === 'include') return verdict;
    const fallback = this.#options.defaultExplanation;
    const withDefault = fallback === undefined ? verdict : { ...verdict, explanation: fallback };
    if (exp === null) return withDefault;
    const target = await this.#expandDomain(exp, domain);
    if (target === null || domainProblem(target) !== null) return withDefault;
    // Explanation lookups count towards neither limit (RFC 7208 §6.2, suite "exp-void").
    const txt = await this.#options.dns.lookup(target, 'TXT');
    if (txt.status !== 'found') return withDefault;
    const texts = txt.records.flatMap((r) => (r.type === 'TXT' ? [joinTxt(r)] : []));
    if (texts.length !== 1) return withDefault;
    const tokens = parseMacroString(texts[0]!, true);
    if (!tokens.ok) return withDefault;
    return { ...verdict, explanation: await expandMacros(tokens.value, this.#macroValues(domain)) };
  }

  #count(path: readonly string[], term: string): void {
    this.#lookups++;
    if (this.#lookups > this.#maxLookups) {
      this.#steps.push(this.#step(path, term, true, false, 'over the limit'));
      throw new LimitExceeded(
        `more than ${this.#maxLookups} DNS lookups (RFC 7208 §4.6.4), the ${this.#lookups}th at ${term} in ${path.at(-1)}`,
      );
    }
    this.#steps.push(this.#step(path, term, true, false));
  }

  #void(path: readonly string[], term: string): void {
    this.#voids++;
    const last = this.#steps.at(-1);
    if (last !== undefined && last.term === term)
      this.#steps[this.#steps.length - 1] = { ...last, void: true, voidLookupsSoFar: this.#voids };
    if (this.#voids > this.#maxVoid)
      throw new LimitExceeded(
        `more than ${this.#maxVoid} void lookups (RFC 7208 §4.6.4), the last at ${term} in ${path.at(-1)}`,
      );
  }

  #step(path: readonly string[], term: string, lookup: boolean, isVoid: boolean, note?: string): SpfStep {
    return {
      path,
      term,
      lookup,
      void: isVoid,
      lookupsSoFar: this.#lookups,
      voidLookupsSoFar: this.#voids,
      ...(note === undefined ? {} : { note }),
    };
  }

  async #match(
    d: Directive,
    domain: string,
    path: readonly string[],
  ): Promise<'match' | 'no-match' | Verdict> {
    const m = d.mechanism;
    const ip = this.#client;
    switch (m.kind) {
      case 'all':
        return 'match';
      case 'ip4':
      case 'ip6':
        // An ip6 network never holds an IPv4 client, even an IPv4-mapped one (RFC 7208 §5).
        return cidrContains({ address: m.network, prefix: m.prefix }, ip) ? 'match' : 'no-match';
      case 'include': {
        this.#count(path, d.text);
        const target = await this.#expandDomain(m.domainSpec, domain);
        if (target === null) return { result: 'permerror', reason: `${d.text}: bad expansion` };
        if (path.includes(target))
          return { result: 'permerror', reason: `an include loop: ${[...path, target].join(' → ')}` };
        const inner = await this.evaluate(target, path, 'include');
        // RFC 7208 §5.2: the include table.
        switch (inner.result) {
          case 'pass':
            return 'match';
          case 'fail':
          case 'softfail':
          case 'neutral':
            return 'no-match';
          case 'temperror':
            return inner;
          case 'permerror':
            return inner;
          case 'none':
            return { result: 'permerror', reason: `${d.text}: ${target} has no SPF record (RFC 7208 §5.2)` };
        }
        return 'no-match';
      }
      case 'a':
      case 'mx':
      case 'ptr':
      case 'exists': {
        this.#count(path, d.text);
        const spec = m.domainSpec;
        const target = spec === null ? domain : await this.#expandDomain(spec, domain);
        if (target === null) return { result: 'permerror', reason: `${d.text}: bad expansion` };
        if (m.kind === 'exists') return this.#exists(target, d.text, path);
        if (m.kind === 'a') return this.#addressMatch(target, m.cidr4, m.cidr6, d.text, path, true);
        if (m.kind === 'mx') return this.#mx(target, m.cidr4, m.cidr6, d.text, path);
        return this.#ptr(target, d.text, path);
      }
    }
  }

  async #exists(
    target: string,
    term: string,
    path: readonly string[],
  ): Promise<'match' | 'no-match' | Verdict> {
    // RFC 7208 §5.7: always an A query, whatever the client's address family.
    const answer = await this.#lookup(target, 'A');
    if (answer.status === 'temperror') return { result: 'temperror', reason: `${term}: ${answer.reason}` };
    if (answer.status !== 'found' || answer.records.length === 0) {
      this.#void(path, term);
      return 'no-match';
    }
    return 'match';
  }

  async #addressMatch(
    target: string,
    cidr4: number,
    cidr6: number,
    term: string,
    path: readonly string[],
    countVoid: boolean,
  ): Promise<'match' | 'no-match' | Verdict> {
    const ip = this.#client;
    const answer = await this.#lookup(target, ip.family === 4 ? 'A' : 'AAAA');
    if (answer.status === 'temperror') return { result: 'temperror', reason: `${term}: ${answer.reason}` };
    if (answer.status !== 'found' || answer.records.length === 0) {
      if (countVoid) this.#void(path, term);
      return 'no-match';
    }
    const prefix = ip.family === 4 ? cidr4 : cidr6;
    for (const r of answer.records) {
      if (r.type !== 'A' && r.type !== 'AAAA') continue;
      const address = parseIp(r.address);
      if (address !== null && cidrContains({ address, prefix }, ip)) return 'match';
    }
    return 'no-match';
  }

  async #mx(target: string, cidr4: number, cidr6: number, term: string, path: readonly string[]) {
    const answer = await this.#lookup(target, 'MX');
    if (answer.status === 'temperror')
      return { result: 'temperror', reason: `${term}: ${answer.reason}` } as Verdict;
    const exchanges =
      answer.status === 'found' ? answer.records.flatMap((r) => (r.type === 'MX' ? [r.exchange] : [])) : [];
    if (exchanges.length === 0) {
      this.#void(path, term);
      return 'no-match' as const;
    }
    // RFC 7208 §4.6.4: an "mx" that would need more than 10 address lookups is a permerror.
    if (exchanges.length > 10)
      return {
        result: 'permerror',
        reason: `${term}: ${target} has ${exchanges.length} MX records, more than 10 (RFC 7208 §4.6.4)`,
      } as Verdict;
    let trouble: Verdict | undefined;
    for (const exchange of exchanges) {
      const r = await this.#addressMatch(exchange, cidr4, cidr6, term, path, false);
      if (r === 'match') return 'match' as const;
      if (r !== 'no-match') trouble ??= r;
    }
    return trouble ?? ('no-match' as const);
  }

  async #ptr(target: string, term: string, path: readonly string[]): Promise<'match' | 'no-match' | Verdict> {
    const names = await this.#validatedNames(() => this.#void(path, term));
    // RFC 7208 §5.5: a validated name equal to or under the target matches.
    return names.some((n) => n === target || n.endsWith(`.${target}`)) ? 'match' : 'no-match';
  }

  /**
   * RFC 7208 §5.5: the PTR names of the client whose own addresses include the client, at most 10 of them.
   * A DNS error during the PTR lookup means "no match", not temperror.
   */
  async #validatedNames(onVoid?: () => void): Promise<string[]> {
    const ip = this.#client;
    const ptr = await this.#lookup(reverseName(ip), 'PTR');
    if (ptr.status !== 'found' || ptr.records.length === 0) {
      if (ptr.status !== 'temperror') onVoid?.();
      return [];
    }
    const names = ptr.records.flatMap((r) => (r.type === 'PTR' ? [stripDot(r.target)] : [])).slice(0, 10);
    const validated: string[] = [];
    for (const name of names) {
      const answer = await this.#lookup(name, ip.family === 4 ? 'A' : 'AAAA');
      if (answer.status !== 'found') continue;
      const hit = answer.records.some((r) => {
        if (r.type !== 'A' && r.type !== 'AAAA') return false;
        const a = parseIp(r.address);
        return a !== null && sameIp(a, ip);
      });
      if (hit) validated.push(name);
    }
    return validated;
  }

  #lookup(name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR'): Promise<SpfDnsAnswer> {
    // A name with an overlong or empty label cannot be looked up; treat it as not existing (suite "longlabel").
    if (domainProblem(name) !== null && !name.endsWith('.arpa'))
      return Promise.resolve({ status: 'nxdomain' });
    return this.#options.dns.lookup(name, type);
  }

  async #expandDomain(spec: string, domain: string): Promise<string | null> {
    const tokens = parseDomainSpec(spec);
    if (!tokens.ok) return null;
    const expanded = await expandMacros(tokens.value, this.#macroValues(domain));
    return truncateDomain(expanded).toLowerCase();
  }

  #macroValues(domain: string) {
    const sender = this.#input.sender;
    const at = sender.lastIndexOf('@');
    const local = at > 0 ? sender.slice(0, at) : 'postmaster';
    const senderDomain = at >= 0 ? sender.slice(at + 1) : sender;
    const ip = this.#client;
    let validated: Promise<string> | undefined;
    return {
      values: {
        s: `${local}@${senderDomain}`,
        l: local,
        o: senderDomain,
        d: domain,
        i: dottedIp(ip),
        v: ip.family === 4 ? 'in-addr' : 'ip6',
        h: this.#input.helo,
        c: formatIp(ip),
        r: this.#options.receivingHost ?? 'unknown',
        t: String(Math.floor(this.#options.now?.() ?? Date.now() / 1000)),
      },
      // RFC 7208 §7.3: %{p} is a validated name, preferring the domain itself, then a subdomain of it.
      validatedName: () =>
        (validated ??= this.#validatedNames().then((names) => {
          const pick =
            names.find((n) => n === domain) ?? names.find((n) => n.endsWith(`.${domain}`)) ?? names[0];
          return pick ?? 'unknown';
        })),
    };
  }
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** RFC 7208 §4.3: why a domain cannot be checked, or null if it can. */
export function domainProblem(domain: string): string | null {
  if (domain.startsWith('[')) return 'a domain literal, not a domain name';
  const name = stripDot(domain);
  if (name.length > 253) return 'the name is longer than 253 characters';
  const labels = name.split('.');
  if (labels.length < 2) return 'not a fully qualified domain name';
  if (labels.some((l) => l === '')) return 'an empty label';
  if (labels.some((l) => l.length > 63)) return 'a label longer than 63 characters';
  return null;
}
