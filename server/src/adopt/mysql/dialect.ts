import { and, eq, type SQL } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { AdoptDialect, OpsroomTables } from '../dialect';
import type { AdoptedResource } from '../resources';
import { countMysqlRows } from './totals';
import { buildMysqlTable } from './tables';
import { opsroomMysqlTables } from './opsroomSchema';

type Row = Record<string, unknown>;
type InsertResult = [{ insertId: number | string; affectedRows: number }];

/** The new row's key: what the INSERT gave, or the AUTO_INCREMENT value MySQL reports for it. */
function insertedKey(r: AdoptedResource, values: Row, insertId: number | string): SQL {
  const parts = r.keyFields.map((f) => {
    const given = values[f.key];
    const auto = r.catalog.columns.find((c) => c.name === f.name)?.identity;
    return eq(f.column, given !== undefined && !(auto && given === null) ? given : insertId);
  });
  return and(...parts)!;
}

/**
 * MySQL 8 / MariaDB 10.11+: no RETURNING (MariaDB has it for INSERT only, MySQL not at all), so a
 * write is followed by a read of the same row inside the same transaction; totals from
 * information_schema and EXPLAIN; opsroom's tables where `database` says (see ./migrate.ts).
 */
export function mysqlDialect(database: string | undefined): AdoptDialect {
  return {
    kind: 'mysql',
    // Same columns and keys as the Postgres tables, so the sign-in and audit code runs on either.
    opsroom: opsroomMysqlTables(database) as unknown as OpsroomTables,
    tables: (catalog) => (t) => buildMysqlTable(t, catalog),
    insertRow: async (tx, r, values) => {
      const [result] = (await tx.insert(r.table).values(values)) as unknown as InsertResult;
      if (!r.keyed) return values;
      const [row] = await tx.select(r.selection).from(r.table).where(insertedKey(r, values, result.insertId)).limit(1);
      return row!;
    },
    updateRow: async (tx, r, values, where) => {
      await tx.update(r.table).set(values).where(where);
      const [row] = await tx.select(r.selection).from(r.table).where(where).limit(1);
      return row!;
    },
    insertId: async (tx, table, values) => {
      const [result] = (await tx.insert(table).values(values)) as unknown as InsertResult;
      return Number(result.insertId);
    },
    count: (db, r, where, limit) => countMysqlRows(db as unknown as MySql2Database, r, where, limit),
    isUniqueViolation: (err) => {
      const e = (err as { cause?: { code?: string } }).cause ?? (err as { code?: string });
      return e?.code === 'ER_DUP_ENTRY';
    },
    beginningOfTime: "'1000-01-01'",
  };
}

