import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

const STATEMENT_CACHE = 200;
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Adapts Node's built-in `node:sqlite` to the interface Kysely's SqliteDialect expects (better-sqlite3's).
 * No native module to build, and it runs on the same Node as everything else.
 */
/**
 * How much of the file may be memory-mapped while reading in bulk: SQLite's own ceiling
 * (SQLITE_MAX_MMAP_SIZE, 0x7fff0000); it maps at most the file's size.
 */
const BULK_MMAP_BYTES = 0x7fff0000;

export function openSqliteDatabase(
  path: string,
): SqliteDatabase & { raw: DatabaseSync; readingInBulk<T>(fn: () => Promise<T>): Promise<T> } {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
  // WAL lets the CLI write while the server reads; NORMAL sync is durable across application crashes in WAL mode.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  const statements = new Map<string, StatementSync>();
  let bulkReaders = 0;
  return {
    raw: db,
    close: () => db.close(),
    /**
     * Runs `fn` with the file memory-mapped (https://sqlite.org/mmap.html): a full zone build reads every domain
     * and key row through the id indexes, in an order unrelated to the file's, and through the 2 MB page cache
     * each row costs a read(2) and a copy. The mapping is dropped afterwards (`mmap_size = 0`), so the pages it
     * touched do not stay in the server's resident size.
     */
    async readingInBulk<T>(fn: () => Promise<T>): Promise<T> {
      if (bulkReaders++ === 0) db.exec(`PRAGMA mmap_size = ${BULK_MMAP_BYTES}`);
      try {
        return await fn();
      } finally {
        if (--bulkReaders === 0) db.exec('PRAGMA mmap_size = 0');
      }
    },
    prepare(sqlText: string): SqliteStatement {
      // Statements are cached by their text: bulk inserts repeat the same statement thousands of times.
      let stmt = statements.get(sqlText);
      if (stmt === undefined) {
        stmt = db.prepare(sqlText);
        if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
        statements.set(sqlText, stmt);
      }
      const reader = stmt.columns().length > 0;
      const bind = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqlite);
      return {
        reader,
        all: (parameters) => stmt.all(...bind(parameters)),
        run: (parameters) => {
          const r = stmt.run(...bind(parameters));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (parameters) => stmt.iterate(...bind(parameters)),
      };
    },
  };
}

function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}
