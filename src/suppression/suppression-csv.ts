/**
 * CSV (RFC 4180) for importing and exporting a suppression list: fields separated by commas, records by CRLF
 * (LF read too), a field holding a comma, quote or line break enclosed in double quotes with inner quotes
 * doubled (§2.5–2.7). Small enough to keep here rather than add a dependency for one table's import and export.
 */

export const CSV_COLUMNS = [
  'address',
  'reason',
  'source',
  'evidence',
  'created_at',
  'expires_at',
  'created_by',
  'domain',
] as const;

/** One field as RFC 4180 §2.6 writes it; a leading =, +, - or @ is prefixed with ' against formula injection. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsvRow(values: readonly string[]): string {
  return `${values.map(field).join(',')}\r\n`;
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** The records of a CSV text; an unterminated quoted field is an error with its line. */
export function parseCsv(text: string): { records: CsvRecord[]; problem: string | null } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let value = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let wasQuoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endField = () => {
    fields.push(value);
    value = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push({ line: start, fields });
    fields = [];
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        value += c;
      }
    } else if (c === '"' && value === '') {
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else value += c;
  }
  if (quoted) return { records, problem: `line ${start}: a quoted field is never closed` };
  if (value !== '' || fields.length > 0) endRecord();
  return { records, problem: null };
}
