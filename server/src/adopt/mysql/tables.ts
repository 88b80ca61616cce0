import { sql } from 'drizzle-orm';
import {
  boolean, char, date, datetime, decimal, double, float, int, mysqlEnum, mysqlSchema, mysqlTable, text, timestamp, varchar,
  customType, type MySqlColumnBuilderBase,
} from 'drizzle-orm/mysql-core';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Catalog, CatalogColumn, CatalogTable } from '../catalog';
import type { BuiltTable } from '../tables';
import { DEFAULT_SCHEMA } from './catalog';
import { jsonValue } from './opsroomSchema';

type Builder = MySqlColumnBuilderBase & { notNull(): Builder; default(v: unknown): Builder };

/**
 * `mysqlTable` objects built at run time from a MySQL catalog, the counterpart of `../tables.ts`:
 * the generic engine's filters, sort, search and drizzle-zod validation then work on them unchanged.
 */
/**
 * BIGINT as a JS number while it is one exactly, past 2^53 as its digits (the driver hands every
 * BIGINT over as a string): ids such as Twitter-style snowflakes open, filter and compare exactly.
 * Written as a BigInt, which the driver inlines as an integer literal, so the comparison is integer
 * against integer rather than left to the server's string-to-number rules.
 */
export const exactBigint = customType<{ data: number | string; driverData: string | number | bigint; config: { unsigned: boolean } }>({
  dataType: (config) => (config?.unsigned ? 'bigint unsigned' : 'bigint'),
  toDriver: (value) => BigInt(value),
  fromDriver: (value) => {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  },
});

function builderFor(c: CatalogColumn, catalog: Catalog): { builder: Builder; opaque: boolean } {
  const b = (x: unknown) => ({ builder: x as Builder, opaque: false });
  const unsigned = /\bunsigned\b/i.test(c.type);
  const length = Number(/\((\d+)\)/.exec(c.type)?.[1] ?? 0) || undefined;
  // A SET is a list of members; its text form ('a,b') round-trips but is not a choice: read-only.
  if (c.enum && !c.isArray) {
    const labels = catalog.enums[c.enum];
    if (labels?.length) return b(mysqlEnum(c.name, labels as [string, ...string[]]));
  }
  switch (c.udt) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
      return b(int(c.name, { unsigned }));
    case 'bigint':
      return b(exactBigint(c.name, { unsigned }));
    case 'decimal':
    case 'numeric':
      return b(decimal(c.name));
    case 'float':
      return b(float(c.name));
    case 'double':
    case 'real':
      return b(double(c.name));
    case 'bool':
      return b(boolean(c.name));
    case 'varchar':
      return b(varchar(c.name, { length: length ?? 255 }));
    case 'char':
      return b(char(c.name, { length: length ?? 1 }));
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return b(text(c.name));
    case 'json':
      return b(jsonValue(c.name));
    case 'datetime':
      return b(datetime(c.name, { mode: 'date', fsp: length as 3 | undefined }));
    case 'timestamp':
      return b(timestamp(c.name, { mode: 'date', fsp: length as 3 | undefined }));
    case 'date':
      return b(date(c.name, { mode: 'string' }));
  }
  return { builder: text(c.name) as unknown as Builder, opaque: true };
}

export function buildMysqlTable(t: CatalogTable, catalog: Catalog): BuiltTable {
  const opaque = new Set<string>();
  const columns: Record<string, Builder> = {};
  for (const c of t.columns) {
    let { builder, opaque: isOpaque } = builderFor(c, catalog);
    if (isOpaque || c.isArray) opaque.add(c.name);
    if (!c.nullable) builder = builder.notNull();
    // The server fills it in: optional in the insert schema, DEFAULT in the INSERT.
    if (c.hasDefault || c.generated) builder = builder.default(sql`default`);
    columns[c.name] = builder;
  }
  // The URL's database unqualified, as the app itself names its tables; any other one by name.
  const table = t.schema === DEFAULT_SCHEMA ? mysqlTable(t.name, columns) : mysqlSchema(t.schema).table(t.name, columns);
  return { table: table as unknown as PgTable, opaque };
}
