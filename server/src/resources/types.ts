import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Role } from '../auth/middleware';
import type { AppContext } from '../context';

/**
 * How one table is exposed over the ra-data-simple-rest contract. Field names in the API are the
 * table's SQL column names (snake_case), so `filter={"user_id":…}` works for references.
 */
export interface ResourceConfig<T extends PgTable = PgTable> {
  /** URL segment; by convention the table name. */
  name: string;
  table: T;
  /** The column that identifies a record (an adopted table's key may be `user_id` or `uuid`). Default `id`. */
  idColumn?: string;
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
  /** Who may write. Default admin; reads are open to every operator. */
  writeRole?: Role;
  defaultSort?: [string, 'ASC' | 'DESC'];
  /** Per-column zod refinements on top of the schema-derived ones (e.g. email format). TS keys. */
  refine?: Record<string, (schema: z.ZodType) => z.ZodType>;
  /**
   * Write-only inputs that are not columns (a provider key's plaintext), turned into column values
   * before insert. `extra` is merged into the create response only (an API key shown once).
   */
  onCreate?: {
    input: z.ZodObject<z.ZodRawShape>;
    toValues(input: Record<string, unknown>, ctx: AppContext): { values: Record<string, unknown>; extra?: Record<string, unknown> };
  };
}

export const defineResource = <T extends PgTable>(config: ResourceConfig<T>) => config as unknown as ResourceConfig;
