import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client';
import { countRows, type Total } from '../resources/totals';
import type { Catalog, CatalogTable } from './catalog';
import type { AdoptedResource } from './resources';
import { auditLog, idempotencyKeys, loginAttempts, operators, operatorSessions } from './schema';
import { buildEnums, buildTable, type BuiltTable } from './tables';

type Row = Record<string, unknown>;

/** opsroom's own tables on the adopted database, typed as the Postgres ones (the queries are the same). */
export interface OpsroomTables {
  operators: typeof operators;
  operatorSessions: typeof operatorSessions;
  loginAttempts: typeof loginAttempts;
  auditLog: typeof auditLog;
  idempotencyKeys: typeof idempotencyKeys;
}

/**
 * What differs between the engines adopt mode serves. Everything else (filters, paging, sign-in,
 * capabilities, audit) is one piece of Drizzle code run over either client: the query builders of
 * drizzle-orm/pg-core and drizzle-orm/mysql-core take the same calls, except for what is here.
 */
export interface AdoptDialect {
  kind: 'postgresql' | 'mysql';
  opsroom: OpsroomTables;
  /** The catalog's tables as Drizzle table objects of this engine. */
  tables(catalog: Catalog): (t: CatalogTable) => BuiltTable;
  /** Inserts one row and reads it back as the resource selects it. */
  insertRow(tx: Tx, r: AdoptedResource, values: Row): Promise<Row>;
  /** Updates the row `where` selects (one row, by key) and reads it back. */
  updateRow(tx: Tx, r: AdoptedResource, values: Row, where: SQL): Promise<Row>;
  /** Inserts into one of opsroom's tables and returns the new row's generated id. */
  insertId(tx: Tx | Db, table: PgTable, values: Row): Promise<number>;
  /** The total of a list: exact up to `limit`, an estimate past it. */
  count(db: Db, r: AdoptedResource, where: SQL | undefined, limit: number): Promise<Total>;
  /** Whether a failed write broke a unique key (two identical requests racing). */
  isUniqueViolation(err: unknown): boolean;
  /** A time before any row's, as SQL (Postgres' '-infinity'). */
  beginningOfTime: string;
}

const codeOf = (err: unknown) => (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;

export const postgresDialect: AdoptDialect = {
  kind: 'postgresql',
  opsroom: { operators, operatorSessions, loginAttempts, auditLog, idempotencyKeys },
  tables: (catalog) => {
    const enums = buildEnums(catalog);
    return (t) => buildTable(t, enums);
  },
  insertRow: async (tx, r, values) => (await tx.insert(r.table).values(values).returning(r.selection))[0]!,
  updateRow: async (tx, r, values, where) => (await tx.update(r.table).set(values).where(where).returning(r.selection))[0]!,
  insertId: async (tx, table, values) => {
    const id = (table as unknown as { id: typeof operators.id }).id;
    const [row] = (await tx.insert(table).values(values).returning({ id })) as { id: number }[];
    return row!.id;
  },
  count: (db, r, where, limit) => countRows(db, r.model, where, limit),
  isUniqueViolation: (err) => codeOf(err) === '23505',
  beginningOfTime: "'-infinity'",
};
