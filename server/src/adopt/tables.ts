import { sql } from 'drizzle-orm';
import {
  bigint, boolean, date, doublePrecision, integer, json, jsonb, numeric, pgEnum, pgSchema, pgTable, real, smallint, text, timestamp, uuid, varchar,
  type PgColumnBuilderBase, type PgTable,
} from 'drizzle-orm/pg-core';
import type { Catalog, CatalogColumn, CatalogTable } from './catalog';

/**
 * Drizzle table objects built at run time from the catalog, so the generic resource engine
 * (filters, sort, search, totals, drizzle-zod validation) works on tables it has never seen.
 */
type Builder = PgColumnBuilderBase & {
  notNull(): Builder;
  default(v: unknown): Builder;
  array(): Builder;
};

/** A Postgres enum as Drizzle builds columns of it. */
type EnumBuilder = (column: string) => unknown;

/** Types the server reads but never writes: their text form round-trips, their meaning may not. */
export const OPAQUE = 'opaque';

function builderFor(c: CatalogColumn, enums: Map<string, EnumBuilder>): { builder: Builder; opaque: boolean } {
  const b = (x: unknown) => ({ builder: x as Builder, opaque: false });
  if (c.enum) {
    const e = enums.get(c.enum);
    if (e) return b(e(c.name));
  }
  const length = /\((\d+)\)/.exec(c.type)?.[1];
  switch (c.udt) {
    case 'int2':
      return b(smallint(c.name));
    case 'int4':
      return b(integer(c.name));
    // Numbers beyond 2^53 lose precision in JSON either way; number mode keeps filters and sorting simple.
    case 'int8':
      return b(bigint(c.name, { mode: 'number' }));
    case 'float4':
      return b(real(c.name));
    case 'float8':
      return b(doublePrecision(c.name));
    case 'numeric':
      return b(numeric(c.name));
    case 'text':
    case 'citext':
    case 'name':
      return b(text(c.name));
    case 'varchar':
    case 'bpchar':
      return b(varchar(c.name, length ? { length: Number(length) } : {}));
    case 'uuid':
      return b(uuid(c.name));
    case 'bool':
      return b(boolean(c.name));
    case 'timestamptz':
      return b(timestamp(c.name, { withTimezone: true, mode: 'date' }));
    case 'timestamp':
      return b(timestamp(c.name, { withTimezone: false, mode: 'date' }));
    case 'date':
      return b(date(c.name, { mode: 'string' }));
    case 'json':
      return b(json(c.name));
    case 'jsonb':
      return b(jsonb(c.name));
  }
  return { builder: text(c.name) as unknown as Builder, opaque: true };
}

export interface BuiltTable {
  table: PgTable;
  /** Columns whose type opsroom only passes through as text (inet, interval, tsvector…): read-only. */
  opaque: Set<string>;
}

/** One Drizzle enum object per catalog enum, named as Postgres names it. */
export function buildEnums(catalog: Catalog): Map<string, EnumBuilder> {
  const out = new Map<string, EnumBuilder>();
  for (const [key, labels] of Object.entries(catalog.enums)) {
    const [schema, name] = key.split(/\.(.*)/s) as [string, string];
    const values = labels as [string, ...string[]];
    out.set(key, schema === 'public' ? pgEnum(name, values) : pgSchema(schema).enum(name, values));
  }
  return out;
}

export function buildTable(t: CatalogTable, enums: Map<string, EnumBuilder>): BuiltTable {
  const opaque = new Set<string>();
  const columns: Record<string, Builder> = {};
  for (const c of t.columns) {
    let { builder, opaque: isOpaque } = builderFor(c, enums);
    if (isOpaque) opaque.add(c.name);
    if (c.isArray) builder = builder.array();
    if (!c.nullable) builder = builder.notNull();
    // The database fills it in: the insert schema makes it optional and the INSERT says DEFAULT.
    if (c.hasDefault || c.generated) builder = builder.default(sql`default`);
    columns[c.name] = builder;
  }
  // Unqualified for public, so a table's name in SQL reads as the app itself writes it.
  const table = t.schema === 'public' ? pgTable(t.name, columns) : pgSchema(t.schema).table(t.name, columns);
  return { table, opaque };
}
