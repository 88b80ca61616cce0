import { sql } from 'drizzle-orm';
import type { DataProvider } from 'ra-core';
import { expect } from 'vitest';
import type { ResourceSpec } from '../../src/adopt/mapping';
import type { AdoptedSystem } from './harness';

type Row = Record<string, unknown>;

const table = (spec: ResourceSpec) => sql.identifier(spec.table);
const col = (name: string) => sql.identifier(name);
/** react-admin's id for a row read straight from the database, as the server builds it. */
const idOf = (spec: ResourceSpec, row: Row) => (spec.id.length === 1 ? row[spec.id[0]!] : JSON.stringify(spec.id.map((k) => row[k])));

/**
 * An unfiltered list's first page holds the total the database counts (`n`), and the second page
 * repeats none of it: on any engine, since the caller counts. Returns the first page.
 */
export async function checkFirstPages(dp: DataProvider, name: string, spec: ResourceSpec, n: number) {
  const first = await dp.getList(name, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
  expect(first.total, `${name} total`).toBe(n);
  expect(first.data.length, `${name} first page`).toBe(Math.min(10, n));
  if (n > 10 && spec.id.length) {
    const second = await dp.getList(name, { pagination: { page: 2, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const ids = new Set(first.data.map((r) => JSON.stringify(r.id)));
    expect(second.data.some((r) => ids.has(JSON.stringify(r.id))), `${name} pages overlap`).toBe(false);
    expect(second.total).toBe(n);
  }
  return first;
}

/**
 * Every adopted table through the published ra-data-simple-rest client: the total of an unfiltered
 * list, pages that neither repeat nor skip, each sortable column in both directions (checked
 * against the database's own ORDER BY), an equality filter and the search box, each with the
 * total the database counts.
 */
export async function checkEveryResource(s: AdoptedSystem) {
  const dp = s.session.dataProvider();
  const checked: string[] = [];
  for (const [name, spec] of Object.entries(s.mapping.resources)) {
    const [{ n }] = (await s.query<{ n: number }>(sql`select count(*)::int as n from ${table(spec)}`)) as [{ n: number }];
    const key = spec.id[0] ?? spec.list[0]!;
    const first = await checkFirstPages(dp, name, spec, n);
    if (spec.id.length) {
      for (const field of spec.sortable) {
        for (const order of ['ASC', 'DESC'] as const) {
          const page = await dp.getList(name, { pagination: { page: 1, perPage: 5 }, sort: { field, order }, filter: {} });
          const dir = order === 'ASC' ? sql`asc` : sql`desc`;
          const keys = sql.join(spec.id.map((k) => sql`${col(k)} ${dir}`), sql`, `);
          const expected = await s.query(sql`select * from ${table(spec)} order by ${col(field)} ${dir}, ${keys} limit 5`);
          expect(page.data.map((r) => r.id), `${name} sorted by ${field} ${order}`).toEqual(expected.map((r) => idOf(spec, r)));
        }
      }
    }
    // An equality filter on the first listed scalar column that holds a value.
    const sample = first.data[0] as Row | undefined;
    const filterable = spec.list.find((c) => c !== key && sample && (typeof sample[c] === 'string' || typeof sample[c] === 'number' || typeof sample[c] === 'boolean') && !/(_at|At)$/.test(c));
    if (sample && filterable) {
      const value = sample[filterable];
      const [{ n: matching }] = (await s.query<{ n: number }>(sql`select count(*)::int as n from ${table(spec)} where ${col(filterable)} = ${value}`)) as [{ n: number }];
      const filtered = await dp.getList(name, { pagination: { page: 1, perPage: 50 }, sort: { field: 'id', order: 'ASC' }, filter: { [filterable]: value } });
      expect(filtered.total, `${name} filtered by ${filterable}`).toBe(matching);
      expect(filtered.data.every((r) => r[filterable] === value)).toBe(true);
    }
    const searchColumn = spec.search.find((c) => typeof sample?.[c] === 'string');
    if (sample && searchColumn) {
      const term = String(sample[searchColumn]).slice(0, 6);
      const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const where = sql.join(spec.search.map((c) => sql`${col(c)}::text ilike ${like}`), sql` or `);
      const [{ n: matching }] = (await s.query<{ n: number }>(sql`select count(*)::int as n from ${table(spec)} where ${where}`)) as [{ n: number }];
      const found = await dp.getList(name, { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: { q: term } });
      expect(found.total, `${name} searched for ${term}`).toBe(matching);
    }
    checked.push(name);
  }
  return checked;
}
