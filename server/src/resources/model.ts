import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { createSchemaFactory } from 'drizzle-zod';
import { z } from 'zod';
import { isoDate } from './refinements';
import type { ResourceConfig } from './types';

export type FieldKind = 'int' | 'number' | 'text' | 'uuid' | 'enum' | 'bool' | 'date' | 'json';

export interface Field {
  /** The API and SQL name (snake_case). */
  name: string;
  /** The Drizzle key (camelCase), as the insert/update schemas know it. */
  key: string;
  column: PgColumn;
  kind: FieldKind;
  enumValues?: readonly string[];
}

const KINDS: Record<string, FieldKind> = {
  PgInteger: 'int',
  PgSmallInt: 'int',
  PgSerial: 'int',
  PgBigInt53: 'int',
  PgBigSerial53: 'int',
  PgDoublePrecision: 'number',
  PgReal: 'number',
  PgNumeric: 'number',
  PgText: 'text',
  PgVarchar: 'text',
  PgUUID: 'uuid',
  PgEnumColumn: 'enum',
  PgBoolean: 'bool',
  PgTimestamp: 'date',
  PgDateString: 'date',
  PgArray: 'json',
  PgJsonb: 'json',
  PgJson: 'json',
  // Adopted MySQL/MariaDB tables (server/src/adopt/mysql/tables.ts).
  MySqlInt: 'int',
  MySqlBigInt53: 'int',
  MySqlDecimal: 'number',
  MySqlFloat: 'number',
  MySqlDouble: 'number',
  MySqlBoolean: 'bool',
  MySqlVarChar: 'text',
  MySqlChar: 'text',
  MySqlText: 'text',
  MySqlEnumColumn: 'enum',
  MySqlDateTime: 'date',
  MySqlTimestamp: 'date',
  MySqlDateString: 'date',
};

/** An adopted MySQL BIGINT (adopt/mysql/tables.ts): values past 2^53 are digit strings, compared exactly. */
export const isExactBigint = (column: PgColumn) => column.columnType === 'MySqlCustomColumn' && /^bigint/.test(column.getSQLType());

/**
 * A BIGINT value from a URL or filter, exactly: digits within the column's range, or undefined.
 * Postgres has no such column; its bigints are JS numbers.
 */
export function exactBigintValue(column: PgColumn, raw: unknown): bigint | undefined {
  const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^-?\d{1,20}$/.test(text)) return undefined;
  const n = BigInt(text);
  const unsigned = /unsigned/.test(column.getSQLType());
  const [min, max] = unsigned ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
  return n >= min && n <= max ? n : undefined;
}

/** A custom column (MariaDB-proof JSON, exact BIGINT) has no kind of its own: its SQL type says which it is. */
const kindOf = (column: PgColumn): FieldKind | undefined =>
  KINDS[column.columnType] ?? (column.getSQLType() === 'json' ? 'json' : isExactBigint(column) ? 'int' : undefined);

const { createInsertSchema, createUpdateSchema } = createSchemaFactory();

/** A resource definition the engine cannot serve; its message is one line naming the definition. */
export class ResourceDefinitionError extends Error {
  constructor(resource: string, problem: string) {
    super(`resource definition "${resource}": ${problem}`);
    this.name = 'ResourceDefinitionError';
  }
}

/** Everything the engine derives once per resource from its table and config. */
export class ResourceModel {
  readonly name: string;
  readonly tableName: string;
  /** Exposed fields by API name (hidden ones are absent, so they can't be selected, filtered or sorted). */
  readonly fields = new Map<string, Field>();
  /** `{ api_name: column }`, so selects come back already shaped for the API. */
  readonly selection: Record<string, PgColumn> = {};
  readonly id: Field;
  readonly updatedAt?: Field;
  readonly insertSchema?: z.ZodObject<z.ZodRawShape>;
  readonly updateSchema?: z.ZodObject<z.ZodRawShape>;
  readonly creatable: Set<string>;
  readonly updatable: Set<string>;

  constructor(readonly config: ResourceConfig) {
    this.name = config.name;
    this.tableName = getTableName(config.table);
    const columns = Object.entries(getTableColumns(config.table)) as [string, PgColumn][];
    const sqlNames = new Set(columns.map(([, c]) => c.name));
    const unknown = (what: string, names: readonly string[] = []) => {
      const bad = names.filter((n) => !sqlNames.has(n));
      if (bad.length) throw new ResourceDefinitionError(config.name, `${what} names ${bad.map((n) => `"${n}"`).join(', ')}, not a column of ${this.tableName}`);
    };
    unknown('hidden', config.hidden);
    unknown('search', config.search);
    unknown('fulltext', config.fulltext);
    unknown('defaultSort', config.defaultSort ? [config.defaultSort[0]] : []);
    const badRefine = Object.keys(config.refine ?? {}).filter((k) => !columns.some(([key]) => key === k));
    if (badRefine.length) throw new ResourceDefinitionError(config.name, `refine names ${badRefine.map((n) => `"${n}"`).join(', ')}, not a column key of ${this.tableName}`);

    const hidden = new Set<string>(config.hidden ?? []);
    for (const [key, column] of columns) {
      if (hidden.has(column.name)) continue;
      const kind = kindOf(column);
      if (!kind) throw new ResourceDefinitionError(config.name, `column ${column.name} has type ${column.columnType}, which the API has no kind for`);
      const field: Field = { name: column.name, key, column, kind, enumValues: column.enumValues?.length ? column.enumValues : undefined };
      this.fields.set(column.name, field);
      this.selection[column.name] = column;
    }
    const id = this.fields.get(config.idColumn ?? 'id');
    if (!id) throw new ResourceDefinitionError(config.name, `react-admin needs an id column (${config.idColumn ?? 'id'})`);
    this.id = id;
    this.updatedAt = this.fields.get('updated_at');
    for (const [what, names] of [['search', config.search], ['defaultSort', config.defaultSort?.slice(0, 1)]] as const) {
      const secret = (names ?? []).filter((n) => hidden.has(n));
      if (secret.length) throw new ResourceDefinitionError(config.name, `${what} uses hidden column ${secret.join(', ')}`);
    }

    this.creatable = new Set(config.readOnly ? [] : (config.creatable ?? []));
    this.updatable = new Set(config.readOnly ? [] : (config.updatable ?? config.creatable ?? []));
    for (const name of [...this.creatable, ...this.updatable]) {
      if (!this.fields.has(name)) throw new ResourceDefinitionError(config.name, `writable column ${name} is unknown or hidden`);
    }
    // Dates arrive as ISO strings in JSON bodies: every date column gets the same parser.
    const dates = Object.fromEntries([...this.fields.values()].filter((f) => f.kind === 'date').map((f) => [f.key, () => isoDate()]));
    const refine = { ...dates, ...config.refine } as never;
    const keys = (names: Set<string>) => Object.fromEntries([...names].map((n) => [this.fields.get(n)!.key, true as const]));
    if (this.creatable.size) {
      this.insertSchema = (createInsertSchema(config.table, refine) as unknown as z.ZodObject<z.ZodRawShape>).pick(keys(this.creatable));
    }
    if (this.updatable.size) {
      this.updateSchema = (createUpdateSchema(config.table, refine) as unknown as z.ZodObject<z.ZodRawShape>).pick(keys(this.updatable));
    }
  }

  get writable() {
    return !this.config.readOnly;
  }

  get deletable() {
    return !this.config.readOnly && this.config.deletable !== false;
  }

  /** Drizzle key → API name, for turning validation paths back into form field names. */
  apiName = (key: string) => [...this.fields.values()].find((f) => f.key === key)?.name ?? key;
}
