import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { badRequest } from '../http/errors';
import { assertStorableJson } from '../http/jsonGuard';
import { exactBigintValue, isExactBigint, type Field, type ResourceModel } from './model';
import { DATE_RANGE_MESSAGE, inDateRange } from './refinements';

export const MAX_PAGE = 1000;
const MAX_IN_LIST = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPERATORS = ['_gte', '_lte', '_gt', '_lt', '_neq', '_like'] as const;
type Operator = (typeof OPERATORS)[number] | '';

export interface ListQuery {
  where?: SQL;
  orderBy: SQL[];
  offset: number;
  limit?: number;
  sort: [string, 'ASC' | 'DESC'];
}

function parseJsonParam(name: string, raw: unknown): unknown {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw badRequest(`"${name}" must be given once, as JSON.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest(`"${name}" is not valid JSON.`);
  }
  assertStorableJson(value, `"${name}"`);
  return value;
}

/** Coerces one filter value to the column's type, or explains why it can't be. */
function coerce(field: Field, value: unknown, label: string): unknown {
  const fail = (why: string) => badRequest(`Invalid filter on ${label}: ${why}.`, { [label]: why });
  switch (field.kind) {
    case 'int': {
      if (isExactBigint(field.column)) {
        const big = exactBigintValue(field.column, value);
        if (big === undefined) throw fail('expected a whole number in range');
        return big;
      }
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw fail('expected a whole number');
      if (!/BigInt53$/.test(field.column.columnType) && Math.abs(n) > (/unsigned/.test(field.column.getSQLType()) ? 4294967295 : 2147483647)) throw fail('number out of range');
      return n;
    }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail('expected a number');
      return n;
    }
    case 'bool':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw fail('expected true or false');
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) throw fail('expected a UUID');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.enumValues!.includes(value)) throw fail(`expected one of ${field.enumValues!.join(', ')}`);
      return value;
    case 'date': {
      const d = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
      if (!d || !inDateRange(d)) throw fail(DATE_RANGE_MESSAGE.replace(/^Must be/, 'expected'));
      return d;
    }
    case 'text':
      if (typeof value !== 'string' && typeof value !== 'number') throw fail('expected text');
      // Postgres text cannot hold NUL; reject instead of letting the driver fail with a 500.
      if (String(value).includes('\u0000')) throw fail('text may not contain NUL characters');
      return String(value);
    case 'json':
      throw fail('JSON columns cannot be filtered');
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `field` contains `term`, case-insensitively: ILIKE on Postgres; on MySQL LIKE, which follows the
 * column's collation (the `_ci` ones every MySQL app uses by default ignore case already).
 */
function contains(model: ResourceModel, field: Field, term: string): SQL {
  const pattern = `%${escapeLike(term)}%`;
  if (model.config.dialect === 'mysql') return field.kind === 'text' || field.kind === 'enum' ? sql`${field.column} like ${pattern}` : sql`cast(${field.column} as char) like ${pattern}`;
  return field.kind === 'text' ? sql`${field.column} ilike ${pattern}` : sql`${field.column}::text ilike ${pattern}`;
}

/** InnoDB ignores longer words; a bound on the count keeps a pasted essay from becoming a huge query. */
const MAX_FT_WORD = 84;
const MAX_FT_WORDS = 32;

/**
 * `MATCH … AGAINST` in boolean mode over the FULLTEXT index's columns: every word of `term` must
 * start a word of the row (`+word*`). Only letters, digits and `_` are kept, so none of boolean
 * mode's operators (`+-><()~*"@`) the user typed reach it. No words left: no match, LIKE decides.
 */
function fulltextMatch(model: ResourceModel, term: string): { match: SQL; covers: Set<string> } | undefined {
  const names = model.config.fulltext ?? [];
  const words = (term.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_FT_WORDS).map((w) => w.slice(0, MAX_FT_WORD));
  if (!names.length || !words.length) return undefined;
  const columns = names.map((n) => model.fields.get(n)!.column);
  const against = words.map((w) => `+${w}*`).join(' ');
  return { match: sql`match(${sql.join(columns, sql`, `)}) against (${against} in boolean mode)`, covers: new Set(names) };
}

function condition(model: ResourceModel, key: string, value: unknown): SQL {
  if (key === 'q') {
    if (typeof value !== 'string') throw badRequest('Invalid filter on q: expected text.', { q: 'expected text' });
    const term = value.trim();
    if (term.includes('\u0000')) throw badRequest('Invalid filter on q: NUL characters are not allowed.', { q: 'invalid text' });
    const columns = (model.config.search ?? []).map((n) => model.fields.get(n)!);
    if (!term || !columns.length) return sql`true`;
    const fulltext = model.config.dialect === 'mysql' ? fulltextMatch(model, term) : undefined;
    const matches = columns.filter((f) => !fulltext?.covers.has(f.name)).map((f) => contains(model, f, term));
    if (fulltext) matches.push(fulltext.match);
    // An exact id match too, so pasting an id into the search box finds the record.
    if (model.id.kind === 'int' && /^\d{1,15}$/.test(term)) matches.push(eq(model.id.column, Number(term)));
    return or(...matches)!;
  }

  const segments = model.config.segments;
  if (key === 'segment' && segments && !model.fields.has(key)) {
    if (typeof value !== 'string' || !Object.hasOwn(segments, value)) {
      const known = Object.keys(segments).join(', ');
      throw badRequest(`Unknown segment: expected one of ${known}.`, { segment: `expected one of ${known}` });
    }
    return segments[value]!;
  }

  let op: Operator = '';
  let name = key;
  if (!model.fields.has(key)) {
    const suffix = OPERATORS.find((o) => key.endsWith(o));
    if (suffix) {
      op = suffix;
      name = key.slice(0, -suffix.length);
    }
  }
  const field = model.fields.get(name);
  if (!field) throw badRequest(`Unknown filter field "${key}".`, { [key]: 'unknown field' });

  if (op === '_like') {
    if (typeof value !== 'string' || !value) throw badRequest(`Invalid filter on ${key}: expected text.`, { [key]: 'expected text' });
    if (value.includes('\u0000')) throw badRequest(`Invalid filter on ${key}: invalid text.`, { [key]: 'invalid text' });
    return contains(model, field, value);
  }
  if (value === null) {
    if (op === '') return isNull(field.column);
    if (op === '_neq') return sql`${field.column} is not null`;
    throw badRequest(`Invalid filter on ${key}: null only works with equality.`, { [key]: 'null only works with equality' });
  }
  if (Array.isArray(value)) {
    if (op !== '' && op !== '_neq') throw badRequest(`Invalid filter on ${key}: a list only works with equality.`, { [key]: 'a list only works with equality' });
    if (value.length > MAX_IN_LIST) throw badRequest(`Too many values for ${key} (at most ${MAX_IN_LIST}).`, { [key]: 'too many values' });
    if (!value.length) return op === '_neq' ? sql`true` : sql`false`;
    const values = value.map((v) => coerce(field, v, key));
    return op === '_neq' ? sql`${field.column} not in ${values}` : inArray(field.column, values);
  }
  if (typeof value === 'object') throw badRequest(`Invalid filter on ${key}: nested objects are not supported.`, { [key]: 'unsupported value' });
  const v = coerce(field, value, key);
  switch (op) {
    case '':
      return eq(field.column, v);
    case '_neq':
      return ne(field.column, v);
    case '_gte':
      return gte(field.column, v);
    case '_lte':
      return lte(field.column, v);
    case '_gt':
      return gt(field.column, v);
    case '_lt':
      return lt(field.column, v);
  }
}

export function parseFilter(model: ResourceModel, raw: unknown): SQL | undefined {
  const filter = parseJsonParam('filter', raw);
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badRequest('"filter" must be a JSON object.');
  const parts = Object.entries(filter as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => condition(model, k, v));
  return parts.length ? and(...parts) : undefined;
}

export function parseListQuery(model: ResourceModel, query: Record<string, unknown>): ListQuery {
  const where = parseFilter(model, query.filter);

  const rawSort = parseJsonParam('sort', query.sort) ?? model.config.defaultSort ?? [model.id.name, 'ASC'];
  if (!Array.isArray(rawSort) || rawSort.length !== 2 || typeof rawSort[0] !== 'string' || typeof rawSort[1] !== 'string') {
    throw badRequest('"sort" must look like ["field","ASC"].');
  }
  const [field, rawOrder] = rawSort as [string, string];
  const order = rawOrder.toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw badRequest('Sort order must be ASC or DESC.');
  const sortField = model.fields.get(field);
  if (!sortField) throw badRequest(`Cannot sort by unknown field "${field}".`, { sort: 'unknown field' });
  if (sortField.kind === 'json') throw badRequest(`Cannot sort by JSON field "${field}".`, { sort: 'not sortable' });
  const dir = order === 'ASC' ? asc : desc;
  // id breaks ties, so pages never repeat or skip rows that share a sort value.
  const orderBy = sortField === model.id ? [dir(sortField.column)] : [dir(sortField.column), dir(model.id.column)];

  const range = parseJsonParam('range', query.range);
  if (range === undefined) return { where, orderBy, offset: 0, limit: MAX_PAGE, sort: [field, order] };
  if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isSafeInteger(n))) {
    throw badRequest('"range" must look like [0,24].');
  }
  const [start, end] = range as [number, number];
  if (start < 0 || end < start) throw badRequest('"range" must be [start,end] with 0 <= start <= end.');
  if (end - start + 1 > MAX_PAGE) throw badRequest(`A page holds at most ${MAX_PAGE} records.`);
  return { where, orderBy, offset: start, limit: end - start + 1, sort: [field, order] };
}
