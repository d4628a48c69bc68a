import { presentValue, splitTxtStrings, type PlannedRecord, type RecordPlan } from '../domains/index.ts';
import {
  joinTxt,
  type Change,
  type Prerequisite,
  type UpdateData,
  type UpdateRecord,
} from '../resolver/index.ts';
import { isSpfRecord, mergeInclude } from '../spf/index.ts';

/** What the customer's zone holds at one planned name, as its primary server answered. */
export interface NameState {
  readonly cname: string | null;
  /** Each TXT record's character-strings, as on the wire. */
  readonly txt: ReadonlyArray<readonly Uint8Array[]>;
  readonly mx: ReadonlyArray<{ readonly preference: number; readonly exchange: string }>;
}

export type ItemAction = 'add' | 'replace' | 'unchanged' | 'conflict';

/** One line of the difference shown before anything is written. */
export interface ApplyItem {
  readonly action: ItemAction;
  readonly name: string;
  readonly type: string;
  /** The value senderd wants there (for `replace`, the merged value). */
  readonly value: string;
  /** What is there now, when something is. */
  readonly current: string | null;
  /** Why, for `conflict` and `replace`. */
  readonly reason: string | null;
}

export interface UpdatePlan {
  readonly items: readonly ApplyItem[];
  readonly prerequisites: readonly Prerequisite[];
  readonly changes: readonly Change[];
}

const EMPTY: NameState = { cname: null, txt: [], mx: [] };

/**
 * The difference between the record plan and the zone as read, and the RFC 2136 update that closes it. Rules:
 * nothing the customer has is overwritten or deleted, except an SPF record into which senderd's include is merged
 * (RFC 7208 §3.2 allows one SPF record per name); every write carries a prerequisite that the zone still holds
 * what was read (RFC 2136 §2.4), so a change made in between makes the whole update fail instead of clobbering it.
 * Applying the result twice changes nothing the second time.
 */
export function planUpdate(plan: RecordPlan, state: ReadonlyMap<string, NameState>): UpdatePlan {
  const items: ApplyItem[] = [];
  const prerequisites: Prerequisite[] = [];
  const changes: Change[] = [];
  for (const record of plan.customer) {
    const now = state.get(record.name) ?? EMPTY;
    const want = toUpdateData(record);
    const item = (action: ItemAction, current: string | null, reason: string | null, value?: string) =>
      items.push({
        action,
        name: record.name,
        type: record.data.type,
        value: value ?? presentValue(record.data),
        current,
        reason,
      });
    const add = (data: UpdateData) =>
      changes.push({ kind: 'add', record: { name: record.name, ttl: record.ttl, data } });
    if (want.type === 'CNAME') {
      if (now.cname !== null && sameName(now.cname, want.target)) item('unchanged', now.cname, null);
      else if (now.cname !== null)
        item('conflict', now.cname, `it is a CNAME to ${now.cname}; senderd does not overwrite it`);
      else if (now.txt.length > 0 || now.mx.length > 0)
        item(
          'conflict',
          describe(now),
          'the name has its own records, and a CNAME cannot sit beside other data (RFC 1034 §3.6.2): remove them first',
        );
      else {
        prerequisites.push({ kind: 'name-not-in-use', name: record.name });
        add(want);
        item('add', null, null);
      }
      continue;
    }
    if (now.cname !== null) {
      item('conflict', `CNAME ${now.cname}`, 'the name is an alias (CNAME); senderd does not replace it');
      continue;
    }
    if (want.type === 'MX') {
      const same =
        now.mx.length === 1 &&
        now.mx[0]!.preference === want.preference &&
        sameName(now.mx[0]!.exchange, want.exchange);
      if (same) item('unchanged', describe(now), null);
      else if (now.mx.length > 0)
        item('conflict', describe(now), 'the name has other MX records; senderd does not replace them');
      else {
        prerequisites.push({ kind: 'rrset-absent', name: record.name, type: 'MX' });
        prerequisites.push({ kind: 'rrset-absent', name: record.name, type: 'CNAME' });
        add(want);
        item('add', null, null);
      }
      continue;
    }
    if (want.type !== 'TXT') continue;
    const texts = now.txt.map((strings) => joinTxt({ strings }));
    const wanted = joinTxt(want);
    const unchangedSet =
      texts.length === 0
        ? ({ kind: 'rrset-absent', name: record.name, type: 'TXT' } as const)
        : ({
            kind: 'rrset-equals',
            records: now.txt.map((strings) => txtRecord(record.name, strings)),
          } as const);
    if (texts.some((t) => t === wanted)) {
      item('unchanged', wanted, null);
      continue;
    }
    if (isSpfRecord(wanted)) {
      const spf = now.txt.filter((s) => isSpfRecord(joinTxt({ strings: s })));
      const include = /include:(\S+)/.exec(wanted)?.[1] ?? '';
      if (spf.length > 1) {
        item(
          'conflict',
          describe(now),
          'the name has several SPF records, which is already a permerror (RFC 7208 §3.2): merge them by hand first',
        );
        continue;
      }
      if (spf.length === 1) {
        const old = joinTxt({ strings: spf[0]! });
        const merged = mergeInclude(old, include);
        if (merged.kind === 'present') item('unchanged', old, null);
        else if (merged.kind === 'unmergeable') item('conflict', old, merged.reason);
        else {
          prerequisites.push(unchangedSet);
          changes.push({ kind: 'delete', record: txtRecord(record.name, spf[0]!) });
          add({ type: 'TXT', strings: splitTxtStrings(merged.record).map((s) => Buffer.from(s)) });
          item('replace', old, `include:${include} merged into the existing SPF record`, merged.record);
        }
        continue;
      }
    } else {
      const tag = /^v=[A-Za-z0-9]+/.exec(wanted)?.[0];
      const rival = texts.find((t) => tag !== undefined && t.startsWith(tag));
      if (rival !== undefined) {
        item('conflict', rival, `a different ${tag} record is there; senderd does not overwrite it`);
        continue;
      }
    }
    prerequisites.push(unchangedSet);
    add(want);
    item('add', texts.length > 0 ? texts.join(' | ') : null, null);
  }
  return { items, prerequisites, changes };
}

function toUpdateData(record: PlannedRecord): UpdateData {
  switch (record.data.type) {
    case 'CNAME':
      return { type: 'CNAME', target: record.data.target };
    case 'TXT':
      return { type: 'TXT', strings: splitTxtStrings(record.data.text).map((s) => Buffer.from(s)) };
    case 'MX':
      return { type: 'MX', preference: record.data.preference, exchange: record.data.exchange };
    case 'A':
    case 'AAAA':
      return { type: record.data.type, address: record.data.address };
  }
}

function txtRecord(name: string, strings: readonly Uint8Array[]): UpdateRecord {
  // TTL is not part of a value-dependent prerequisite or of a delete (RFC 2136 §2.4.2, §2.5.4).
  return { name, ttl: 0, data: { type: 'TXT', strings } };
}

function describe(state: NameState): string {
  return [
    ...state.txt.map((s) => `TXT "${joinTxt({ strings: s })}"`),
    ...state.mx.map((m) => `MX ${m.preference} ${m.exchange}`),
  ].join(', ');
}

function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/\.$/, '');
  return n(a) === n(b);
}
