/**
 * How `senderd reports sources` shows named senders (src/senders): a column with the service and whether its mail
 * passes DMARC, and under the table the one fix for each source that fails, with the records to publish.
 */
import type { ClassifiedSource } from '../reports/index.ts';

const STATUS = { all: 'passes', some: 'partly fails', none: 'fails' } as const;

/** "Zendesk (passes)", "unknown (fails)", or "-" for the platform's own addresses. */
export function senderColumn(s: ClassifiedSource): string {
  if (s.sender === null) return '-';
  const name = s.sender.service?.name ?? 'unknown';
  return `${name} (${STATUS[s.sender.dmarc]}${s.sender.confidence === 'weak' ? ', weak evidence' : ''})`;
}

/** The fixes, one block per failing named source; empty when none fails. */
export function senderFixes(sources: readonly ClassifiedSource[]): string {
  const blocks = sources.flatMap((s) => {
    const fix = s.sender?.fix ?? null;
    if (fix === null) return [];
    const records = fix.records.map((r) => `    ${r.name} ${r.type} ${r.value}`);
    const note = s.sender?.note ?? null;
    if (note !== null) records.push(`    note: ${note}`);
    return [
      [
        `  ${s.sender?.service?.name ?? s.sourceIp} (${s.sourceIp}): ${fix.action}`,
        ...records,
        `    see ${fix.source}`,
      ].join('\n'),
    ];
  });
  return blocks.length === 0 ? '' : `\n\nTo fix:\n${blocks.join('\n')}`;
}
