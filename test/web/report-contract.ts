/**
 * A stand-in for the reports capability's HTTP API, answering in the browser (Playwright routes) with the JSON
 * shapes src/web/api/reports.ts expects. The reports API is built on another branch; until it is merged, this is
 * how the report views are exercised with numbers. It checks what the page sends (CSRF token, the file's bytes).
 */
import type { Page, Route } from 'playwright-core';

const DAY = 86_400_000;

function figures(messages: number, dmarcPass: number, dkimAligned: number, spfAligned: number, reports = 1) {
  return {
    reports,
    messages,
    dmarcPass,
    dkimAligned,
    spfAligned,
    dispositionNone: messages,
    dispositionQuarantine: 0,
    dispositionReject: 0,
    tlsSuccessful: 0,
    tlsFailed: 0,
    failureReports: 0,
  };
}

export interface StandIn {
  /** Bodies of the uploads received, with the CSRF header each carried. */
  readonly uploads: { bytes: Buffer; csrf: string | undefined; fileName: string | undefined }[];
}

export async function standInReportsApi(page: Page, domain: string, now = Date.now()): Promise<StandIn> {
  const state: StandIn = { uploads: [] };
  const today = new Date(now).toISOString().slice(0, 10);
  const dayAgo = (n: number) => new Date(now - n * DAY).toISOString().slice(0, 10);
  await page.route('**/openapi.json', async (route) => {
    const response = await route.fetch();
    const doc = (await response.json()) as { paths: Record<string, unknown> };
    doc.paths['/v1/reports/domains/{domain}/summary'] = { get: {} };
    doc.paths['/v1/reports/upload'] = { post: {} };
    await route.fulfill({ response, json: doc });
  });
  await page.route('**/v1/reports/**', async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const uploaded = state.uploads.length > 0;
    if (request.method() === 'POST' && url.pathname === '/v1/reports/upload') {
      const headers = request.headers();
      state.uploads.push({
        bytes: request.postDataBuffer() ?? Buffer.alloc(0),
        csrf: headers['x-csrf-token'],
        fileName: headers['x-file-name'],
      });
      return route.fulfill({
        json: {
          outcomes: [
            {
              status: 'stored',
              kind: 'aggregate',
              id: 'rep_1',
              domain,
              reporter: 'google.com',
              reportId: 'r-2026-1',
              records: 1,
              messages: 123,
              path: 'report.xml',
            },
          ],
          bytes: 0,
          sha256: '',
        },
      });
    }
    if (url.pathname === `/v1/reports/domains/${domain}/summary`) {
      const daily = [
        { day: dayAgo(9), ...figures(400, 392, 390, 360) },
        { day: dayAgo(5), ...figures(350, 343, 339, 315) },
        { day: dayAgo(2), ...figures(250, 245, 241, 225) },
        ...(uploaded ? [{ day: today, ...figures(123, 123, 123, 100) }] : []),
      ];
      const totals = daily.reduce(
        (a, d) =>
          figures(
            a.messages + d.messages,
            a.dmarcPass + d.dmarcPass,
            a.dkimAligned + d.dkimAligned,
            a.spfAligned + d.spfAligned,
            a.reports + 1,
          ),
        figures(0, 0, 0, 0, 0),
      );
      return route.fulfill({
        json: {
          domain,
          window: { from: dayAgo(29), to: today, days: 30, basis: 'cover', bucket: 'day' },
          totals,
          daily,
          series: daily,
        },
      });
    }
    if (url.pathname === `/v1/reports/domains/${domain}/sources`) {
      const source = (ip: string, cls: string, messages: number, pass: number, ptr: string | null) => ({
        sourceIp: ip,
        ptr,
        ptrVerified: ptr !== null,
        class: cls,
        messages,
        dmarcPass: pass,
        dkimAligned: pass,
        spfAligned: cls === 'forwarder' ? 0 : pass,
        dispositionQuarantine: 0,
        dispositionReject: 0,
        days: 3,
        sender: null,
      });
      const sources = [
        source(
          '192.0.2.10',
          'platform',
          900 + (uploaded ? 123 : 0),
          900 + (uploaded ? 123 : 0),
          'out1.mail.example.net',
        ),
        source('198.51.100.7', 'forwarder', 60, 50, 'fwd.lists.example.org'),
        ...Array.from({ length: 28 }, (_, i) =>
          source(`203.0.113.${i + 1}`, 'unknown', i < 12 ? 2 : 1, 0, null),
        ),
      ];
      const messages = sources.reduce((a, x) => a + x.messages, 0);
      return route.fulfill({ json: { sources, total: sources.length, truncated: false, messages } });
    }
    if (url.pathname === '/v1/reports/reporters') {
      return route.fulfill({
        json: {
          reporters: [
            {
              reporter: 'google.com',
              reports: uploaded ? 3 : 2,
              messages: 700,
              dmarcPass: 690,
              duplicates: 0,
              malformed: 0,
              late: 0,
              firstDay: dayAgo(9),
              lastDay: uploaded ? today : dayAgo(2),
              silent: false,
              verification: {
                status: 'verified',
                verified: uploaded ? 3 : 2,
                unverified: 0,
                legacy: 0,
                verifiedAs: ['google.com by dkim'],
                unverifiedReason: null,
              },
            },
            {
              reporter: 'outlook.com',
              reports: 1,
              messages: 300,
              dmarcPass: 290,
              duplicates: 0,
              malformed: 0,
              late: 0,
              firstDay: dayAgo(5),
              lastDay: dayAgo(5),
              silent: false,
              verification: {
                status: 'unverified',
                verified: 0,
                unverified: 1,
                legacy: 0,
                verifiedAs: [],
                unverifiedReason: 'nothing proves outlook.com: no DKIM signature',
              },
            },
          ],
        },
      });
    }
    return route.fulfill({
      status: 404,
      json: { error: { code: 'not_found', message: 'stand-in: no such route', details: [], requestId: 'x' } },
    });
  });
  return state;
}
