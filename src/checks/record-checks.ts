import { presentValue, type PlannedRecord } from '../domains/index.ts';
import { joinTxt } from '../resolver/index.ts';
import { checkCname } from './cname-check.ts';
import {
  emptyResult,
  hostedAt,
  observe,
  troubleRemark,
  type CheckContext,
  type PathResult,
} from './context.ts';
import { compareDkimRecords } from './dkim-key.ts';
import { checkDmarc } from './dmarc-check.ts';
import type { DnsView } from './model.ts';
import { remark, sameName } from './remarks.ts';
import { checkSpfAt } from './spf-check.ts';
import { lookupPlanned } from './wrong-name.ts';

/** The stable key of a planned record within its domain: `dkim:sd1`, `dmarc`, `bounce`, `bounce-mx`, ... */
export function recordKey(record: PlannedRecord, domain: string): string {
  if (record.purpose === 'dkim') return `dkim:${record.name.split('._domainkey.')[0]}`;
  if (record.purpose === 'bounce' && record.data.type !== 'CNAME')
    return record.data.type === 'MX' ? 'bounce-mx' : 'bounce-spf';
  if (record.purpose === 'spf' && record.name !== domain) return `spf:${record.name}`;
  return record.purpose;
}

/** One planned record through one view. */
export async function checkRecord(
  view: DnsView,
  record: PlannedRecord,
  ctx: CheckContext,
): Promise<PathResult> {
  const result = await checkByPurpose(view, record, ctx);
  // The zone's servers should all say the same; a stale secondary answers some receivers wrongly.
  const primary = await view.lookup(record.name, primaryType(record));
  if (primary.disagreements.length > 0)
    result.remarks.push(
      remark(
        'servers-disagree',
        'warning',
        `Not every nameserver gives the same answer for ${record.name} as ${primary.server}: ${[...new Set(primary.disagreements)].join('; ')}. A secondary may be stale: check that zone transfers work.`,
      ),
    );
  return result;
}

function primaryType(record: PlannedRecord): 'TXT' | 'MX' | 'A' {
  if (record.purpose === 'tracking' || record.purpose === 'mta-sts-host') return 'A';
  if (record.purpose === 'bounce' && record.data.type !== 'TXT') return 'MX';
  return 'TXT';
}

async function checkByPurpose(view: DnsView, record: PlannedRecord, ctx: CheckContext): Promise<PathResult> {
  switch (record.purpose) {
    case 'dkim':
      return checkDkim(view, record, ctx);
    case 'dmarc':
      return checkDmarc(view, record, ctx);
    case 'spf':
      return checkSpfAt(view, record.name, ctx, {
        required: record.required,
        expectInclude: spfInclude(record),
      });
    case 'bounce':
      return checkBounce(view, record, ctx);
    case 'tracking':
    case 'mta-sts-host':
      return (await checkCname(view, record, 'A', ctx)).result;
    case 'bimi':
    case 'mta-sts':
    case 'tls-rpt':
    case 'report-authorization':
      return record.data.type === 'CNAME'
        ? (await checkCname(view, record, 'TXT', ctx)).result
        : checkTxtText(view, record, ctx);
  }
}

function spfInclude(record: PlannedRecord): string | undefined {
  if (record.data.type !== 'TXT') return undefined;
  return /include:(\S+)/.exec(record.data.text)?.[1];
}

async function checkDkim(view: DnsView, record: PlannedRecord, ctx: CheckContext): Promise<PathResult> {
  if (record.data.type === 'CNAME') {
    const { result, final } = await checkCname(view, record, 'TXT', ctx);
    const hosted = hostedAt(ctx.plan, record.data.target).find((r) => r.data.type === 'TXT');
    if (result.remarks.some((r) => r.severity === 'error' || r.severity === 'temperror')) return result;
    if (hosted === undefined || hosted.data.type !== 'TXT') {
      result.remarks.push(
        remark(
          'dkim-no-key-yet',
          'note',
          'No key is published behind this selector yet; senderd fills it at the next rotation.',
        ),
      );
      return result;
    }
    if (final.status !== 'found') {
      result.remarks.push(
        remark(
          'target-unresolved',
          'warning',
          `The CNAME is right, but ${record.data.target} does not answer with the key yet (${final.status}). This is on senderd's side.`,
        ),
      );
      return result;
    }
    result.remarks.push(...compareDkimRecords(final.records, hosted.data.text).remarks);
    return result;
  }
  const result = emptyResult();
  const lookup = await lookupPlanned(
    view,
    record,
    'TXT',
    ctx,
    result,
    `There is no DKIM key at ${record.name}. Add the TXT record from the plan.`,
  );
  if (lookup === null) return result;
  const compared = compareDkimRecords(lookup.records, record.data.type === 'TXT' ? record.data.text : '');
  result.remarks.push(...compared.remarks);
  // A key senderd generated for this domain proves the customer published what this tenant was given.
  if (compared.matches)
    result.evidence = `${record.name} TXT holds this domain's DKIM key (${lookup.server})`;
  return result;
}

