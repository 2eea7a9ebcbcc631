// The store contract on SQLite (better-sqlite3, WAL, a real file).
import { storeContract } from './store-contract';
import { openSqliteHarness } from './sqlite-harness';

storeContract('SQLite', openSqliteHarness);
