/** The store: the ports of every capability, implemented once over Kysely for SQLite and PostgreSQL. */
export { openStore, createStore, pingStore } from './store.ts';
export type { Store, StoreOptions } from './store.ts';
export type { Database, Dialect } from './database.ts';
export { logChange } from './domain-repository.ts';
