import { sql, type SQL } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Catalog, CatalogColumn, CatalogTable } from '../catalog';

/**
 * The catalog of a MySQL 8 / MariaDB 10.11+ database from information_schema, in the shape the
 * Postgres reader gives, so mapping, presets and opsroom.adopt.json are the same for both.
 *
 * The database the URL names is reported as schema `public`: a mapping then names tables the same
 * way on both engines, and one file serves every environment whatever its database is called
 * (`chameleon_dev`, `chameleon`). Other databases (`--schema analytics`) keep their own names.
 */
export const DEFAULT_SCHEMA = 'public';

type Rows<T> = T[];

async function rows<T>(db: MySql2Database, query: SQL): Promise<Rows<T>> {
  const [result] = (await db.execute(query)) as unknown as [T[]];
  return result;
}

/** `enum('a','it''s')` → ['a', "it's"]; SET columns list their members the same way. */
export function enumLabels(columnType: string): string[] {
  const body = /^(?:enum|set)\((.*)\)$/is.exec(columnType)?.[1] ?? '';
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
}

/**
 * information_schema's DATA_TYPE, with two facts MySQL only shows elsewhere: TINYINT(1) is how
 * MySQL spells boolean (Drizzle's `boolean()` and Prisma's `Boolean` both create it), and a
 * MariaDB JSON column is LONGTEXT with a `json_valid` check.
 */
function udtOf(dataType: string, columnType: string, jsonChecked: boolean): string {
  const t = dataType.toLowerCase();
  if (t === 'tinyint' && /^tinyint\(1\)/i.test(columnType)) return 'bool';
  if (jsonChecked && t === 'longtext') return 'json';
  return t;
}

type ColumnRow = {
  schema: string; table: string; table_type: string; table_rows: number | string | null; name: string; data_type: string; column_type: string;
  is_nullable: string; column_default: string | null; extra: string; is_generated: string;
};

