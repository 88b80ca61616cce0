import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { cliDatabase } from '../support/cli';
import type { Engine } from '../support/engines';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export type Query = (text: string) => Promise<Record<string, unknown>[]>;

/** Runs `work` on a short-lived connection to the CLI database (PGlite folder or Postgres URL). */
export async function withConnection<T>(env: Record<string, string>, work: (query: Query) => Promise<T>): Promise<T> {
  if (env.PGLITE_DIR) {
    const db = await PGlite.create(env.PGLITE_DIR);
    try {
      return await work(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return await work(async (text) => (await client.query(text)).rows);
  } finally {
    await client.end();
  }
}

/** A fresh database holding one seed system's tables and rows, as that app would have created them. */
export async function fixtureDatabase(engine: Engine, fixture: string) {
  const database = await cliDatabase(engine);
  const sql = readFileSync(path.join(FIXTURES, fixture), 'utf8');
  if (database.env.PGLITE_DIR) {
    // PGlite's query() runs one statement; exec() runs a script.
    const db = await PGlite.create(database.env.PGLITE_DIR);
    await db.exec(sql);
    await db.close();
  } else await withConnection(database.env, (query) => query(sql));
  return database;
}

/**
 * The app's schema as the catalog describes it: every table, view, column, index, constraint,
 * trigger and enum outside opsroom's own schemas, in a stable order. Equal before and after
 * means opsroom ran no DDL on the app.
 */
export async function catalogSnapshot(query: Query): Promise<string> {
  const parts = await Promise.all([
    query(`select n.nspname, c.relname, c.relkind, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) as def
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
           where n.nspname not in ('opsroom', 'drizzle', 'pg_catalog', 'information_schema', 'pg_toast') and c.relkind in ('r', 'p', 'v', 'm', 'S', 'i')
           order by 1, 2, 4`),
    query(`select n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid) as def from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
           where n.nspname not in ('opsroom', 'drizzle', 'pg_catalog', 'information_schema', 'pg_toast') order by 1, 2, 3`),
    query(`select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname not in ('opsroom', 'drizzle', 'pg_catalog', 'information_schema') order by 1, 2, 3`),
    query(`select c.relname, t.tgname, pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
           where not t.tgisinternal and n.nspname not in ('opsroom', 'drizzle') order by 1, 2`),
    query(`select n.nspname, t.typname, t.typtype from pg_type t join pg_namespace n on n.oid = t.typnamespace
           where n.nspname not in ('opsroom', 'drizzle', 'pg_catalog', 'information_schema', 'pg_toast') and t.typtype in ('e', 'd', 'c') and t.typrelid = 0 order by 1, 2`),
    query(`select nspname from pg_namespace where nspname not like 'pg_%' and nspname not in ('opsroom', 'drizzle', 'information_schema') order by 1`),
  ]);
  return JSON.stringify(parts, null, 1);
}
