import type { DmarcFault, DmarcRecord, ParsedDmarcRecord } from '../dmarc/index.ts';
import type { Remark } from './model.ts';
import { remark } from './remarks.ts';

/**
 * What the checks say about a DMARC record's faults (dmarc/ parses the record; RFC 7489 §6.3 and RFC 9989 define
 * it). Unknown tags are ignored by receivers, so they are warnings, not errors; tags RFC 9989 removed are notes.
 */
export function dmarcRemark(fault: DmarcFault): Remark {
  switch (fault.kind) {
    case 'not-a-tag':
      return remark('dmarc-syntax', 'error', `"${fault.text}" is not a tag=value pair (RFC 7489 §6.4).`);
    case 'no-version':
      return remark('dmarc-syntax', 'error', 'A DMARC record must begin with v=DMARC1 (RFC 7489 §6.4).');
    case 'duplicate-tag':
      return remark(
        'dmarc-duplicate-tag',
        'error',
        `The tag ${fault.tag}= appears twice; receivers may reject the record.`,
      );
    case 'unknown-tag':
      return remark(
        'dmarc-unknown-tag',
        'warning',
        `The tag ${fault.tag}= is not a DMARC tag; receivers ignore it (RFC 7489 §6.3).`,
      );
    case 'bad-value':
      return remark(
        'dmarc-bad-value',
        'error',
        `${fault.tag}=${fault.value} is not valid: it must be ${fault.expected}.`,
      );
    case 'legacy-tag':
      return remark(
        'dmarc-legacy-tag',
        'note',
        `${fault.tag}= is legacy: RFC 9989 removed it and receivers following it ignore it${fault.tag === 'pct' ? ' (t=y is its replacement for testing)' : ''}; RFC 7489 receivers still read it.`,
      );
    case 'no-policy':
      return remark(
        'dmarc-no-policy',
        'warning',
        'There is no p= tag: receivers treat the policy as p=none (RFC 7489 §6.6.3).',
      );
    case 'bad-uri':
      return remark(
        'dmarc-bad-uri',
        'error',
        `${fault.tag}= has "${fault.uri}", which is not a mailto: URI (RFC 7489 §6.2).`,
      );
  }
}

/**
 * The record the checks go on to read (its rua destinations, its policy), or null when it has a syntax error: the
 * checks hold a record to the grammar, although receivers following RFC 9989 would discard the broken part.
 */
export function checkedRecord(parsed: ParsedDmarcRecord): DmarcRecord | null {
  return parsed.faults.some((f) => f.kind === 'not-a-tag') ? null : parsed.record;
}
