import type { PlannedRecord } from '../domains/index.ts';
import { joinTxt, type RecordType } from '../resolver/index.ts';
import { emptyResult, observe, troubleRemark, type CheckContext, type PathResult } from './context.ts';
import type { DnsView, Lookup } from './model.ts';
import { presentData } from './present.ts';
import { remark, sameName } from './remarks.ts';
import { probeWrongNames } from './wrong-name.ts';

/**
 * A planned CNAME, checked by meaning: the target compared as a name (case and trailing dot do not matter), a
 * provider that flattens the CNAME into the same data accepted with a remark, another senderd token named as
 * such, and the data found in its place explained.
 *
 * `type` is what is asked at the name (TXT for DKIM and DMARC, MX for the bounce host, A for the click host),
 * so one question shows both the CNAME and what it leads to.
 */
export async function checkCname(
  view: DnsView,
  record: PlannedRecord,
  type: RecordType,
  ctx: CheckContext,
): Promise<{ result: PathResult; final: Lookup }> {
  const result = emptyResult();
  const expected = record.data.type === 'CNAME' ? record.data.target : '';
  const lookup = await view.lookup(record.name, type);
  result.observed.push(...observe(lookup, view.path));
  const trouble = troubleRemark(lookup);
  if (trouble !== null && lookup.chain.length === 0) {
    result.remarks.push(trouble);
    return { result, final: lookup };
  }
  const first = lookup.chain[0];
  if (first !== undefined) {
    if (sameName(first.target, expected)) {
      // The expected target carries this domain's token, so reaching it proves control (DESIGN.md Security).
      if (record.purpose === 'dkim' || record.purpose === 'dmarc')
        result.evidence = `${record.name} CNAME ${first.target} (${first.server})`;
    } else if (lookup.chain.some((l) => sameName(l.target, expected))) {
      result.remarks.push(
        remark(
          'cname-chain',
          'note',
          `The name reaches ${expected} through another CNAME first (${first.target}). That works; a direct CNAME is one lookup shorter.`,
        ),
      );
    } else {
      result.remarks.push(wrongTarget(first.target, expected, ctx));
    }
    if (trouble !== null) result.remarks.push(trouble);
    return { result, final: lookup };
  }
  if (lookup.status === 'found') {
    // Data at the name itself, no CNAME: a flattening provider (same data as the target) or something else.
    const target = await view.lookup(expected, type);
    const same =
      target.status === 'found' &&
      setOf(target).length === setOf(lookup).length &&
      setOf(target).every((v, i) => v === setOf(lookup)[i]);
    if (same) {
      result.remarks.push(
        remark(
          'cname-flattened',
          'warning',
          `Your DNS host answers with the target's data instead of the CNAME (CNAME flattening). It works today, but changes senderd makes (a new key, a policy step) reach receivers only when your host refreshes its copy.`,
        ),
      );
    } else {
      const values = lookup.records.map((r) => presentData(r.data)).join(', ');
      result.remarks.push(
        remark(
          'cname-blocked-by-other-data',
          'error',
          `${record.name} has its own ${type} record${lookup.records.length > 1 ? 's' : ''} (${values.slice(0, 120)}) where the CNAME should be. A name with a CNAME can hold nothing else (RFC 1034 §3.6.2, RFC 2181 §10.1): delete ${lookup.records.length > 1 ? 'them' : 'it'}, then add the CNAME.`,
        ),
      );
    }
    return { result, final: lookup };
  }
  const probes = await probeWrongNames(view, record, type, ctx);
  result.observed.push(...probes.observed);
  result.remarks.push(
    ...probes.remarks,
    remark(
      'missing',
      'error',
      `There is no CNAME at ${record.name} (${lookup.status === 'nxdomain' ? 'the name does not exist' : 'the name has no such record'}). Add: ${record.name} CNAME ${expected}`,
    ),
  );
  return { result, final: lookup };
}

function wrongTarget(found: string, expected: string, ctx: CheckContext) {
  const zone = ctx.platform.zone;
  if (found.endsWith(`.${ctx.apex}`) && sameName(found.slice(0, -(ctx.apex.length + 1)), expected)) {
    return remark(
      'cname-target-doubled',
      'error',
      `The CNAME points to ${found}: your DNS host appended your domain to the target. Enter the target with a trailing dot: ${expected}.`,
    );
  }
  if (found.endsWith(`.${zone}`)) {
    return remark(
      'cname-other-token',
      'error',
      `The CNAME points to ${found}, which is another senderd domain's record, not this domain's. Copy the target from this domain's plan: ${expected}.`,
    );
  }
  return remark('cname-wrong-target', 'error', `The CNAME points to ${found} instead of ${expected}.`);
}

/** The data as receivers read it: TXT strings joined (a flattening host may split them differently). */
function setOf(lookup: Lookup): string[] {
  return lookup.records.map((r) => (r.data.type === 'TXT' ? joinTxt(r.data) : presentData(r.data))).sort();
}
