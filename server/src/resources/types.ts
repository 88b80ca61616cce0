import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import type { Actor } from '../http/request';

type Row = Record<string, unknown>;

/** What a write hook sees: the row as it was (locked), and for updates the validated new values (Drizzle keys). */
export interface WriteChange {
  id: string | number;
  before: Row;
  actor: Actor;
}

/**
 * How one table is exposed over the ra-data-simple-rest contract. Field names in the API are the
 * table's SQL column names (snake_case), so `filter={"user_id":…}` works for references.
 */
export interface ResourceConfig<T extends PgTable = PgTable> {
  /** URL segment; by convention the table name. */
  name: string;
  table: T;
  /** Columns matched by the `q` filter (ILIKE '%q%'). SQL names. */
  search?: string[];
  /** Columns never returned, filtered, sorted or written (secrets). SQL names. */
  hidden?: string[];
  /** Columns accepted on create; the rest are generated or owned by domain actions. SQL names. */
  creatable?: string[];
  /** Columns accepted on update. Defaults to `creatable`. SQL names. */
  updatable?: string[];
  /** No create/update/delete at all (audit log, ledgers that only actions may write). */
  readOnly?: boolean;
  /** May rows be deleted through the API? Default true unless readOnly. */
  deletable?: boolean;
  defaultSort?: [string, 'ASC' | 'DESC'];
  /** Per-column zod refinements on top of the schema-derived ones (e.g. email format). TS keys. */
  refine?: Record<string, (schema: z.ZodType) => z.ZodType>;
  /**
   * Write-only inputs that are not columns (a provider key's plaintext), turned into column values
   * before insert. `extra` is merged into the create response only (an API key shown once).
   */
  /**
   * Rules and consequences of a write that belong to the domain, run inside the write's
   * transaction for single and bulk writes alike: `beforeUpdate`/`beforeDelete` may refuse by
   * throwing an HttpError; `afterUpdate` sees the row as written.
   */
  beforeUpdate?(tx: Tx, change: WriteChange & { values: Row }): Promise<void>;
  afterUpdate?(tx: Tx, change: WriteChange & { after: Row }): Promise<void>;
  beforeDelete?(tx: Tx, change: WriteChange): Promise<void>;
  afterDelete?(tx: Tx, change: WriteChange): Promise<void>;
  onCreate?: {
    input: z.ZodObject<z.ZodRawShape>;
    toValues(input: Record<string, unknown>, ctx: AppContext): { values: Record<string, unknown>; extra?: Record<string, unknown> };
  };
}

export const defineResource = <T extends PgTable>(config: ResourceConfig<T>) => config as unknown as ResourceConfig;
