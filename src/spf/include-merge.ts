import { parseSpfRecord } from './record.ts';

/** What merging an include into an existing SPF record gives. */
export type IncludeMerge =
  | { readonly kind: 'present' }
  | { readonly kind: 'merged'; readonly record: string }
  | { readonly kind: 'unmergeable'; readonly reason: string };

/**
 * Adds `include:<domain>` to an SPF record the customer already has, instead of a second record (RFC 7208 §3.2:
 * two records are a permerror). The include goes before the `all` mechanism, since mechanisms after it are never
 * evaluated (RFC 7208 §5.1), and before `redirect=`/`exp=`; everything else stays as the customer wrote it.
 * A record with a syntax error is not touched: the customer has to fix what receivers already reject.
 */
export function mergeInclude(record: string, domain: string): IncludeMerge {
  const parsed = parseSpfRecord(record);
  if (!parsed.ok)
    return { kind: 'unmergeable', reason: `the SPF record has a syntax error (${parsed.error})` };
  const wanted = domain.toLowerCase();
  if (
    parsed.value.directives.some(
      (d) =>
        d.mechanism.kind === 'include' && d.text.replace(/^[+]/, '').toLowerCase() === `include:${wanted}`,
    )
  )
    return { kind: 'present' };
  if (parsed.value.directives.some((d) => d.mechanism.kind === 'all' && d.qualifier === '+'))
    return { kind: 'unmergeable', reason: '"+all" already lets every server send; fix that first' };
  const terms = record.split(' ').filter((t) => t !== '');
  const at = terms.findIndex((t, i) => i > 0 && (/^[+\-~?]?all$/i.test(t) || /^(redirect|exp)=/i.test(t)));
  const position = at < 0 ? terms.length : at;
  terms.splice(position, 0, `include:${domain}`);
  return { kind: 'merged', record: terms.join(' ') };
}
