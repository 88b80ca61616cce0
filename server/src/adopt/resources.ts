import { createHash } from 'node:crypto';
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { exactBigintValue, isExactBigint, ResourceModel, type Field } from '../resources/model';
import { InvalidInputError, NotFoundError } from '../usecases/domainErrors';
import type { Catalog, CatalogTable } from './catalog';
import type { AdoptDialect } from './dialect';
import { MappingError, type Mapping, type ResourceSpec } from './mapping';

type Row = Record<string, unknown>;

/** The field carrying a row's version (Postgres' xmin, a digest of the row on MySQL) out to the edit form and back. */
export const VERSION_FIELD = '_version';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One adopted table or view, ready to serve: the engine's ResourceModel over a run-time Drizzle
 * table, plus how its records are identified. react-admin needs an `id` on every record, so a key
 * that is not a column named `id` is copied into one: a single key column as is, a composite key
 * as a JSON array (`["u1","b7"]`), a keyless table or view as a hash of the row (list only).
 */
export class AdoptedResource {
  readonly model: ResourceModel;
  readonly keyFields: Field[];
  /** What lists and reads select: the model's fields, masked columns, and the row version. */
  readonly selection: Record<string, PgColumn | SQL.Aliased | SQL>;
  readonly versioned: boolean;
  readonly updatedAt?: Field;

  constructor(
    readonly name: string,
    readonly spec: ResourceSpec,
    readonly catalog: CatalogTable,
    readonly table: PgTable,
    opaque: Set<string>,
    readonly dialect: AdoptDialect['kind'] = 'postgresql',
  ) {
    const columns = new Set(catalog.columns.map((c) => c.name));
    for (const name of [...spec.id, ...spec.list, ...spec.search, ...spec.sortable, ...spec.hidden, ...spec.masked, ...Object.keys(spec.references)]) {
      if (!columns.has(name)) throw new MappingError(`resources.${this.name}: column "${name}" is not in ${catalog.schema}.${catalog.name} (re-run npm run adopt).`);
    }
    const writable = spec.readOnly
      ? []
      : catalog.columns
          .filter((c) => !c.generated && c.identity !== 'always' && !opaque.has(c.name) && !spec.hidden.includes(c.name) && !spec.masked.includes(c.name))
          .map((c) => c.name);
    const idColumn = spec.id[0] ?? catalog.columns.find((c) => !spec.hidden.includes(c.name) && !spec.masked.includes(c.name))!.name;
    this.model = new ResourceModel({
      name,
      table,
      idColumn,
      search: spec.search,
      fulltext: dialect === 'mysql' ? catalog.indexes.find((i) => i.fulltext && i.columns.every((c) => spec.search.includes(c)))?.columns : undefined,
      hidden: [...spec.hidden, ...spec.masked],
      creatable: writable,
      // Keys stay put: changing one would orphan whatever refers to the row.
      updatable: writable.filter((c) => !spec.id.includes(c)),
      readOnly: spec.readOnly || spec.id.length === 0,
      defaultSort: [idColumn, 'ASC'],
      dialect,
    });
    this.keyFields = spec.id.map((c) => this.model.fields.get(c)!);
    this.versioned = catalog.kind === 'table';
    const updatedAt = this.model.fields.get('updated_at') ?? this.model.fields.get('updatedAt');
    this.updatedAt = updatedAt?.kind === 'date' ? updatedAt : undefined;
    const cols = table as unknown as Record<string, PgColumn>;
    this.selection = { ...this.model.selection };
    for (const m of spec.masked) {
      const c = cols[m]!;
      // concat and char_length: the same on both engines (`||` is OR in MySQL).
      this.selection[m] = sql<string | null>`case when ${c} is null then null when char_length(${c}) >= 12 then concat('••••', right(${c}, 4)) else '••••' end`;
    }
    // xmin changes on every write to the row, by opsroom or by the app itself, so it is a version
    // the app never has to maintain (an updated_at column only moves when every writer sets it).
    // MySQL has no such column: there the version is a digest of the row's values (see present()).
    if (this.versioned && dialect === 'postgresql') this.selection[VERSION_FIELD] = sql<string>`${sql.identifier(catalog.name)}.xmin::text`;
  }

  /** A column of the table by its SQL name (hidden ones included: capabilities may write them). */
  column(name: string): PgColumn {
    const c = (this.table as unknown as Record<string, PgColumn | undefined>)[name];
    if (!c) throw new MappingError(`${this.name} has no column "${name}".`);
    return c;
  }

