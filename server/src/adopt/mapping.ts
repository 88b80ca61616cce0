import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/env';
import type { Catalog, CatalogColumn, CatalogTable } from './catalog';

/**
 * opsroom.adopt.json: how an existing database is shown. `npm run adopt` writes it from the
 * catalog; people edit it; the server reads it. Column types are not trusted from the file: the
 * server reads them from the live catalog, so the file only holds choices (and the facts it
 * lists, `columns`, are for the reader).
 */
const reference = z.object({ resource: z.string().min(1), column: z.string().min(1) });

export const resourceSpec = z.object({
  schema: z.string().min(1),
  table: z.string().min(1),
  kind: z.enum(['table', 'view']),
  label: z.string().min(1),
  /** Key columns; empty for a keyless table or a view (then the resource is read-only). */
  id: z.array(z.string()),
  readOnly: z.boolean(),
  list: z.array(z.string()),
  search: z.array(z.string()),
  sortable: z.array(z.string()),
  /** Never selected, filtered or written (password hashes, tokens). */
  hidden: z.array(z.string()),
  /** Shown as •••• plus the last four characters, never filtered or written. */
  masked: z.array(z.string()),
  references: z.record(z.string(), reference),
  rowEstimate: z.number().optional(),
  columns: z.record(z.string(), z.string()).optional(),
});
export type ResourceSpec = z.infer<typeof resourceSpec>;

const capabilityBase = { enabled: z.boolean(), reason: z.string(), missing: z.array(z.string()).optional() };

export const creditsCapability = z.object({
  kind: z.literal('credits'),
  ...capabilityBase,
  /** The resource whose records get the action (POST /api/<resource>/<id>/credits). */
  resource: z.string(),
  /** The column of that resource the balance and ledger rows point at (users.uuid on Chameleon). */
  userKey: z.string(),
  balance: z.object({ resource: z.string(), user: z.string(), left: z.string(), total: z.string().optional(), updatedAt: z.string().optional() }),
  ledger: z.object({ resource: z.string(), user: z.string(), amount: z.string(), type: z.string().optional(), typeValue: z.string().optional(), reason: z.string().optional(), createdAt: z.string().optional() }),
});

export const banCapability = z.object({
  kind: z.literal('ban'),
  ...capabilityBase,
  resource: z.string(),
  banned: z.string(),
  reasonColumn: z.string().optional(),
  expires: z.string().optional(),
  /** The app's sessions, deleted on ban so it takes effect at once. */
  sessions: z.object({ resource: z.string(), user: z.string() }).optional(),
});

export const badgesCapability = z.object({
  kind: z.literal('badges'),
  ...capabilityBase,
  resource: z.string(),
  badges: z.object({ resource: z.string(), xp: z.string().optional() }),
  awards: z.object({ resource: z.string(), user: z.string(), badge: z.string(), at: z.string().optional() }),
  xp: z.object({ resource: z.string(), user: z.string(), total: z.string(), updatedAt: z.string().optional() }).optional(),
  xpLedger: z.object({ resource: z.string(), user: z.string(), amount: z.string(), type: z.string().optional(), typeValue: z.string().optional() }).optional(),
});

/** A status change on one record: refund an order, approve or pay a commission, revoke an API key. */
export const transitionCapability = z.object({
  kind: z.literal('transition'),
  ...capabilityBase,
  resource: z.string(),
  /** URL segment: POST /api/<resource>/<id>/<action>. */
  action: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and _'),
  column: z.string(),
  from: z.array(z.string()).min(1),
  to: z.string(),
  /** Columns stamped with the time of the change (refunded_at, revoked_at). */
  stamp: z.array(z.string()).optional(),
  role: z.enum(['admin', 'support']).optional(),
});

export const capabilitySpec = z.discriminatedUnion('kind', [creditsCapability, banCapability, badgesCapability, transitionCapability]);
export type CapabilitySpec = z.infer<typeof capabilitySpec>;

export const mappingFile = z.object({
  version: z.literal(1),
  schemas: z.array(z.string().min(1)).min(1),
  resources: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'letters, digits, _ and .'), resourceSpec),
  capabilities: z.record(z.string(), capabilitySpec),
});
export type Mapping = z.infer<typeof mappingFile>;

/** A mapping file that does not fit the database: the server stops with this one line. */
export class MappingError extends ConfigError {}

export function parseMapping(json: unknown, source = 'opsroom.adopt.json'): Mapping {
  const parsed = mappingFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new MappingError(`${source}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}

export function loadMapping(file: string): Mapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MappingError(`OPSROOM_ADOPT: cannot read ${file}. Run npm run adopt first, or fix the path.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MappingError(`${file} is not valid JSON (${(err as Error).message}).`);
  }
  return parseMapping(json, file);
}

// ---- generation from the catalog ----