/** Reads tables, views, keys, foreign keys (where the engine keeps them), indexes, ENUM/SET values and row estimates. */
export async function readMysqlCatalog(db: MySql2Database, connected: string, schemas: string[]): Promise<Catalog> {
  const toDb = (s: string) => (s === DEFAULT_SCHEMA ? connected : s);
  const fromDb = (s: string) => (s === connected ? DEFAULT_SCHEMA : s);
  const names = [...new Set(schemas.map(toDb))];
  const [{ version }] = await rows<{ version: string }>(db, sql`select version() as version`);
  const mariadb = /mariadb/i.test(version);

  const columns = await rows<ColumnRow>(
    db,
    sql`select c.table_schema as \`schema\`, c.table_name as \`table\`, t.table_type, t.table_rows, c.column_name as name, c.data_type, c.column_type,
          c.is_nullable, c.column_default, c.extra, c.is_generated
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema in ${names} and t.table_type in ('BASE TABLE', 'VIEW')
        order by c.table_schema, c.table_name, c.ordinal_position`,
  );
  const stats = await rows<{ schema: string; table: string; name: string; non_unique: number | string; column: string; index_type: string }>(
    db,
    sql`select table_schema as \`schema\`, table_name as \`table\`, index_name as name, non_unique, column_name as \`column\`, index_type
        from information_schema.statistics where table_schema in ${names}
        order by table_schema, table_name, index_name, seq_in_index`,
  );
  const fks = await rows<{ schema: string; table: string; name: string; column: string; ref_schema: string; ref_table: string; ref_column: string }>(
    db,
    sql`select table_schema as \`schema\`, table_name as \`table\`, constraint_name as name, column_name as \`column\`,
          referenced_table_schema as ref_schema, referenced_table_name as ref_table, referenced_column_name as ref_column
        from information_schema.key_column_usage
        where table_schema in ${names} and referenced_table_name is not null
        order by table_schema, table_name, constraint_name, ordinal_position`,
  );
  // MySQL 8's CHECK_CONSTRAINTS has no table_name and its JSON type is native: only MariaDB needs this.
  const jsonChecks = mariadb
    ? await rows<{ schema: string; table: string; clause: string }>(
        db,
        sql`select constraint_schema as \`schema\`, table_name as \`table\`, check_clause as clause
            from information_schema.check_constraints where constraint_schema in ${names} and check_clause like 'json\\_valid(%'`,
      )
    : [];
  const json = new Set(jsonChecks.map((c) => `${c.schema}.${c.table}.${/json_valid\(`([^`]+)`\)/i.exec(c.clause)?.[1]}`));

  const tables = new Map<string, CatalogTable>();
  const enums: Record<string, string[]> = {};
  const keyOf = (schema: string, table: string) => `${schema}.${table}`;
  for (const r of columns) {
    const key = keyOf(r.schema, r.table);
    let t = tables.get(key);
    if (!t) {
      const kind = r.table_type === 'VIEW' ? 'view' : 'table';
      t = { schema: fromDb(r.schema), name: r.table, kind, columns: [], primaryKey: [], foreignKeys: [], uniques: [], indexes: [], rowEstimate: kind === 'view' ? 0 : Math.max(0, Number(r.table_rows ?? 0)) };
      tables.set(key, t);
    }
    const dataType = r.data_type.toLowerCase();
    const generated = r.is_generated === 'ALWAYS';
    const autoIncrement = /auto_increment/i.test(r.extra);
    // MariaDB spells "no default" on a nullable column as the text NULL; MySQL as SQL NULL.
    const hasDefault = (r.column_default !== null && !(mariadb && r.column_default === 'NULL')) || autoIncrement || generated;
    const column: CatalogColumn = {
      name: r.name,
      type: r.column_type,
      udt: udtOf(dataType, r.column_type, json.has(`${r.schema}.${r.table}.${r.name}`)),
      // A SET holds any subset of its members: a list, as Postgres arrays of an enum are.
      isArray: dataType === 'set',
      nullable: r.is_nullable === 'YES',
      hasDefault,
      identity: autoIncrement ? 'by default' : undefined,
      generated,
    };
    const labels = dataType === 'enum' || dataType === 'set' ? enumLabels(r.column_type) : [];
    // MariaDB keeps column definitions in utf8mb3, so a 4-byte member (an emoji) reads back as '?'
    // while the rows hold the real one: such a column's choices are unknown, and it is read as text.
    if (labels.length && !labels.some((l) => l.includes('?'))) {
      // MySQL enums belong to a column, not a named type: the key says whose they are.
      column.enum = `${fromDb(r.schema)}.${r.table}.${r.name}`;
      enums[column.enum] = labels;
    }
    t.columns.push(column);
  }

  const indexes = new Map<string, { schema: string; table: string; name: string; unique: boolean; fulltext: boolean; columns: string[] }>();
  for (const s of stats) {
    const key = `${s.schema}.${s.table}.${s.name}`;
    let i = indexes.get(key);
    if (!i) indexes.set(key, (i = { schema: s.schema, table: s.table, name: s.name, unique: Number(s.non_unique) === 0, fulltext: s.index_type === 'FULLTEXT', columns: [] }));
    i.columns.push(s.column);
  }
  for (const i of indexes.values()) {
    const t = tables.get(keyOf(i.schema, i.table));
    if (!t) continue;
    if (i.name === 'PRIMARY') t.primaryKey = i.columns;
    else if (i.unique) t.uniques.push(i.columns);
    t.indexes.push({ name: i.name, columns: i.columns, unique: i.unique, ...(i.fulltext ? { fulltext: true } : {}) });
  }

  const foreignKeys = new Map<string, { table: CatalogTable; fk: CatalogTable['foreignKeys'][number] }>();
  for (const f of fks) {
    const t = tables.get(keyOf(f.schema, f.table));
    if (!t) continue;
    const key = `${f.schema}.${f.table}.${f.name}`;
    let entry = foreignKeys.get(key);
    if (!entry) {
      entry = { table: t, fk: { columns: [], schema: fromDb(f.ref_schema), table: f.ref_table, refColumns: [] } };
      foreignKeys.set(key, entry);
      t.foreignKeys.push(entry.fk);
    }
    entry.fk.columns.push(f.column);
    entry.fk.refColumns.push(f.ref_column);
  }
  return { tables: [...tables.values()], enums };
}
