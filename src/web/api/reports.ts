/**
 * DMARC report statistics, from the reports capability's routes. Those routes arrive with the reports branch; a
 * server without them says so in its OpenAPI document, and the dashboard then says "not available" instead of
 * showing numbers it does not have.
 *
 * The contract this module expects (docs/dashboard.md repeats it for the server side). A window is `days=N`,
 * `from=YYYY-MM-DD&to=YYYY-MM-DD` or `all=true`, with `basis=cover|arrival`:
 *   GET  /v1/reports/domains/{domain}/summary?<window>
 *        → { domain, window: { from, to, days, basis, bucket }, totals: Figures, daily: [...], series: [...] }
 *   GET  /v1/reports/domains/{domain}/sources?<window>&limit=1000
 *        → { sources: [ReportSource], total, truncated, messages }, most messages first
 *   GET  /v1/reports/reporters?<window>&domain={domain}
 *        → { reporters: [Reporter] }
 *   POST /v1/reports/upload   (body: the file's bytes, application/octet-stream; X-File-Name: its name)
 *        → { outcomes: [UploadOutcome], bytes, sha256 }
 */
import { enc, getJson, request } from './client.ts';
import type { Reporter, ReportSummary, SourceList, UploadOutcome } from './types.ts';

export type {
  Figures,
  ReportSource,
  ReportSummary,
  Reporter,
  SourceClass,
  SourceList,
  UploadOutcome,
} from './types.ts';

const SUMMARY_PATH = '/v1/reports/domains/{domain}/summary';
const UPLOAD_PATH = '/v1/reports/upload';

export interface ReportCapabilities {
  readonly statistics: boolean;
  readonly upload: boolean;
}

let capabilities: Promise<ReportCapabilities> | null = null;

/** Which report routes this server has, from its OpenAPI document (read once per page load). */
export function reportCapabilities(): Promise<ReportCapabilities> {
  capabilities ??= fetch('/openapi.json', { credentials: 'same-origin' })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, unknown> }>) : { paths: {} }))
    .then((doc) => ({
      statistics: doc.paths?.[SUMMARY_PATH] !== undefined,
      upload: doc.paths?.[UPLOAD_PATH] !== undefined,
    }))
    .catch(() => ({ statistics: false, upload: false }));
  return capabilities;
}

/** The period the report view shows: the last `days`, a `from`..`to` range, or all time; by cover or arrival. */
export type Period =
  | { readonly kind: 'days'; readonly days: number; readonly basis: Basis }
  | { readonly kind: 'range'; readonly from: string; readonly to: string; readonly basis: Basis }
  | { readonly kind: 'all'; readonly basis: Basis };
export type Basis = 'cover' | 'arrival';

export function periodQuery(p: Period): string {
  const where =
    p.kind === 'days'
      ? `days=${p.days}`
      : p.kind === 'all'
        ? 'all=true'
        : `from=${enc(p.from)}&to=${enc(p.to)}`;
  return `${where}&basis=${p.basis}`;
}

export function reportSummary(domain: string, period: Period): Promise<ReportSummary> {
  return getJson(`/v1/reports/domains/${enc(domain)}/summary?${periodQuery(period)}`);
}

/** The most-sending sources (at most 1,000), how many there are in all, and the messages of all of them. */
export function reportSources(domain: string, period: Period): Promise<SourceList> {
  return getJson<SourceList>(`/v1/reports/domains/${enc(domain)}/sources?${periodQuery(period)}&limit=1000`);
}

/** The scoreboard is kept by the dates reports cover: the period's days, whatever its basis. */
export async function reporters(domain: string, period: Period): Promise<Reporter[]> {
  const cover = periodQuery({ ...period, basis: 'cover' });
  return (await getJson<{ reporters: Reporter[] }>(`/v1/reports/reporters?${cover}&domain=${enc(domain)}`))
    .reporters;
}

export async function uploadReport(file: File): Promise<UploadOutcome[]> {
  const res = await request('POST', UPLOAD_PATH, undefined, {
    raw: file,
    contentType: 'application/octet-stream',
    headers: { 'x-file-name': file.name.replace(/[^\x20-\x7e]/g, '_').slice(0, 200) },
  });
  return ((await res.json()) as { outcomes: UploadOutcome[] }).outcomes;
}
