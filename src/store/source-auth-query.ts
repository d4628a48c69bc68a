/**
 * The DKIM and SPF results reporters gave for some sources of a domain over a window (RFC 7489 Appendix C
 * `auth_results`), summed per distinct result: what names a sender (src/senders). Read from the records of
 * complete reports, grouped in the database by the stored JSON text, so a source that sent a million messages
 * with the same results is one row; it costs a read of the window's records of those sources, which the
 * (domain_id, day) index bounds, as the verified-only and arrival views do.
 */
import { sql, type Kysely } from 'kysely';
import type { SourceAuthRow, WindowBasis } from '../reports/index.ts';
import type { Database } from './database.ts';

interface StoredDkim {
  readonly domain: string | null;
  readonly selector: string | null;
  readonly result: string;
}
interface StoredSpf {
  readonly domain: string | null;
  readonly scope: string | null;
  readonly result: string;
}

const parsed = <T>(text: string | null): T[] => (text === null ? [] : (JSON.parse(text) as T[]));

export async function sourceAuthResults(
  db: Kysely<Database>,
  domainId: string,
  from: string,
  to: string,
  ips: readonly string[],
  basis: WindowBasis = 'cover',
): Promise<SourceAuthRow[]> {
  if (ips.length === 0) return [];
  const dayAfter = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const within =
    basis === 'arrival'
      ? sql`r.domain_id = ${domainId} and r.received_at >= ${from} and r.received_at < ${dayAfter}`
      : sql`x.domain_id = ${domainId} and x.day >= ${from} and x.day <= ${to}`;
  const rows = await sql<{
    source_ip: string;
    dkim_results: string | null;
    spf_results: string | null;
    messages: unknown;
  }>`select x.source_ip, x.dkim_results, x.spf_results, sum(x.count) as messages
    from report_records x join reports r on r.id = x.report_id
    where ${within} and r.status = 'complete' and x.source_ip in (${sql.join([...ips])})
    group by x.source_ip, x.dkim_results, x.spf_results`.execute(db);
  const out = new Map<string, { dkim: Map<string, number>; spf: Map<string, number> }>();
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  for (const r of rows.rows) {
    const messages = Number(r.messages ?? 0);
    let entry = out.get(r.source_ip);
    if (entry === undefined) out.set(r.source_ip, (entry = { dkim: new Map(), spf: new Map() }));
    for (const d of parsed<StoredDkim>(r.dkim_results)) {
      add(entry.dkim, JSON.stringify([d.domain, d.selector, d.result]), messages);
    }
    // DMARC's SPF is the MAIL FROM identity (RFC 7489 §3.1.2); a HELO result says nothing of alignment.
    for (const s of parsed<StoredSpf>(r.spf_results)) {
      if (s.scope !== 'helo') add(entry.spf, JSON.stringify([s.domain, s.result]), messages);
    }
  }
  return [...out.entries()].map(([sourceIp, e]) => ({
    sourceIp,
    dkim: [...e.dkim.entries()].map(([key, messages]) => {
      const [signingDomain, selector, result] = JSON.parse(key) as [string | null, string | null, string];
      return { signingDomain, selector, result, messages };
    }),
    spf: [...e.spf.entries()].map(([key, messages]) => {
      const [domain, result] = JSON.parse(key) as [string | null, string];
      return { domain, result, messages };
    }),
  }));
}
