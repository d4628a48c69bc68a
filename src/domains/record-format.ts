import type { PlannedRecord, RecordData, RecordPlan } from './record-plan.ts';
import { quoteTxtString, splitTxtStrings } from './txt-strings.ts';

export const RECORD_FORMATS = ['table', 'json', 'bind', 'csv'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** The record's value as a person types it into a DNS host's form: no quotes, no trailing dot. */
export function presentValue(data: RecordData): string {
  switch (data.type) {
    case 'CNAME':
      return data.target;
    case 'TXT':
      return data.text;
    case 'MX':
      return `${data.preference} ${data.exchange}`;
    case 'A':
    case 'AAAA':
      return data.address;
  }
}

/** The value in zone-file syntax: absolute names, TXT split into quoted strings. */
export function zoneFileValue(data: RecordData): string {
  switch (data.type) {
    case 'CNAME':
      return `${data.target}.`;
    case 'TXT':
      return splitTxtStrings(data.text).map(quoteTxtString).join(' ');
    case 'MX':
      return `${data.preference} ${data.exchange}.`;
    case 'A':
    case 'AAAA':
      return data.address;
  }
}

/**
 * The owner name relative to the zone the customer edits, as most DNS hosts' forms want it:
 * `@` for the apex, `sd1._domainkey.newsletter` under example.com.
 */
export function relativeName(name: string, apex: string): string {
  if (name === apex) return '@';
  return name.endsWith(`.${apex}`) ? name.slice(0, -(apex.length + 1)) : `${name}.`;
}

export interface FormatOptions {
  /** The zone the customer edits (the registrable domain), for relative names. */
  readonly apex: string;
  /** Include the records senderd hosts (for operators and the curious). */
  readonly hosted?: boolean;
}

export function formatPlan(plan: RecordPlan, format: RecordFormat, options: FormatOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(planToJson(plan, options), null, 2) + '\n';
    case 'csv':
      return planToCsv(plan, options);
    case 'bind':
      return planToBind(plan, options);
    case 'table':
      return planToTable(plan, options);
  }
}

export interface PlannedRecordJson {
  name: string;
  host: string;
  type: RecordData['type'];
  value: string;
  ttl: number;
  required: boolean;
  purpose: string;
  note: string;
}

function recordToJson(r: PlannedRecord, apex: string): PlannedRecordJson {
  return {
    name: r.name,
    host: relativeName(r.name, apex),
    type: r.data.type,
    value: presentValue(r.data),
    ttl: r.ttl,
    required: r.required,
    purpose: r.purpose,
    note: r.note,
  };
}

export function planToJson(plan: RecordPlan, options: FormatOptions) {
  return {
    domain: plan.domain,
    mode: plan.mode,
    token: plan.token,
    zone: options.apex,
    customer: plan.customer.map((r) => recordToJson(r, options.apex)),
    keptSelectors: [...plan.keptSelectors],
    hosted: plan.hosted.map((r) => recordToJson(r, r.name)).map(({ host: _host, ...rest }) => rest),
  };
}

function csvField(value: string): string {
  // RFC 4180 §2: quote fields holding commas, quotes or line breaks; double the quotes inside.
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function planToCsv(plan: RecordPlan, options: FormatOptions): string {
  const header = ['name', 'host', 'type', 'value', 'ttl', 'required', 'purpose', 'note'];
  const rows = [...plan.customer, ...(options.hosted ? plan.hosted : [])].map((r) => {
    const j = recordToJson(r, options.apex);
    return [j.name, j.host, j.type, j.value, String(j.ttl), j.required ? 'yes' : 'no', j.purpose, j.note];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function planToBind(plan: RecordPlan, options: FormatOptions): string {
  const line = (r: PlannedRecord) => `${r.name}. ${r.ttl} IN ${r.data.type} ${zoneFileValue(r.data)}`;
  const out = [
    `; senderd records for ${plan.domain} (${plan.mode} mode). Add them to the zone of ${options.apex}.`,
    '; Names are absolute. Records marked optional can be left out.',
  ];
  for (const r of plan.customer) {
    out.push(`; ${r.required ? 'required' : 'optional'}, ${r.purpose}: ${r.note}`);
    out.push(line(r));
  }
  if (options.hosted) {
    out.push('', `; Hosted by senderd in its own zone (for reference; do not add these):`);
    // Commented out, so that pasting the whole snippet can never add them to the customer's zone.
    for (const r of plan.hosted) out.push(`; ${line(r)}`);
  }
  return out.join('\n') + '\n';
}

function planToTable(plan: RecordPlan, options: FormatOptions): string {
  const rows = plan.customer.map((r) => recordToJson(r, options.apex));
  const head = { host: 'HOST', type: 'TYPE', value: 'VALUE', need: 'NEEDED' };
  const width = (f: (r: PlannedRecordJson) => string, title: string) =>
    Math.max(title.length, ...rows.map((r) => f(r).length));
  const wHost = width((r) => r.host, head.host);
  const wType = width((r) => r.type, head.type);
  const wNeed = Math.max(head.need.length, 'optional'.length);
  const out = [
    `Records to create in the DNS of ${options.apex} for sender domain ${plan.domain} (${plan.mode} mode):`,
    '',
    `  ${head.host.padEnd(wHost)}  ${head.type.padEnd(wType)}  ${head.need.padEnd(wNeed)}  ${head.value}`,
  ];
  for (const r of rows) {
    out.push(
      `  ${r.host.padEnd(wHost)}  ${r.type.padEnd(wType)}  ${(r.required ? 'required' : 'optional').padEnd(wNeed)}  ${r.value}`,
    );
  }
  out.push('', 'Why each record is there:');
  for (const r of rows) out.push(`  ${r.host} ${r.type}: ${r.note}`);
  if (plan.keptSelectors.length > 0) {
    out.push('', `Your own DKIM selectors, left as they are: ${plan.keptSelectors.join(', ')}.`);
  }
  if (options.hosted) {
    out.push('', 'Hosted by senderd (nothing to do):');
    for (const r of plan.hosted) out.push(`  ${r.name} ${r.data.type} ${presentValue(r.data)}`);
  }
  return out.join('\n') + '\n';
}