  /** Fields a form sends back that are not written: react-admin's id, the version, masked secrets. */
  get echoedFields(): string[] {
    return ['id', VERSION_FIELD, ...this.spec.masked];
  }

  get keyed() {
    return this.keyFields.length > 0;
  }

  /** The record as the API returns it, with react-admin's `id` (and on MySQL its version). */
  present(row: Row): Row {
    if (this.versioned && this.dialect === 'mysql' && !(VERSION_FIELD in row)) {
      // Every value the row shows, so a write by anyone to any of them makes an open form stale,
      // as xmin does on Postgres; updated_at alone would miss writers that do not set it, and
      // second-precision TIMESTAMPs miss two writes within a second.
      const version = createHash('sha1').update(JSON.stringify(row)).digest('base64url').slice(0, 22);
      return this.present({ ...row, [VERSION_FIELD]: version });
    }
    if (this.keyFields.length === 1) return this.keyFields[0]!.name === 'id' ? row : { ...row, id: row[this.keyFields[0]!.name] };
    if (this.keyFields.length > 1) return { ...row, id: JSON.stringify(this.keyFields.map((f) => row[f.name])) };
    const hash = createHash('sha1').update(JSON.stringify(row)).digest('base64url').slice(0, 16);
    return { ...row, id: hash };
  }

  /** A path id → the WHERE that selects that one row; InvalidInputError when it cannot be an id of this resource. */
  whereId(raw: string): SQL {
    if (!this.keyed) throw new NotFoundError(`${this.name} has no key: its rows can be listed but not opened.`);
    if (this.keyFields.length === 1) return eq(this.keyFields[0]!.column, this.keyValue(this.keyFields[0]!, raw));
    let parts: unknown;
    try {
      parts = JSON.parse(raw);
    } catch {
      parts = undefined;
    }
    if (!Array.isArray(parts) || parts.length !== this.keyFields.length) {
      throw new InvalidInputError(`Invalid id: ${this.name} records are identified by [${this.keyFields.map((f) => f.name).join(', ')}] as a JSON array.`);
    }
    return and(...this.keyFields.map((f, i) => eq(f.column, this.keyValue(f, parts[i]))))!;
  }

  /** `filter={"id":[…]}` (react-admin's getMany) as a WHERE over the real key. */
  whereIds(ids: unknown[]): SQL {
    if (!ids.length) return sql`false`;
    return or(...ids.map((id) => this.whereId(typeof id === 'string' ? id : JSON.stringify(id))))!;
  }

  private keyValue(field: Field, raw: unknown): string | number | bigint {
    const bad = (why: string) => new InvalidInputError(`Invalid id "${String(raw).slice(0, 40)}": ${why}.`);
    if (isExactBigint(field.column)) {
      if (!/^-?\d{1,20}$/.test(String(raw))) throw bad('expected a whole number');
      const big = exactBigintValue(field.column, raw);
      if (big === undefined) throw new NotFoundError('Not found');
      return big;
    }
    if (field.kind === 'int') {
      const n = typeof raw === 'number' ? raw : /^-?\d{1,16}$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n)) throw bad('expected a whole number');
      if (!/BigInt53$/.test(field.column.columnType) && Math.abs(n) > (/unsigned/.test(field.column.getSQLType()) ? 4294967295 : 2147483647)) throw new NotFoundError('Not found');
      return n;
    }
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    if (!text || text.length > 500 || text.includes('\u0000')) throw bad('expected text');
    if (field.kind === 'uuid' && !UUID.test(text)) throw bad('expected a UUID');
    return text;
  }
}

export interface Adoption {
  mapping: Mapping;
  resources: Map<string, AdoptedResource>;
  dialect: AdoptDialect;
}

/** Binds the mapping to the live catalog; a mapping naming a table or column that is gone stops start-up. */
export function buildAdoption(mapping: Mapping, catalog: Catalog, dialect: AdoptDialect): Adoption {
  const build = dialect.tables(catalog);
  const resources = new Map<string, AdoptedResource>();
  for (const [name, spec] of Object.entries(mapping.resources)) {
    const t = catalog.tables.find((x) => x.schema === spec.schema && x.name === spec.table);
    if (!t) throw new MappingError(`resources.${name}: table ${spec.schema}.${spec.table} does not exist (re-run npm run adopt, or remove it).`);
    const built = build(t);
    resources.set(name, new AdoptedResource(name, spec, t, built.table, built.opaque, dialect.kind));
  }
  return { mapping, resources, dialect };
}