const SECRET = /^(password|password_hash|passwordHash|hashed_password|hashedPassword|token|access_token|refresh_token|id_token|accessToken|refreshToken|idToken|sessionToken|session_token|secret|.*_secret|session_state)$/i;
const MASK = /^(api_key|apiKey|key|encrypted_key|encryptedKey|key_hash|value)$/;
const SEARCHABLE = /(^|_)(email|name|nickname|username|title|slug|order_no|provider|identifier)$|^(email|name|nickname|title|slug)$|Name$|Email$/i;
const LONG_TEXT = /(content|body|prompt|description|message|metadata|config|result|_urls?)$/i;
// Postgres' text types, then MySQL's (DATA_TYPE as information_schema spells it).
const TEXTY = new Set(['text', 'varchar', 'bpchar', 'citext', 'name', 'char', 'tinytext', 'mediumtext', 'longtext']);
/** Bytes, never shown: Postgres' bytea and MySQL's binary types. */
const BINARY = new Set(['bytea', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SMALL_TABLE = 10_000;

export const resourceNameOf = (t: Pick<CatalogTable, 'schema' | 'name'>) => (t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);

export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isScalar = (c: CatalogColumn) => !c.isArray && c.udt !== 'json' && c.udt !== 'jsonb' && !BINARY.has(c.udt);

/** Column conventions for references an app never declared as foreign keys (Chameleon's user_uuid → users.uuid). */
function inferReference(column: string, tables: CatalogTable[]): { table: CatalogTable; column: string } | undefined {
  const m = /^(.+?)(?:_(id|uuid)|(Id))$/.exec(column);
  if (!m) return undefined;
  const stem = m[1]!;
  const target = (m[2] ?? 'id').toLowerCase();
  const candidates = [stem, `${stem}s`, `${stem}es`].map((n) => n.toLowerCase());
  const table = tables.find((t) => candidates.includes(t.name.toLowerCase()));
  if (!table) return undefined;
  const unique = [table.primaryKey, ...table.uniques].some((cols) => cols.length === 1 && cols[0] === target);
  return unique ? { table, column: target } : undefined;
}

export function specFor(t: CatalogTable, tables: CatalogTable[]): ResourceSpec {
  const hidden = t.columns.filter((c) => SECRET.test(c.name) || BINARY.has(c.udt)).map((c) => c.name);
  const masked = t.columns.filter((c) => !hidden.includes(c.name) && MASK.test(c.name) && TEXTY.has(c.udt)).map((c) => c.name);
  const visible = t.columns.filter((c) => !hidden.includes(c.name) && !masked.includes(c.name));
  const references: ResourceSpec['references'] = {};
  for (const fk of t.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    references[fk.columns[0]!] = { resource: resourceNameOf({ schema: fk.schema, name: fk.table }), column: fk.refColumns[0]! };
  }
  for (const c of visible) {
    if (references[c.name] || t.primaryKey.length === 1 && t.primaryKey[0] === c.name) continue;
    const ref = inferReference(c.name, tables);
    if (ref && ref.table !== t) references[c.name] = { resource: resourceNameOf(ref.table), column: ref.column };
  }
  const indexed = new Set([...t.primaryKey.slice(0, 1), ...t.indexes.map((i) => i.columns[0]).filter((c): c is string => !!c)]);
  const small = t.rowEstimate < SMALL_TABLE;
  return {
    schema: t.schema,
    table: t.name,
    kind: t.kind,
    label: humanize(t.name),
    // A key that is itself a secret (Auth.js' sessionToken) cannot be an id in URLs: list-only.
    id: t.kind === 'table' && !t.primaryKey.some((k) => hidden.includes(k)) ? t.primaryKey : [],
    readOnly: t.kind === 'view' || t.primaryKey.length === 0 || t.primaryKey.some((k) => hidden.includes(k)),
    list: visible.filter((c) => isScalar(c) && !LONG_TEXT.test(c.name)).slice(0, 8).map((c) => c.name),
    search: [
      ...new Set([
        ...visible.filter((c) => TEXTY.has(c.udt) && !c.isArray && SEARCHABLE.test(c.name)).slice(0, 4).map((c) => c.name),
        // A MySQL FULLTEXT index names the columns the app itself searches; q matches them through it.
        ...t.indexes.filter((i) => i.fulltext && i.columns.every((n) => visible.some((c) => c.name === n))).flatMap((i) => i.columns),
      ]),
    ],
    // Sorting a big table by an unindexed column reads all of it; small ones sort by anything.
    sortable: visible.filter((c) => isScalar(c) && (small || indexed.has(c.name))).map((c) => c.name),
    hidden,
    masked,
    references,
    rowEstimate: t.rowEstimate,
    columns: Object.fromEntries(t.columns.map((c) => [c.name, `${c.type}${c.nullable ? '' : ' not null'}`])),
  };
}

/** Choices a person may have edited; re-running `npm run adopt` keeps them. */
const EDITABLE: (keyof ResourceSpec)[] = ['label', 'id', 'readOnly', 'list', 'search', 'sortable', 'hidden', 'masked', 'references'];

/**
 * The file a fresh adopt would write, merged with the one already there: an existing resource keeps
 * every choice made in it (facts such as column types and row estimates are refreshed), an
 * existing capability is kept as edited, new tables and capabilities are added, and tables that
 * are gone are reported rather than silently dropped.
 */
export function mergeMapping(fresh: Mapping, previous: Mapping | undefined): { mapping: Mapping; gone: string[] } {
  if (!previous) return { mapping: fresh, gone: [] };
  const resources: Mapping['resources'] = {};
  for (const [name, spec] of Object.entries(fresh.resources)) {
    const old = previous.resources[name];
    resources[name] = old ? { ...spec, ...Object.fromEntries(EDITABLE.map((k) => [k, old[k]])) } : spec;
  }
  const gone = Object.keys(previous.resources).filter((n) => !fresh.resources[n]);
  const capabilities = { ...fresh.capabilities, ...previous.capabilities };
  return { mapping: { ...fresh, schemas: previous.schemas, resources, capabilities }, gone };
}

export function catalogTablesOf(catalog: Catalog, schemas: string[]) {
  return catalog.tables.filter((t) => schemas.includes(t.schema)).sort((a, b) => resourceNameOf(a).localeCompare(resourceNameOf(b)));
}
