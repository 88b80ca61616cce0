import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import type { UseCaseActor as Actor } from '../usecases';

type Row = Record<string, unknown>;

/** What a write hook sees: the row as it was (locked), and for updates the validated new values (Drizzle keys). */
export interface WriteChange {
  id: string | number;
  before: Row;
  actor: Actor;
  /** Set by the generic routes, for rules that depend on the settings (a role change needing approval). */
  ctx?: AppContext;
}

type ColumnsOf<T extends PgTable> = T['_']['columns'];

/** A column's SQL name (snake_case): the name the API uses for fields, filters and sorting. */
export type ColumnName<T extends PgTable> = { [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K]['_']['name'] }[keyof ColumnsOf<T>];

/** A column's Drizzle key (camelCase): the name drizzle-zod's schemas and `$inferInsert` use. */
export type ColumnKey<T extends PgTable> = keyof ColumnsOf<T> & string;

/** A row as the API returns it: SQL names as keys, the column's TypeScript type as values. */
export type ApiRow<T extends PgTable> = {
  [K in keyof ColumnsOf<T> as ColumnsOf<T>[K]['_']['name']]: ColumnsOf<T>[K]['_']['notNull'] extends true
    ? ColumnsOf<T>[K]['_']['data']
    : ColumnsOf<T>[K]['_']['data'] | null;
};

export type Refinement = (schema: z.ZodType) => z.ZodType;

/**
 * How one table is exposed over the ra-data-simple-rest contract. Field names in the API are the
 * table's SQL column names, so `filter={"user_id":…}` works for references. Every column list is
 * checked by tsc against the table: a misspelled column does not compile.
 */
export interface ResourceOptions<T extends PgTable> {
  /** URL segment; by convention the table name. */
  name: string;
  /** The column that identifies a record (an adopted table's key may be `user_id` or `uuid`). Default `id`. */
  idColumn?: ColumnName<T>;
  /**
   * The engine the table lives on: `mysql` for an adopted MySQL/MariaDB table (its table object is
   * then a `mysqlTable` under the Postgres type), where text matching is LIKE under the column's
   * collation rather than ILIKE. Default `postgresql`.
   */
  dialect?: 'postgresql' | 'mysql';
  /** Columns matched by the `q` filter (ILIKE '%q%'). */
  search?: readonly ColumnName<T>[];
  /**
   * Search columns a MySQL FULLTEXT index covers (exactly its columns, as MATCH requires): `q`
   * matches them with MATCH … AGAINST, which uses the index, instead of a LIKE that reads every row.
   */
  fulltext?: readonly ColumnName<T>[];
  /** Columns never returned, filtered, sorted or written (secrets). */
  hidden?: readonly ColumnName<T>[];
  /** Columns accepted on create; the rest are generated or owned by domain actions. */
  creatable?: readonly ColumnName<T>[];
  /** Columns accepted on update. Defaults to `creatable`. */
  updatable?: readonly ColumnName<T>[];
  /** No create/update/delete at all (audit log, ledgers that only actions may write). */
  readOnly?: boolean;
  /** May rows be deleted through the API? Default true unless readOnly. */
  deletable?: boolean;
  defaultSort?: readonly [ColumnName<T>, 'ASC' | 'DESC'];
  /**
   * Named conditions a column filter cannot express (rows of other tables, sums, "nothing since"):
   * `filter={"segment":"payers"}`. Evaluated per query, so `now()` in one means the query's time.
   */
  segments?: Record<string, SQL>;
  /** Per-column zod refinements on top of the schema-derived ones (e.g. email format), by Drizzle key. */
  refine?: { [K in ColumnKey<T>]?: Refinement };
  /**
   * Rules and consequences of a write that belong to the domain, run inside the write's
   * transaction for single and bulk writes alike: `beforeUpdate`/`beforeDelete` may refuse by
   * throwing a domain error (usecases/domainErrors.ts); `afterUpdate` sees the row as written.
   */
  beforeUpdate?(tx: Tx, change: WriteChange & { values: Row }): Promise<void>;
  afterUpdate?(tx: Tx, change: WriteChange & { after: Row }): Promise<void>;
  beforeDelete?(tx: Tx, change: WriteChange): Promise<void>;
  afterDelete?(tx: Tx, change: WriteChange): Promise<void>;
  /**
   * Write-only inputs that are not columns (a provider key's plaintext), turned into column values
   * before insert. `extra` is merged into the create response only (an API key shown once).
   */
  onCreate?: {
    input: z.ZodObject<z.ZodRawShape>;
    toValues(input: Record<string, unknown>, ctx: AppContext): { values: Partial<T['$inferInsert']>; extra?: Record<string, unknown> };
  };
}

export interface ResourceConfig<T extends PgTable = PgTable> extends ResourceOptions<T> {
  table: T;
}

/**
 * The engine's view of any definition. The column checks happen where a definition is written
 * (`defineResource`); past that point the engine works on columns it reads off the table itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of definitions over different tables
export type AnyResourceConfig = ResourceConfig<any>;

/** Declares a resource over `table`; the table's type flows into every option. */
export function defineResource<T extends PgTable>(table: T, options: ResourceOptions<NoInfer<T>>): ResourceConfig<T> {
  return { ...options, table };
}
