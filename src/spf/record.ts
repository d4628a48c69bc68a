import { err, ok, type Result } from '../core/index.ts';
import { parseIpv4, parseIpv6, type IpAddress } from '../ip/index.ts';
import { parseDomainSpec, parseMacroString } from './macro.ts';
import type { Directive, Mechanism, Qualifier, SpfRecord } from './model.ts';

/**
 * SPF record syntax (RFC 7208 §4.5, §4.6.1, §5, §6 and the ABNF of §12). Parsing is all or nothing: "If there
 * are any syntax errors anywhere in the record, check_host() returns immediately with the result permerror"
 * (RFC 7208 §4.6).
 */

/** RFC 7208 §4.5: a record begins with "v=spf1" followed by a space or the end of the record. */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

const CIDR4 = '(?:0|[1-9]\\d?)';
const CIDR6 = '(?:0|[1-9]\\d{0,2})';
const DUAL_CIDR = new RegExp(`^(.*?)(?:/(${CIDR4}))?(?://(${CIDR6}))?$`);
const MODIFIER = /^([a-z][a-z0-9\-_.]*)=(.*)$/i;

export function parseSpfRecord(text: string): Result<SpfRecord, string> {
  if (!isSpfRecord(text)) return err('the record does not start with v=spf1');
  // RFC 7208 §4.6.1: terms are separated by one or more spaces; nothing else (no tabs, no control characters).
  const terms = text
    .slice(6)
    .split(' ')
    .filter((t) => t !== '');
  const directives: Directive[] = [];
  const unknownModifiers: string[] = [];
  let redirect: string | null = null;
  let exp: string | null = null;
  for (const term of terms) {
    const modifier = MODIFIER.exec(term);
    if (modifier) {
      const name = modifier[1]!.toLowerCase();
      const value = modifier[2]!;
      if (name === 'redirect' || name === 'exp') {
        // RFC 7208 §6: each of these MUST NOT appear more than once.
        if ((name === 'redirect' ? redirect : exp) !== null)
          return err(`${name}= appears twice (RFC 7208 §6)`);
        const spec = parseDomainSpec(value);
        if (!spec.ok) return err(`${name}=${value}: ${spec.error}`);
        if (name === 'redirect') redirect = value;
        else exp = value;
      } else {
        const spec = parseMacroString(value);
        if (!spec.ok) return err(`${term}: ${spec.error}`);
        unknownModifiers.push(term);
      }
      continue;
    }
    const directive = parseDirective(term);
    if (!directive.ok) return directive;
    directives.push(directive.value);
  }
  return ok({ directives, redirect, exp, unknownModifiers });
}

function parseDirective(term: string): Result<Directive, string> {
  const qualifier: Qualifier = '+-~?'.includes(term[0]!) ? (term[0] as Qualifier) : '+';
  const body = '+-~?'.includes(term[0]!) ? term.slice(1) : term;
  const m = /^([a-z0-9]+)(.*)$/i.exec(body);
  if (m === null) return err(`"${term}" is not a mechanism or a modifier (RFC 7208 §4.6.1)`);
  const name = m[1]!.toLowerCase();
  const rest = m[2]!;
  const mechanism = parseMechanism(name, rest, term);
  if (!mechanism.ok) return mechanism;
  return ok({ qualifier, mechanism: mechanism.value, text: term });
}

function parseMechanism(name: string, rest: string, term: string): Result<Mechanism, string> {
  const bad = (why: string) => err(`"${term}": ${why}`);
  switch (name) {
    case 'all':
      return rest === '' ? ok({ kind: 'all' }) : bad('"all" takes no argument (RFC 7208 §5.1)');
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':')) return bad(`${name} needs ":" and a domain (RFC 7208 §5.2, §5.7)`);
      const spec = parseDomainSpec(rest.slice(1));
      return spec.ok ? ok({ kind: name, domainSpec: rest.slice(1) }) : bad(spec.error);
    }
    case 'a':
    case 'mx': {
      const cidr = DUAL_CIDR.exec(rest)!;
      const target = cidr[1]!;
      const cidr4 = cidr[2] === undefined ? 32 : Number(cidr[2]);
      const cidr6 = cidr[3] === undefined ? 128 : Number(cidr[3]);
      if (cidr4 > 32 || cidr6 > 128) return bad('the prefix length is out of range (RFC 7208 §5.6)');
      if (target === '') return ok({ kind: name, domainSpec: null, cidr4, cidr6 });
      if (!target.startsWith(':')) return bad('unexpected text after the mechanism name');
      const spec = parseDomainSpec(target.slice(1));
      return spec.ok ? ok({ kind: name, domainSpec: target.slice(1), cidr4, cidr6 }) : bad(spec.error);
    }
    case 'ptr': {
      if (rest === '') return ok({ kind: 'ptr', domainSpec: null });
      if (!rest.startsWith(':')) return bad('unexpected text after "ptr"');
      const spec = parseDomainSpec(rest.slice(1));
      return spec.ok ? ok({ kind: 'ptr', domainSpec: rest.slice(1) }) : bad(spec.error);
    }
    case 'ip4':
    case 'ip6': {
      const m = new RegExp(`^:([^/]+)(?:/(${name === 'ip4' ? CIDR4 : CIDR6}))?$`).exec(rest);
      if (m === null)
        return bad(`${name} needs ":" and an address, with an optional /prefix (RFC 7208 §5.6)`);
      const network = name === 'ip4' ? parseIpv4(m[1]!) : parseIp6Network(m[1]!);
      const max = name === 'ip4' ? 32 : 128;
      const prefix = m[2] === undefined ? max : Number(m[2]);
      if (network === null) return bad(`"${m[1]}" is not an IPv${name === 'ip4' ? 4 : 6} address`);
      if (prefix > max) return bad(`/${prefix} is longer than ${max} bits (RFC 7208 §5.6)`);
      return ok({ kind: name, network, prefix, text: m[1]! });
    }
    default:
      return bad(`"${name}" is not an SPF mechanism (RFC 7208 §5)`);
  }
}

/** RFC 7208 §5.6: ip6-network is an IP6address (RFC 4291 §2.2), with no zone index. */
function parseIp6Network(text: string): IpAddress | null {
  const ip = parseIpv6(text);
  return ip === null || ip.zone !== undefined ? null : ip;
}
