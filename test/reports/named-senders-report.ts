import type { TestNode } from '../support/node.ts';

/**
 * A real-shaped aggregate report (RFC 7489 Appendix C) for the named-senders tests: the platform's own mail, a
 * Google Workspace mailbox without the SPF include, SendGrid before domain authentication, Zendesk signing as the
 * domain through its CNAMEs, and a spoofer. Reverse names are what the resolver would have found.
 */
export const PLATFORM_IP = '192.0.2.1';

export const NAMED_SOURCES = {
  platform: PLATFORM_IP,
  google: '198.51.100.20',
  sendgrid: '198.51.100.30',
  zendesk: '198.51.100.40',
  spoofer: '203.0.113.9',
} as const;

/** Forward-confirmed reverse names (the report-names worker's result, saved directly by the tests). */
export const REVERSE_NAMES: ReadonlyArray<readonly [string, string]> = [
  [NAMED_SOURCES.google, 'mail-wr1-f54.google.com'],
  [NAMED_SOURCES.sendgrid, 'o1.ptr1234.sendgrid.net'],
];

export function namedSendersReport(
  domain: string,
  reportId: string,
  now = Math.floor(Date.now() / 1000),
): Buffer {
  const row = (ip: string, count: number, dkim: boolean, spf: boolean, auth: string) =>
    `<record><row><source_ip>${ip}</source_ip><count>${count}</count><policy_evaluated><disposition>none</disposition>` +
    `<dkim>${dkim ? 'pass' : 'fail'}</dkim><spf>${spf ? 'pass' : 'fail'}</spf></policy_evaluated></row>` +
    `<identifiers><header_from>${domain}</header_from></identifiers><auth_results>${auth}</auth_results></record>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata><org_name>google.com</org_name>` +
      `<email>noreply-dmarc-support@google.com</email><report_id>${reportId}</report_id><date_range><begin>${now - 3600}</begin>` +
      `<end>${now}</end></date_range></report_metadata><policy_published><domain>${domain}</domain><p>none</p></policy_published>` +
      row(
        NAMED_SOURCES.platform,
        500,
        true,
        true,
        `<dkim><domain>${domain}</domain><selector>s2026a</selector><result>pass</result></dkim><spf><domain>bounce.${domain}</domain><result>pass</result></spf>`,
      ) +
      row(
        NAMED_SOURCES.google,
        40,
        false,
        false,
        `<spf><domain>${domain}</domain><result>softfail</result></spf>`,
      ) +
      row(
        NAMED_SOURCES.sendgrid,
        30,
        false,
        false,
        '<dkim><domain>sendgrid.net</domain><selector>smtpapi</selector><result>pass</result></dkim>' +
          '<spf><domain>bounces.sendgrid.net</domain><result>pass</result></spf>',
      ) +
      row(
        NAMED_SOURCES.zendesk,
        20,
        true,
        false,
        `<dkim><domain>${domain}</domain><selector>zendesk1</selector><result>pass</result></dkim>` +
          '<spf><domain>zendesk.com</domain><result>pass</result></spf>',
      ) +
      row(
        NAMED_SOURCES.spoofer,
        10,
        false,
        false,
        `<spf><domain>${domain}</domain><result>fail</result></spf>`,
      ) +
      `</feedback>`,
  );
}

/**
 * Saves the reverse names and uploads the report for `domain` through the API with a key of `tenantId`, as a
 * customer's reporter and the reverse-name worker would have; returns the key.
 */
export async function seedNamedSenders(node: TestNode, tenantId: string, domain: string): Promise<string> {
  const { key } = await node.services.accounts.createApiKey(tenantId, 'named senders');
  const at = new Date().toISOString();
  for (const [ip, ptr] of REVERSE_NAMES)
    await node.services.store.reportStats.saveReverseName(ip, ptr, true, at);
  const upload = await fetch(`${node.http}/v1/reports/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${key}` },
    body: namedSendersReport(domain, `named-${domain}`),
  });
  const body = (await upload.json()) as { outcomes?: Array<{ status: string }> };
  if (upload.status !== 200 || body.outcomes?.[0]?.status !== 'stored') {
    throw new Error(`the upload was not stored: ${upload.status} ${JSON.stringify(body)}`);
  }
  return key;
}
