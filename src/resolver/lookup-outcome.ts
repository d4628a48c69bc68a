import {
  canonicalName,
  formatServer,
  type DnsResponse,
  type RecordType,
  type ResourceData,
  type ResourceRecord,
} from './model.ts';

/**
 * What a capability wants to know of the DNS ("the TXT records of this name") and the one mapping of a
 * recursive resolver's reply onto it (STYLE.md: outcomes are data). NXDOMAIN and NODATA are answers a caller acts
 * on; a timeout, SERVFAIL, REFUSED or an unreachable server is a temporary failure; a name no query can carry is
 * permanent.
 */
export type LookupOutcome<T> =
  /** At least one record of the type asked, at the name or at the end of its CNAME chain. */
  | { readonly kind: 'answer'; readonly records: readonly T[] }
  /** The name exists but has no records of this type (RFC 2308 §2.2). */
  | { readonly kind: 'nodata' }
  /** The name does not exist (RFC 2308 §2.1), possibly at the end of a CNAME chain. */
  | { readonly kind: 'nxdomain' }
  /** The name cannot be put in a query at all: an empty or overlong label, a space, too long (permanent). */
  | { readonly kind: 'badname' }
  /** Timeout, SERVFAIL, REFUSED, an unreachable server or a broken reply: ask again later. */
  | { readonly kind: 'error'; readonly reason: string };

/** RFC 1034 §3.6.2 and RFC 1912 §2.4: a chain longer than this is treated as broken. */
const MAX_CNAME_LINKS = 8;

/**
 * Why `name` cannot be asked for, or null: RFC 1035 §2.3.4 (labels of 1–63 octets, 255 octets on the wire) and no
 * spaces or control characters (c-ares refuses those too, as EBADNAME). One trailing dot is allowed.
 */
export function queryNameProblem(name: string): string | null {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return null;
  for (let i = 0; i < bare.length; i++) {
    const c = bare.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return 'a space or control character';
  }
  let wire = 1;
  for (const label of bare.split('.')) {
    const octets = Buffer.byteLength(label);
    if (octets === 0) return 'an empty label';
    if (octets > 63) return 'a label longer than 63 octets';
    wire += octets + 1;
  }
  return wire > 255 ? 'longer than 255 octets' : null;
}

/**
 * The records of `type` for `name` in a recursive resolver's answer section: those at the name, or, if it is an
 * alias, at the end of the CNAME chain the resolver followed (RFC 1034 §4.3.2). A loop yields nothing.
 */
export function answerRecords(
  answers: readonly ResourceRecord[],
  name: string,
  type: RecordType,
): ResourceRecord[] {
  let owner = canonicalName(name);
  const seen = new Set([owner]);
  for (let link = 0; link <= MAX_CNAME_LINKS; link++) {
    const records = answers.filter((r) => r.name === owner && r.data.type === type);
    if (records.length > 0 || type === 'CNAME') return records;
    const cname = answers.find((r) => r.name === owner && r.data.type === 'CNAME');
    if (cname === undefined || cname.data.type !== 'CNAME' || seen.has(cname.data.target)) return [];
    owner = cname.data.target;
    seen.add(owner);
  }
  return [];
}

/** The one mapping from a recursive resolver's reply to a lookup outcome. */
export function lookupOutcome(
  response: DnsResponse,
  name: string,
  type: RecordType,
): LookupOutcome<ResourceData> {
  const from = formatServer(response.server);
  switch (response.outcome) {
    case 'timeout':
      return { kind: 'error', reason: `no answer from ${from} in time` };
    case 'failure':
      return { kind: 'error', reason: `${from}: ${response.reason}` };
    case 'response':
      break;
  }
  if (response.rcode === 'NXDOMAIN') return { kind: 'nxdomain' };
  if (response.rcode !== 'NOERROR') return { kind: 'error', reason: `${response.rcode} from ${from}` };
  const records = answerRecords(response.answers, name, type).map((r) => r.data);
  return records.length > 0 ? { kind: 'answer', records } : { kind: 'nodata' };
}

/** An outcome with its records turned into what the caller wants; records the function skips are left out. */
export function mapOutcome<T, U>(
  outcome: LookupOutcome<T>,
  map: (record: T) => U | undefined,
): LookupOutcome<U> {
  if (outcome.kind !== 'answer') return outcome;
  const records = outcome.records.flatMap((r) => {
    const u = map(r);
    return u === undefined ? [] : [u];
  });
  return records.length > 0 ? { kind: 'answer', records } : { kind: 'nodata' };
}
