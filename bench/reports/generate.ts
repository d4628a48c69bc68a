/**
 * Synthetic aggregate reports for the benchmark, written as a stream: a Google-sized report of any size, and small
 * ones. Records vary the way real ones do (addresses, counts, results, one or two DKIM results).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export function reportHead(domain: string, id: string, begin: number): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" ?>\n<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">\n<version>1.0</version>\n` +
    `<report_metadata><org_name>google.com</org_name><email>noreply-dmarc-support@google.com</email>` +
    `<report_id>${id}</report_id><date_range><begin>${begin}</begin><end>${begin + 86399}</end></date_range></report_metadata>\n` +
    `<policy_published><domain>${domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><testing>n</testing></policy_published>\n`
  );
}

export const REPORT_TAIL = '</feedback>\n';

/** One record; `i` drives the variation. About 250 bytes on average. */
export function record(domain: string, i: number, distinctIps: number): string {
  const n = i % distinctIps;
  const ip = `${10 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}.${(n * 7) & 255}`;
  const pass = i % 10 !== 0;
  const dkim =
    i % 4 === 0
      ? ''
      : `<dkim><domain>${domain}</domain><selector>sd${1 + (i % 3)}</selector><result>${pass ? 'pass' : 'fail'}</result></dkim>`;
  return (
    `<record><row><source_ip>${ip}</source_ip><count>${1 + (i % 17)}</count><policy_evaluated><disposition>none</disposition>` +
    `<dkim>${pass ? 'pass' : 'fail'}</dkim><spf>${i % 3 === 0 ? 'fail' : 'pass'}</spf></policy_evaluated></row>` +
    `<identifiers><header_from>${domain}</header_from></identifiers><auth_results>${dkim}` +
    `<spf><domain>${domain}</domain><result>${i % 3 === 0 ? 'softfail' : 'pass'}</result></spf></auth_results></record>\n`
  );
}

/** Writes a report of at least `bytes` bytes to `path`, streaming; returns its size and record count. */
export async function writeLargeReport(
  path: string,
  bytes: number,
  domain: string,
  begin: number,
  distinctIps = 200_000,
): Promise<{ bytes: number; records: number }> {
  const out = createWriteStream(path);
  let size = 0;
  let records = 0;
  const write = async (text: string) => {
    size += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(reportHead(domain, `bench-${begin}`, begin));
  let batch = '';
  while (size + batch.length < bytes) {
    batch += record(domain, records++, distinctIps);
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch + REPORT_TAIL);
  out.end();
  await once(out, 'finish');
  return { bytes: size, records };
}

export function smallReport(domain: string, id: number, begin: number, records: number): string {
  let body = reportHead(domain, `bench-small-${id}`, begin);
  for (let i = 0; i < records; i++) body += record(domain, id * 31 + i, 5000);
  return body + REPORT_TAIL;
}
