// The shipped migrations, in order, per dialect. Imported as text so they live inside the binary.
// Add a file to each dialect's folder and a line to each list; never edit an applied one.

import sqliteInit from "./sqlite/0001_init.sql" with { type: "text" };
import postgresInit from "./postgres/0001_init.sql" with { type: "text" };
import sqliteRateLimit from "./sqlite/0002_key_rate_limit.sql" with { type: "text" };
import postgresRateLimit from "./postgres/0002_key_rate_limit.sql" with { type: "text" };
import sqliteServing from "./sqlite/0003_serving_processes.sql" with { type: "text" };

export interface Migration {
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  { name: "0001_init", sql: sqliteInit },
  { name: "0002_key_rate_limit", sql: sqliteRateLimit },
  // SQLite's alone: only its driver tells a dead gateway's holds from a live one's (driver.ts).
  { name: "0003_serving_processes", sql: sqliteServing },
];
export const postgresMigrations: readonly Migration[] = [
  { name: "0001_init", sql: postgresInit },
  { name: "0002_key_rate_limit", sql: postgresRateLimit },
];

/** Where applied migrations are tracked, in both dialects. */
export const MIGRATIONS_TABLE = "switchyard_migrations";
