/**
 * DMARC report statistics, from the reports capability's routes. Those routes arrive with the reports branch; a
 * server without them says so in its OpenAPI document, and the dashboard then says "not available" instead of
 * showing numbers it does not have.
 *
 * The contract this module expects (docs/dashboard.md repeats it for the server side):
 *   GET  /v1/reports/domains/{domain}/summary?days=30
 *        → { domain, window: { from, to, days }, totals: Figures, daily: [{ day: 'YYYY-MM-DD', ...Figures }] }
 *   GET  /v1/reports/domains/{domain}/sources?days=30&limit=1000
 *        → { sources: [ReportSource] }, most messages first
 *   GET  /v1/reports/reporters?days=30&domain={domain}
 *        → { reporters: [Reporter] }
 *   POST /v1/reports/upload   (body: the file's bytes, application/octet-stream; X-File-Name: its name)
 *        → { outcomes: [UploadOutcome], bytes, sha256 }
 */
import { enc, getJson, request } from './client.ts';
import type { Reporter, ReportSource, ReportSummary, UploadOutcome } from './types.ts';

export type { Figures, ReportSource, ReportSummary, Reporter, SourceClass, UploadOutcome } from './types.ts';

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

export function reportSummary(domain: string, days: number): Promise<ReportSummary> {
  return getJson(`/v1/reports/domains/${enc(domain)}/summary?days=${days}`);
}

export async function reportSources(domain: string, days: number): Promise<ReportSource[]> {
  return (
    await getJson<{ sources: ReportSource[] }>(
      `/v1/reports/domains/${enc(domain)}/sources?days=${days}&limit=1000`,
    )
  ).sources;
}

export async function reporters(domain: string, days: number): Promise<Reporter[]> {
  return (
    await getJson<{ reporters: Reporter[] }>(`/v1/reports/reporters?days=${days}&domain=${enc(domain)}`)
  ).reporters;
}

export async function uploadReport(file: File): Promise<UploadOutcome[]> {
  const res = await request('POST', UPLOAD_PATH, undefined, {
    raw: file,
    contentType: 'application/octet-stream',
    headers: { 'x-file-name': file.name.replace(/[^\x20-\x7e]/g, '_').slice(0, 200) },
  });
  return ((await res.json()) as { outcomes: UploadOutcome[] }).outcomes;
}
