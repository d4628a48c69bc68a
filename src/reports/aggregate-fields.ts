/**
 * Normalising the words real reporters write. RFC 7489 Appendix C and RFC 9990 define lower-case enumerations;
 * reporters write "PASS", "Pass", "hardfail", empty elements and floats for times. Each rule here says what we
 * make of them, so a statistic never silently depends on a reporter's spelling.
 */
import type { Alignment, Disposition, PolicyAction } from './model.ts';

/** Trimmed and lower-cased. */
export function word(text: string): string {
  return text.trim().toLowerCase();
}

/** Empty text is absent. */
export function optional(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}

/**
 * RFC 7489 Appendix C DispositionType is none, quarantine, reject; the RFC 9990 Appendix B example also writes
 * "pass". An empty element (AOL, 2012) means nothing was applied: none.
 */
export function disposition(text: string): Disposition | null {
  const w = word(text);
  if (w === '' || w === 'none') return 'none';
  if (w === 'quarantine' || w === 'reject' || w === 'pass') return w;
  return null;
}

/** policy_evaluated dkim/spf: only "pass" is an aligned pass (RFC 7489 §4.2); anything else fails. */
export function aligned(text: string): 'pass' | 'fail' {
  return word(text) === 'pass' ? 'pass' : 'fail';
}

const DKIM_RESULTS = new Set(['none', 'pass', 'fail', 'policy', 'neutral', 'temperror', 'permerror']);
const SPF_RESULTS = new Set(['none', 'neutral', 'pass', 'fail', 'softfail', 'temperror', 'permerror']);
/** Spellings seen in the wild and what RFC 8601 / RFC 7208 §2.6 call them. */
const RESULT_ALIASES: Record<string, string> = {
  hardfail: 'fail',
  error: 'temperror',
  'temp-error': 'temperror',
  'perm-error': 'permerror',
  unknown: 'permerror',
};

function result(text: string, known: ReadonlySet<string>): string {
  const w = word(text);
  if (known.has(w)) return w;
  const alias = RESULT_ALIASES[w];
  if (alias !== undefined && known.has(alias)) return alias;
  return w === '' ? 'none' : w.slice(0, 32);
}

export function dkimResult(text: string): string {
  return result(text, DKIM_RESULTS);
}

export function spfResult(text: string): string {
  return result(text, SPF_RESULTS);
}

const OVERRIDES = new Set([
  'forwarded',
  'trusted_forwarder',
  'mailing_list',
  'local_policy',
  'policy_test_mode',
  'other',
]);

/**
 * The override reason type. RFC 9990 removed `sampled_out` (there is no pct sampling any more); like other
 * unknown words it becomes "other". `forwarded` (RFC 7489) is kept: it matters for forwarding statistics.
 */
export function overrideType(text: string): string | null {
  const w = word(text);
  if (w === '') return null;
  return OVERRIDES.has(w) ? w : 'other';
}

export function policyAction(text: string): PolicyAction | null {
  const w = word(text);
  return w === 'none' || w === 'quarantine' || w === 'reject' ? w : null;
}

export function alignment(text: string): Alignment | null {
  const w = word(text);
  if (w === 'r' || w === 'relaxed') return 'r';
  if (w === 's' || w === 'strict') return 's';
  return null;
}

export function testing(text: string): 'y' | 'n' | null {
  const w = word(text);
  if (w === 'y' || w === 'true' || w === '1') return 'y';
  if (w === 'n' || w === 'false' || w === '0') return 'n';
  return null;
}

export function discoveryMethod(text: string): 'psl' | 'treewalk' | null {
  const w = word(text);
  return w === 'psl' || w === 'treewalk' ? w : null;
}

/** Unix seconds. Some reporters (NetEase, 2012) write "1337270400.0"; fractions are dropped. */
export function unixSeconds(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,12}(\.\d*)?$/.test(t)) return null;
  return Math.floor(Number(t));
}

/** A non-negative whole count, at most 2^31 - 1 (a record describing more messages than that is not real). */
export function messageCount(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t)) return null;
  const n = Number(t);
  return n <= 0x7fffffff ? n : null;
}

export function percentage(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 100 ? n : null;
}

/** A domain name as reporters write it: lower case, no trailing dot, at most 253 characters. */
export function domainName(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  return t === '' ? null : t.slice(0, 253);
}
