import { expect, it } from 'vitest';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

const enc = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));

describeEachEngine('bad queries and bodies', (server) => {
  const cases: [string, string, RegExp][] = [
    ['malformed filter JSON', `/api/users?filter=${enc('{"email":')}`, /not valid JSON/],
    ['filter that is not an object', `/api/users?filter=${enc([1, 2])}`, /must be a JSON object/],
    ['unknown filter column', `/api/users?filter=${enc({ nope: 1 })}`, /Unknown filter field "nope"/],
    ['hidden column as a filter', `/api/users?filter=${enc({ password_hash: 'x' })}`, /Unknown filter field/],
    ['wrong type for an integer column', `/api/orders?filter=${enc({ amount_gte: 'lots' })}`, /expected a whole number/],
    ['value outside an enum', `/api/orders?filter=${enc({ status: 'stolen' })}`, /expected one of pending, paid/],
    ['invalid uuid', `/api/users?filter=${enc({ uuid: 'not-a-uuid' })}`, /expected a UUID/],
    ['invalid date', `/api/orders?filter=${enc({ created_at_gte: 'yesterday-ish' })}`, /expected a date/],
    ['nested object', `/api/users?filter=${enc({ email: { $ne: 1 } })}`, /nested objects/],
    ['unknown sort column', `/api/users?sort=${enc(['password_hash', 'ASC'])}`, /Cannot sort by unknown field/],
    ['bad sort order', `/api/users?sort=${enc(['email', 'SIDEWAYS'])}`, /ASC or DESC/],
    ['malformed sort', `/api/users?sort=${enc('email')}`, /not valid JSON|must look like/],
    ['negative range', `/api/users?range=${enc([-5, 10])}`, /0 <= start <= end/],
    ['inverted range', `/api/users?range=${enc([10, 5])}`, /0 <= start <= end/],
    ['over-large page', `/api/users?range=${enc([0, 5000])}`, /at most 1000/],
    ['non-numeric range', `/api/users?range=${enc(['a', 'b'])}`, /must look like/],
    ['parameter given twice', `/api/users?sort=${enc(['id', 'ASC'])}&sort=${enc(['id', 'ASC'])}`, /given once/],
    ['non-numeric id', '/api/users/abc', /expected a whole number/],
  ];
  for (const [name, path, message] of cases) {
    it(`400 for ${name}`, async () => {
      const { session } = await signIn(server());
      const res = await session.json(path);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });
  }

  it('404 for an unknown resource and an unknown id, as JSON', async () => {
    const { session } = await signIn(server());
    expect((await session.json('/api/nope')).status).toBe(404);
    const missing = await session.json('/api/users/99999999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/does not exist/);
  });

  it('a body that breaks the schema gets per-field errors and writes nothing', async () => {
    const { session } = await signIn(server());
    const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'not-an-email', role: 'emperor' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({ email: expect.stringMatching(/valid email/), role: expect.any(String) });
    const again = await session.json(`/api/users?filter=${enc({ email: 'not-an-email' })}`);
    expect(again.body).toEqual([]);
  });

  it('unknown or hidden fields in a body are refused by name', async () => {
    const { session } = await signIn(server());
    const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'a@b.co', password_hash: 'x', __proto__x: 1 }) });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(expect.arrayContaining(['password_hash', '__proto__x']));
  });

  it('malformed JSON and oversized bodies are 4xx with a message', async () => {
    const { session } = await signIn(server());
    const bad = await session.json('/api/waitlist', { method: 'POST', body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    const big = await session.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'x@y.z', source: 'x'.repeat(400_000) }) });
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/too large/);
  });

  it('a duplicate unique value is a 409 naming the field', async () => {
    const { session } = await signIn(server());
    const first = await session.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'dup@example.com' }) });
    expect(first.status).toBe(201);
    const second = await session.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'dup@example.com' }) });
    expect(second.status).toBe(409);
    expect(second.body.errors).toEqual({ email: 'Already exists' });
  });

  it('read-only resources refuse writes with 405', async () => {
    const { session } = await signIn(server());
    const res = await session.json('/api/audit_log/1', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect((await session.json('/api/orders', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('deleting a user with orders is a 409, not a 500', async () => {
    const { session } = await signIn(server());
    const [order] = (await session.json(`/api/orders?range=${enc([0, 0])}`)).body;
    const res = await session.json(`/api/users/${order.user_id}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect((await session.json(`/api/users/${order.user_id}`)).status).toBe(200);
  });
}, { demo: true });
