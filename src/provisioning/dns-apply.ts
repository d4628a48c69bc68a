import type { RandomSource } from '../core/index.ts';
import type { TsigKey } from '../dns-wire/index.ts';
import type { RecordPlan } from '../domains/index.ts';
import {
  sendUpdate,
  type DnsResolver,
  type DnsServerAddress,
  type RecordType,
  type UpdateOutcome,
} from '../resolver/index.ts';
import { describeOutcome } from './update-outcome.ts';
import { planUpdate, type ApplyItem, type NameState } from './update-plan.ts';

export interface DnsApplyDeps {
  readonly resolver: DnsResolver;
  readonly random: RandomSource;
  /** Seconds since the epoch (TSIG's Time Signed). */
  readonly now: () => number;
  readonly timeoutMs: number;
}

export interface DnsApplyRequest {
  readonly plan: RecordPlan;
  /** The zone's primary server, which accepts dynamic updates. */
  readonly server: DnsServerAddress;
  readonly key: TsigKey | null;
  /** Show the difference only; send nothing. */
  readonly dryRun: boolean;
}

/** What `dns apply` did, as data: the zone, the difference, and the server's verdict when an update was sent. */
export interface DnsApplyResult {
  readonly zone: string;
  readonly items: readonly ApplyItem[];
  /** 'dry-run' and 'nothing-to-do' send nothing. */
  readonly sent: 'dry-run' | 'nothing-to-do' | 'sent';
  readonly outcome: UpdateOutcome | null;
  /** For people: what happened and, on a refusal, what to do. Never holds the key's secret. */
  readonly message: string;
}

/**
 * Writes a domain's record plan into the customer's own zone with an RFC 2136 dynamic update: the zone that holds
 * the domain is found from the server's SOA, each planned name is read from the server, the difference is planned
 * (update-plan.ts), and one signed, all-or-nothing update is sent.
 */
export async function applyPlan(request: DnsApplyRequest, deps: DnsApplyDeps): Promise<DnsApplyResult> {
  const zone = await zoneAt(request, deps);
  if (typeof zone !== 'string')
    return {
      zone: '',
      items: [],
      sent: 'nothing-to-do',
      outcome: zone,
      message: describeOutcome(zone, request),
    };
  const names = [...new Set(request.plan.customer.map((r) => r.name))];
  const state = new Map<string, NameState>();
  for (const name of names) {
    const read = await readName(name, request.server, deps);
    if ('kind' in read)
      return {
        zone,
        items: [],
        sent: 'nothing-to-do',
        outcome: read,
        message: describeOutcome(read, request),
      };
    state.set(name, read);
  }
  const update = planUpdate(request.plan, state);
  const conflicts = update.items.filter((i) => i.action === 'conflict').length;
  const tail =
    conflicts > 0 ? ` ${conflicts} record${conflicts > 1 ? 's' : ''} left alone (conflict): see below.` : '';
  if (update.changes.length === 0)
    return {
      zone,
      items: update.items,
      sent: 'nothing-to-do',
      outcome: null,
      message: `Nothing to change in ${zone}.${tail}`,
    };
  if (request.dryRun)
    return {
      zone,
      items: update.items,
      sent: 'dry-run',
      outcome: null,
      message: `Dry run: ${update.changes.length} change${update.changes.length > 1 ? 's' : ''} would be sent to ${zone}; nothing was sent.${tail}`,
    };
  const outcome = await sendUpdate({
    server: request.server,
    zone,
    prerequisites: update.prerequisites,
    changes: update.changes,
    key: request.key,
    now: deps.now,
    random: deps.random,
    timeoutMs: deps.timeoutMs,
  });
  return {
    zone,
    items: update.items,
    sent: 'sent',
    outcome,
    message: describeOutcome(outcome, request, zone) + tail,
  };
}

/** The apex of the zone holding the domain on that server: its SOA (RFC 2136 §2.3 names the zone by it). */
async function zoneAt(request: DnsApplyRequest, deps: DnsApplyDeps): Promise<string | UpdateOutcome> {
  const name = request.plan.domain;
  const r = await deps.resolver.query({ name, type: 'SOA', server: request.server, recursionDesired: false });
  if (r.outcome === 'timeout') return { kind: 'failure', reason: 'the server did not answer in time' };
  if (r.outcome === 'failure') return { kind: 'failure', reason: r.reason };
  if (!r.flags.aa || (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN'))
    return { kind: 'refused', rcode: r.flags.aa ? r.rcode : 'NOTAUTH', tsigError: null };
  const soa = [...r.answers, ...r.authority].find(
    (x) => x.data.type === 'SOA' && (name === x.name || name.endsWith(`.${x.name}`)),
  );
  return soa?.name ?? { kind: 'refused', rcode: 'NOTAUTH', tsigError: null };
}

async function readName(
  name: string,
  server: DnsServerAddress,
  deps: DnsApplyDeps,
): Promise<NameState | UpdateOutcome> {
  const ask = async (type: RecordType) => {
    const r = await deps.resolver.query({ name, type, server, recursionDesired: false });
    if (r.outcome !== 'response')
      return {
        kind: 'failure' as const,
        reason: `reading ${name} ${type}: ${r.outcome === 'timeout' ? 'no answer in time' : r.reason}`,
      };
    if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
      return { kind: 'failure' as const, reason: `reading ${name} ${type}: ${r.rcode}` };
    return r.answers.filter((a) => a.name === name);
  };
  const [cname, txt, mx] = await Promise.all([ask('CNAME'), ask('TXT'), ask('MX')]);
  for (const x of [cname, txt, mx]) if ('kind' in x) return x;
  const records = [cname, txt, mx].flatMap((x) => ('kind' in x ? [] : x));
  const target = records.find((a) => a.data.type === 'CNAME');
  return {
    cname: target?.data.type === 'CNAME' ? target.data.target : null,
    txt: records.flatMap((a) => (a.data.type === 'TXT' ? [a.data.strings] : [])),
    mx: records.flatMap((a) =>
      a.data.type === 'MX' ? [{ preference: a.data.preference, exchange: a.data.exchange }] : [],
    ),
  };
}
