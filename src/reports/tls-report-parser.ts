/**
 * SMTP TLS reports (RFC 8460 §4). Real reports leave out fields the RFC calls required (`policy-domain`,
 * summary counts, `mx-host`), set `contact-info` to null, write `mx-host` as a string or a list and invent policy
 * types; all of that is accepted and kept as written. What we cannot do without: a report-id and a date range.
 */
import type { TlsFailureDetail, TlsPolicySummary, TlsReport } from './model.ts';
import { ReportRefusal } from './refusal.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, max = 255): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim().slice(0, max);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function list(v: unknown, max = 32): string[] {
  const items = Array.isArray(v) ? v : [v];
  return items
    .map((x) => text(x, 1000))
    .filter((x) => x !== null)
    .slice(0, max);
}

/** A session count: a non-negative integer (a numeric string is accepted); absent is 0. */
function count(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? n : 0;
}

/** RFC 8460 §4.3: date-time per RFC 3339. */
function seconds(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v.trim());
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

function failureDetail(v: Json): TlsFailureDetail {
  return {
    resultType: text(v['result-type'], 64) ?? 'unknown',
    sendingMtaIp: text(v['sending-mta-ip'], 64),
    receivingMxHostname: text(v['receiving-mx-hostname']),
    receivingMxHelo: text(v['receiving-mx-helo']),
    receivingIp: text(v['receiving-ip'], 64),
    failedSessions: count(v['failed-session-count']),
    additionalInformation: text(v['additional-information'], 1000),
    failureReasonCode: text(v['failure-reason-code'], 1000),
  };
}

function policySummary(v: Json): TlsPolicySummary {
  const policy = isObject(v.policy) ? v.policy : {};
  const summary = isObject(v.summary) ? v.summary : {};
  const details = Array.isArray(v['failure-details']) ? v['failure-details'].filter(isObject) : [];
  return {
    policyType: text(policy['policy-type'], 64) ?? 'unknown',
    policyDomain: text(policy['policy-domain'])?.toLowerCase().replace(/\.$/, '') ?? '',
    policyString: list(policy['policy-string'], 64),
    mxHost: list(policy['mx-host']),
    successfulSessions: count(summary['total-successful-session-count']),
    failedSessions: count(summary['total-failure-session-count']),
    failureDetails: details.slice(0, 1000).map(failureDetail),
  };
}

/** Parses a TLS-RPT JSON document (already bounded in size). */
export function parseTlsReport(json: string): TlsReport {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ReportRefusal('invalid_json', (error as Error).message.slice(0, 200));
  }
  if (!isObject(value) || !('policies' in value || 'report-id' in value)) {
    throw new ReportRefusal('not_a_report', 'the JSON has neither report-id nor policies (RFC 8460 §4.3)');
  }
  const range = isObject(value['date-range']) ? value['date-range'] : {};
  const reportId = text(value['report-id']);
  const begin = seconds(range['start-datetime']);
  const end = seconds(range['end-datetime']);
  const missing = [
    reportId === null ? 'report-id' : null,
    begin === null ? 'date-range/start-datetime' : null,
    end === null ? 'date-range/end-datetime' : null,
  ].filter((x) => x !== null);
  if (missing.length > 0) throw new ReportRefusal('missing_field', missing.join(', '));
  const policies = Array.isArray(value.policies) ? value.policies.filter(isObject) : [];
  return {
    organizationName: text(value['organization-name']) ?? '',
    contactInfo: text(value['contact-info']),
    reportId: reportId!,
    begin: begin!,
    end: Math.max(begin!, end!),
    policies: policies.slice(0, 1000).map(policySummary),
  };
}

/** The policy domain a TLS report is about: the first policy that names one. */
export function tlsPolicyDomain(report: TlsReport): string | null {
  return report.policies.find((p) => p.policyDomain !== '')?.policyDomain ?? null;
}
