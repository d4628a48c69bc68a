import { isDmarcRecord, parseDmarcRecord } from '../dmarc/index.ts';
import type { PlannedRecord } from '../domains/index.ts';
import { joinTxt } from '../resolver/index.ts';
import { checkCname } from './cname-check.ts';
import { emptyResult, hostedAt, troubleRemark, type CheckContext, type PathResult } from './context.ts';
import { checkedRecord, dmarcRemark } from './dmarc-remarks.ts';
import type { DnsView, Lookup } from './model.ts';
import { remark } from './remarks.ts';
import { lookupPlanned } from './wrong-name.ts';

/**
 * `_dmarc.<domain>`: a CNAME to the hosted policy (delegated mode) or the policy itself (self-hosted), and in
 * both cases exactly one DMARC record after CNAMEs (RFC 7489 §6.6.3), valid, with its rua destinations
 * authorised (RFC 7489 §7.1).
 */
export async function checkDmarc(
  view: DnsView,
  record: PlannedRecord,
  ctx: CheckContext,
): Promise<PathResult> {
  if (record.data.type === 'CNAME') {
    const { result, final } = await checkCname(view, record, 'TXT', ctx);
    const hosted = hostedAt(ctx.plan, record.data.target).find((r) => r.data.type === 'TXT');
    if (final.status === 'found' && !result.remarks.some((r) => r.code === 'cname-blocked-by-other-data')) {
      await readPolicy(view, final, hosted?.data.type === 'TXT' ? hosted.data.text : null, ctx, result);
    }
    return result;
  }
  const result = emptyResult();
  const lookup = await lookupPlanned(
    view,
    record,
    'TXT',
    ctx,
    result,
    `There is no DMARC record at ${record.name}. Add the TXT record from the plan.`,
  );
  if (lookup === null) return result;
  await readPolicy(view, lookup, record.data.type === 'TXT' ? record.data.text : null, ctx, result);
  return result;
}

async function readPolicy(
  view: DnsView,
  lookup: Lookup,
  expected: string | null,
  ctx: CheckContext,
  result: PathResult,
): Promise<void> {
  const texts = lookup.records.flatMap((r) => (r.data.type === 'TXT' ? [joinTxt(r.data)] : []));
  const dmarc = texts.filter(isDmarcRecord);
  const quoted = texts.filter((t) => !isDmarcRecord(t) && isDmarcRecord(t.replace(/^["'\s]+/, '')));
  if (quoted.length > 0)
    result.remarks.push(
      remark(
        'stray-quotes',
        'error',
        `The DMARC record is ${JSON.stringify(quoted[0]!.slice(0, 50))}: the quotes are part of the value, so receivers ignore it. Enter the value without quotes.`,
      ),
    );
  if (dmarc.length === 0) {
    if (quoted.length === 0)
      result.remarks.push(
        remark(
          'dmarc-not-dmarc',
          'error',
          `The TXT record${texts.length > 1 ? 's' : ''} at ${lookup.name} ${texts.length > 1 ? 'are' : 'is'} not a DMARC record (none begins with v=DMARC1): "${(texts[0] ?? '').slice(0, 60)}".`,
        ),
      );
    return;
  }
  if (dmarc.length > 1) {
    result.remarks.push(
      remark(
        'dmarc-multiple',
        'error',
        `There are ${dmarc.length} DMARC records. With more than one, receivers apply no DMARC policy at all (RFC 7489 §6.6.3). Keep one.`,
      ),
    );
    return;
  }
  const text = dmarc[0]!;
  const parsed = parseDmarcRecord(text);
  result.remarks.push(...parsed.faults.map(dmarcRemark));
  const record = checkedRecord(parsed);
  if (record === null) return;
  const token = ctx.plan.token;
  const ours = `${token}@${ctx.platform.reportsHost}`.toLowerCase();
  const hasOurs = record.rua.some((u) => u.uri.toLowerCase().startsWith(`mailto:${ours}`));
  if (hasOurs) result.evidence ??= `${lookup.name} TXT rua=mailto:${ours} (${lookup.server})`;
  if (expected !== null) {
    const plan = parseDmarcRecord(expected).record;
    if (!hasOurs)
      result.remarks.push(
        remark(
          'dmarc-rua-missing',
          'error',
          `The record does not send aggregate reports to senderd (rua=mailto:${ours}), so the dashboard and the rollout autopilot see nothing. Add it to rua=.`,
        ),
      );
    const want = plan?.tags.get('p');
    const have = record.tags.get('p');
    if (want !== undefined && have !== undefined && want !== have)
      result.remarks.push(
        remark(
          'dmarc-policy-differs',
          'warning',
          `The policy is p=${have}; the plan's current step is p=${want}.`,
        ),
      );
    if (text.replace(/[;\s]+$/, '') === expected.replace(/[;\s]+$/, '') && text !== expected)
      result.remarks.push(
        remark(
          'trailing-semicolon',
          'warning',
          'The trailing ";" differs from the planned value (your DNS host removed or added it). This is harmless.',
        ),
      );
  }
  // RFC 7489 §7.1: a report destination in another organisational domain must authorise this domain.
  const org = ctx.organizationalDomain(ctx.plan.domain);
  for (const uri of record.rua) {
    if (uri.domain === null || ctx.organizationalDomain(uri.domain) === org) continue;
    const name = `${ctx.plan.domain}._report._dmarc.${uri.domain}`;
    const auth = await view.lookup(name, 'TXT');
    const ok = auth.records.some((r) => r.data.type === 'TXT' && isDmarcRecord(joinTxt(r.data)));
    if (ok) continue;
    const trouble = troubleRemark(auth);
    const isOurs = uri.domain === ctx.platform.reportsHost;
    result.remarks.push(
      trouble ??
        remark(
          'dmarc-rua-unauthorised',
          isOurs ? 'error' : 'warning',
          `Reports to ${uri.uri} go to another domain, which has not authorised them: ${name} has no "v=DMARC1" TXT record, so receivers will not send them there (RFC 7489 §7.1).${isOurs ? " This is senderd's own record: tell your operator." : ` Ask the owner of ${uri.domain} to publish it.`}`,
        ),
    );
  }
}
