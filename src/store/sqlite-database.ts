import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

const STATEMENT_CACHE = 200;
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Adapts Node's built-in `node:sqlite` to the interface Kysely's SqliteDialect expects (better-sqlite3's).
 * No native module to build, and it runs on the same Node as everything else.
 */
export function openSqliteDatabase(path: string): SqliteDatabase & { raw: DatabaseSync } {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
  // WAL lets the CLI write while the server reads; NORMAL sync is durable across application crashes in WAL mode.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  const statements = new Map<string, StatementSync>();
  return {
    raw: db,
    close: () => db.close(),
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
