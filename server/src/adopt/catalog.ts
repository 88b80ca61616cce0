import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';

/** What Postgres says about one column; `type` is format_type's spelling (`character varying(255)`). */
export interface CatalogColumn {
  name: string;
  type: string;
  /** The base type's name (`int4`, `text`, `my_enum`); for arrays, the element's. */
  udt: string;
  isArray: boolean;
  /** `schema.name` of the enum when the column (or its element) is one. */
  enum?: string;
  nullable: boolean;
  hasDefault: boolean;
  /** Identity ('always' cannot be written) or a generated column: both are the database's to set. */
  identity?: 'always' | 'by default';
  generated: boolean;
}

export interface CatalogTable {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: CatalogColumn[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; schema: string; table: string; refColumns: string[] }[];
  uniques: string[][];
  /** `fulltext`: a MySQL FULLTEXT index, which the q search uses instead of LIKE. */
  indexes: { name: string; columns: string[]; unique: boolean; fulltext?: boolean }[];
  rowEstimate: number;
}

export interface Catalog {
  tables: CatalogTable[];
  enums: Record<string, string[]>;
}

/** Schemas opsroom never adopts: Postgres' own and opsroom's bookkeeping. */
export const OWN_SCHEMAS = ['opsroom', 'drizzle', 'information_schema', 'pg_catalog', 'pg_toast'];

type ColumnRow = {
  schema: string; table: string; relkind: string; reltuples: number; name: string; type: string; typname: string; typtype: string;
  elem: string | null; elem_typtype: string | null; enum_schema: string | null; notnull: boolean; hasdef: boolean; identity: string; generated: string;
};

/** Reads tables, views, keys, foreign keys, indexes, enums and row estimates of the given schemas. */
export async function readCatalog(db: Db, schemas: string[]): Promise<Catalog> {
  const columns = await queryRows<ColumnRow>(
    db,
    sql`select n.nspname as schema, c.relname as table, c.relkind::text as relkind, c.reltuples::float8 as reltuples,
          a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typname, t.typtype::text as typtype,
          et.typname as elem, et.typtype::text as elem_typtype, tn.nspname as enum_schema,
          a.attnotnull as notnull, a.atthasdef as hasdef, a.attidentity::text as identity, a.attgenerated::text as generated
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_type t on t.oid = a.atttypid
        left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
        left join pg_namespace tn on tn.oid = coalesce(et.typnamespace, t.typnamespace)
        where c.relkind in ('r', 'p', 'v', 'm') and n.nspname in ${schemas} and not c.relispartition
        order by n.nspname, c.relname, a.attnum`,
  );
  const constraints = await queryRows<{ schema: string; table: string; contype: string; cols: string[]; ref_schema: string | null; ref_table: string | null; ref_cols: string[] | null }>(
    db,
    sql`select n.nspname as schema, c.relname as table, k.contype::text as contype,
          array(select a.attname::text from unnest(k.conkey) with ordinality x(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.n order by x.i) as cols,
          fn.nspname as ref_schema, fc.relname as ref_table,
          array(select a.attname::text from unnest(k.confkey) with ordinality x(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = x.n order by x.i) as ref_cols
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_class fc on fc.oid = k.confrelid
        left join pg_namespace fn on fn.oid = fc.relnamespace
        where k.contype in ('p', 'f', 'u') and n.nspname in ${schemas}
        order by k.conname`,
  );
  const indexes = await queryRows<{ schema: string; table: string; name: string; unique: boolean; cols: string[] }>(
    db,
    sql`select n.nspname as schema, c.relname as table, i.relname as name, x.indisunique as unique,
          array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality k(n, i) join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.n order by k.i) as cols
        from pg_index x
        join pg_class c on c.oid = x.indrelid
        join pg_class i on i.oid = x.indexrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ${schemas}
        order by i.relname`,
  );
  const enumRows = await queryRows<{ schema: string; name: string; labels: string[] }>(
    db,
    sql`select n.nspname as schema, t.typname as name, array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as labels
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where t.typtype = 'e' and n.nspname not in ${OWN_SCHEMAS}`,
  );

  const tables = new Map<string, CatalogTable>();
  const keyOf = (schema: string, table: string) => `${schema}.${table}`;
  for (const r of columns) {
    const key = keyOf(r.schema, r.table);
    let t = tables.get(key);
    if (!t) {
      t = {
        schema: r.schema,
        name: r.table,
        kind: r.relkind === 'v' || r.relkind === 'm' ? 'view' : 'table',
        columns: [],
        primaryKey: [],
        foreignKeys: [],
        uniques: [],
        indexes: [],
        rowEstimate: Math.max(0, Math.round(Number(r.reltuples))),
      };
      tables.set(key, t);
    }
    const isArray = r.elem !== null;
    const isEnum = (isArray ? r.elem_typtype : r.typtype) === 'e';
    t.columns.push({
      name: r.name,
      type: r.type,
      udt: isArray ? r.elem! : r.typname,
      isArray,
      enum: isEnum ? `${r.enum_schema}.${isArray ? r.elem : r.typname}` : undefined,
      nullable: !r.notnull,
      hasDefault: r.hasdef || r.identity !== '',
      identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : undefined,
      generated: r.generated !== '',
    });
  }
  for (const k of constraints) {
    const t = tables.get(keyOf(k.schema, k.table));
    if (!t) continue;
    if (k.contype === 'p') t.primaryKey = k.cols;
    else if (k.contype === 'u') t.uniques.push(k.cols);
    else t.foreignKeys.push({ columns: k.cols, schema: k.ref_schema!, table: k.ref_table!, refColumns: k.ref_cols ?? [] });
  }
  for (const i of indexes) tables.get(keyOf(i.schema, i.table))?.indexes.push({ name: i.name, columns: i.cols, unique: i.unique });
  const enums = Object.fromEntries(enumRows.map((e) => [`${e.schema}.${e.name}`, e.labels]));
  return { tables: [...tables.values()], enums };
}
