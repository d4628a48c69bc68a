/** The store: the ports of every capability, implemented once over Kysely for SQLite and PostgreSQL. */
export { openStore, createStore, pingStore } from './store.ts';
export type { Store, StoreOptions } from './store.ts';
export type { Database } from './database.ts';
export type { Dialect } from './migrations.ts';
export { logChange } from './domain-repository.ts';
