import { describe, expect, test } from 'vitest';
import { HttpError } from '../../src/http/errors';
import { resourceModels } from '../../src/resources';
import { MAX_PAGE, parseListQuery } from '../../src/resources/listQuery';

const users = resourceModels().get('users')!;
const refusal = (query: Record<string, unknown>) => {
  try {
    parseListQuery(users, query);
  } catch (err) {
    return err as HttpError;
  }
  throw new Error('expected a 400');
};

describe('list query parsing', () => {
  test('range becomes offset and limit; the definition gives the default sort, id breaks ties', () => {
    const q = parseListQuery(users, { range: '[50,74]' });
    expect(q).toMatchObject({ offset: 50, limit: 25, sort: ['created_at', 'DESC'] });
    expect(q.orderBy).toHaveLength(2);
    expect(parseListQuery(users, {})).toMatchObject({ offset: 0, limit: MAX_PAGE });
    expect(parseListQuery(users, { sort: '["id","asc"]' }).orderBy).toHaveLength(1);
  });

  test.each([
    [{ sort: '["password_hash","ASC"]' }, 'Cannot sort by unknown field "password_hash".'],
    [{ sort: '["email","UP"]' }, 'Sort order must be ASC or DESC.'],
    [{ range: '[10,5]' }, '"range" must be [start,end] with 0 <= start <= end.'],
    [{ range: `[0,${MAX_PAGE}]` }, `A page holds at most ${MAX_PAGE} records.`],
    [{ filter: '{"id":' }, '"filter" is not valid JSON.'],
    [{ filter: '{"nope":1}' }, 'Unknown filter field "nope".'],
    [{ filter: '{"id":"x"}' }, 'Invalid filter on id: expected a whole number.'],
    [{ filter: '{"role":"owner"}' }, 'Invalid filter on role: expected one of member, support, admin.'],
    [{ filter: '{"created_at_gte":"yesterday"}' }, 'Invalid filter on created_at_gte: expected a date between 0001-01-01 and 9999-12-31.'],
    [{ filter: '{"email":"a\\u0000b"}' }, '"filter" has values that cannot be stored.'],
    [{ filter: ['{}', '{}'] }, '"filter" must be given once, as JSON.'],
  ])('%j is a 400: %s', (query, message) => {
    const err = refusal(query);
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });

  test('filters on hidden columns are unknown fields', () => {
    expect(refusal({ filter: '{"password_hash":"x"}' }).message).toBe('Unknown filter field "password_hash".');
  });
});
