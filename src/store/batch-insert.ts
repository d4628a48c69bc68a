import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Dialect } from './database.ts';

/**
 * Multi-row INSERTs for rows that arrive by the thousand (opens and clicks, their platform events): one cached
 * statement text per table and chunk size, and a flat parameter list, instead of a query tree per batch. The
 * chunk sizes are fixed (256, 64, 16, 4, 1 rows), so a table needs at most five statement texts whatever the
 * batch size, and each stays prepared in the SQLite statement cache. 256 rows × 16 columns stays far below
 * SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
 */
const CHUNKS = [256, 64, 16, 4, 1] as const;
const texts = new Map<string, string>();

function insertText(dialect: Dialect, table: string, columns: readonly string[], rows: number): string {
  const key = `${dialect} ${table} (${columns.join(',')}) ${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    const width = columns.length;
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const marks: string[] = [];
      for (let c = 0; c < width; c++) marks.push(dialect === 'postgres' ? `$${r * width + c + 1}` : '?');
      tuples.push(`(${marks.join(', ')})`);
    }
    text = `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (each the values of `columns`, in order) into `table`, in as few statements as the chunk sizes
 * allow. Run it inside a transaction when the rows must land together.
 */
export async function insertRows(
  db: Kysely<Database>,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  let i = 0;
  for (const size of CHUNKS) {
    while (rows.length - i >= size) {
      const params: unknown[] = [];
      for (let r = i; r < i + size; r++) for (const value of rows[r]!) params.push(value);
      await db.executeQuery(CompiledQuery.raw(insertText(dialect, table, columns, size), params));
      i += size;
    }
  }
}