async function checkBounce(view: DnsView, record: PlannedRecord, ctx: CheckContext): Promise<PathResult> {
  if (record.data.type === 'CNAME') {
    const { result, final } = await checkCname(view, record, 'MX', ctx);
    if (result.remarks.some((r) => r.severity === 'error' || r.severity === 'temperror')) return result;
    if (!final.records.some((r) => r.data.type === 'MX' && sameName(r.data.exchange, ctx.platform.mxHost)))
      result.remarks.push(
        remark(
          'target-unresolved',
          'warning',
          `The CNAME is right, but its target has no MX to ${ctx.platform.mxHost} yet. This is on senderd's side.`,
        ),
      );
    // The return path's SPF is what receivers evaluate for senderd's mail (RFC 7208 §2.4): it must pass.
    const spf = await checkSpfAt(view, record.name, ctx, { required: true });
    result.remarks.push(...spf.remarks.filter((r) => r.code !== 'cname-at-apex' && r.severity !== 'note'));
    return result;
  }
  if (record.data.type === 'TXT') return checkSpfAt(view, record.name, ctx, { required: true });
  const result = emptyResult();
  const lookup = await lookupPlanned(
    view,
    record,
    'MX',
    ctx,
    result,
    `There is no MX at ${record.name}: bounces cannot come back to senderd. Add: ${record.name} MX ${presentValue(record.data)}`,
  );
  if (lookup === null) return result;
  const mx = lookup.records.flatMap((r) => (r.data.type === 'MX' ? [r.data] : []));
  if (mx.some((m) => m.exchange === '' || m.exchange === '.'))
    result.remarks.push(
      remark(
        'null-mx',
        'error',
        `${record.name} has a null MX ("."), which says it accepts no mail (RFC 7505): bounces are lost.`,
      ),
    );
  const ours = mx.filter((m) => sameName(m.exchange, ctx.platform.mxHost));
  if (ours.length === 0)
    result.remarks.push(
      remark(
        'mx-wrong-host',
        'error',
        `The MX points to ${mx.map((m) => m.exchange).join(', ')} instead of ${ctx.platform.mxHost}: bounces do not reach senderd.`,
      ),
    );
  else if (ours.length < mx.length)
    result.remarks.push(
      remark(
        'mx-extra',
        'warning',
        `Besides ${ctx.platform.mxHost}, the MX also lists ${mx
          .filter((m) => !ours.includes(m))
          .map((m) => m.exchange)
          .join(', ')}; some bounces may go there instead.`,
      ),
    );
  return result;
}

/** A TXT record compared as text (strings joined), for records without a dedicated check. */
async function checkTxtText(view: DnsView, record: PlannedRecord, _ctx: CheckContext): Promise<PathResult> {
  const result = emptyResult();
  const lookup = await view.lookup(record.name, 'TXT');
  result.observed.push(...observe(lookup, view.path));
  const trouble = troubleRemark(lookup);
  if (trouble !== null) result.remarks.push(trouble);
  else if (record.data.type === 'TXT') {
    const want = record.data.text;
    const texts = lookup.records.flatMap((r) => (r.data.type === 'TXT' ? [joinTxt(r.data)] : []));
    if (!texts.some((t) => t.replace(/[;\s]+$/, '') === want.replace(/[;\s]+$/, '')))
      result.remarks.push(
        remark(
          texts.length === 0 ? 'missing' : 'value-differs',
          'error',
          `Expected "${want}" at ${record.name}.`,
        ),
      );
  }
  return result;
}
