/**
 * Aggregate reports made from the gateway's send log (issue 21): what receivers would report about the mail the
 * gateway delivered on a day, one report per reporter, in the RFC 7489 Appendix C form real reporters use. A test
 * shapes them with gaps (a reporter counts only part of what it got), rows of other sources, and forgeries (a
 * reporter counts more from the platform's address than was sent).
 */
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { SignatureUsed } from '../../src/dkim/index.ts';
import type { Store } from '../../src/store/index.ts';

/**
 * Reporter org names (as Google, Yahoo and Microsoft write them) by the MX host suffix that received the mail, or
 * else by the recipient domain (a test run's receivers all have their MX at the local sink).
 */
export const REPORTERS_BY_MX: ReadonlyArray<readonly [string, string]> = [
  ['google.com', 'google.com'],
  ['yahoodns.net', 'Yahoo'],
  ['outlook.com', 'Enterprise Outlook'],
];
const REPORTERS_BY_DOMAIN: ReadonlyMap<string, string> = new Map([
  ['gmail.com', 'google.com'],
  ['yahoo.com', 'Yahoo'],
  ['outlook.com', 'Enterprise Outlook'],
]);

export interface ReportRow {
  readonly ip: string;
  readonly count: number;
  readonly dkim: {
    readonly domain: string;
    readonly selector: string;
    readonly result: 'pass' | 'fail';
  } | null;
  readonly spf: { readonly domain: string; readonly result: 'pass' | 'fail' | 'softfail' };
  /** DMARC-aligned results (policy_evaluated). */
  readonly aligned: { readonly dkim: boolean; readonly spf: boolean };
}

export interface LoggedSend {
  readonly recipientDomain: string;
  readonly host: string;
  readonly messages: number;
}

let sequence = 0;

/**
 * Writes a day of a gateway run into the send log through the gateway's own repository: each message as the
 * trace writer records it (signatures, recipients) and its delivery attempt, at noon UTC of `day`.
 */
export async function logSends(
  store: Store,
  options: {
    tenantId: string;
    domainId: string;
    domain: string;
    day: string;
    signature: SignatureUsed;
    sends: readonly LoggedSend[];
  },
): Promise<void> {
  const at = `${options.day}T12:00:00.000Z`;
  const messages = [];
  const attempts = [];
  for (const send of options.sends) {
    for (let i = 0; i < send.messages; i++) {
      const id = `msg_${options.day}_${++sequence}`;
      const address = `user${i}@${send.recipientDomain}`;
      messages.push({
        id,
        tenantId: options.tenantId,
        domainId: options.domainId,
        senderDomain: options.domain,
        headerFrom: `news@${options.domain}`,
        submittedMailFrom: `news@${options.domain}`,
        recipients: [{ address, envelopeFrom: `b-${id}@bounce.${options.domain}` }],
        signatures: [options.signature],
        signingDecision: 'signed with the active key',
        clientAddress: '127.0.0.1',
        credential: null,
        size: 2048,
        acceptedAt: at,
        status: 'delivered' as const,
        updatedAt: at,
      });
      attempts.push({
        messageId: id,
        tenantId: options.tenantId,
        recipient: address,
        at,
        status: 'delivered' as const,
        code: 250,
        reply: '250 2.0.0 OK',
        host: send.host,
        tls: true,
      });
    }
  }
  for (let i = 0; i < messages.length; i += 100) {
    await store.gateway.insertMessages(messages.slice(i, i + 100));
    await store.gateway.insertAttempts(attempts.slice(i, i + 100));
  }
}

/**
 * The platform's rows each reporter would report for `day`, read straight from the send log (the delivered
 * attempts and the signatures each message carried), by reporter org name.
 */
export async function platformRowsFromLog(
  store: Store,
  domainId: string,
  day: string,
  egressIp: string,
  options: { selectorPasses: (selector: string) => boolean },
): Promise<Map<string, ReportRow[]>> {
  const rows = await store.db
    .selectFrom('gateway_attempts as a')
    .innerJoin('gateway_messages as m', 'm.id', 'a.message_id')
    .select(['a.host', 'a.recipient', 'm.signatures', 'm.header_from', 'a.message_id'])
    .where('m.domain_id', '=', domainId)
    .where('a.status', '=', 'delivered')
    .where(sql<string>`substr(a.at, 1, 10)`, '=', day)
    .execute();
  const counts = new Map<string, Map<string, { domain: string; count: number }>>();
  // A receiver counts a message once however many of its users it was addressed to.
  const seen = new Set<string>();
  for (const row of rows) {
    const reporter =
      REPORTERS_BY_MX.find(([suffix]) => row.host.endsWith(suffix))?.[1] ??
      REPORTERS_BY_DOMAIN.get(row.recipient.slice(row.recipient.lastIndexOf('@') + 1).toLowerCase());
    if (reporter === undefined || seen.has(`${reporter} ${row.message_id}`)) continue;
    seen.add(`${reporter} ${row.message_id}`);
    const signature = (JSON.parse(row.signatures) as SignatureUsed[])[0]!;
    const bySelector = counts.get(reporter) ?? new Map<string, { domain: string; count: number }>();
    const had = bySelector.get(signature.selector) ?? { domain: signature.signingDomain, count: 0 };
    bySelector.set(signature.selector, { ...had, count: had.count + 1 });
    counts.set(reporter, bySelector);
  }
  const out = new Map<string, ReportRow[]>();
  for (const [reporter, bySelector] of counts) {
    out.set(
      reporter,
      [...bySelector].map(([selector, { domain, count }]) => {
        const pass = options.selectorPasses(selector);
        return {
          ip: egressIp,
          count,
          dkim: { domain, selector, result: pass ? 'pass' : 'fail' },
          spf: { domain: `bounce.${domain}`, result: 'pass' },
          aligned: { dkim: pass, spf: true },
        } satisfies ReportRow;
      }),
    );
  }
  return out;
}

/** One aggregate report (RFC 7489 Appendix C), gzipped as reporters send them. */
export function aggregateReport(options: {
  reporter: string;
  domain: string;
  reportId: string;
  day: string;
  rows: readonly ReportRow[];
}): Buffer {
  const begin = Date.parse(`${options.day}T00:00:00Z`) / 1000;
  const records = options.rows
    .filter((r) => r.count > 0)
    .map(
      (r) =>
        `<record><row><source_ip>${r.ip}</source_ip><count>${r.count}</count><policy_evaluated>` +
        `<disposition>none</disposition><dkim>${r.aligned.dkim ? 'pass' : 'fail'}</dkim><spf>${r.aligned.spf ? 'pass' : 'fail'}</spf>` +
        `</policy_evaluated></row><identifiers><header_from>${options.domain}</header_from></identifiers><auth_results>` +
        (r.dkim === null
          ? ''
          : `<dkim><domain>${r.dkim.domain}</domain><selector>${r.dkim.selector}</selector><result>${r.dkim.result}</result></dkim>`) +
        `<spf><domain>${r.spf.domain}</domain><scope>mfrom</scope><result>${r.spf.result}</result></spf></auth_results></record>`,
    )
    .join('');
  const org = options.reporter;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><feedback><version>1.0</version><report_metadata><org_name>${org}</org_name>` +
    `<email>dmarc-noreply@${org.toLowerCase().replace(/[^a-z0-9.]/g, '') || 'reporter.example'}</email>` +
    `<report_id>${options.reportId}</report_id><date_range><begin>${begin}</begin><end>${begin + 86_399}</end></date_range>` +
    `</report_metadata><policy_published><domain>${options.domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>` +
    `<sp>none</sp><pct>100</pct></policy_published>${records}</feedback>`;
  return gzipSync(xml);
}
