import { expect, it } from 'vitest';
import { signIn, type Session } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

const list = async (session: Session, resource: string, filter: object, sort = ['id', 'ASC'], range = [0, 999]) =>
  session.json<Record<string, any>[]>(`/api/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=${encodeURIComponent(JSON.stringify(sort))}&range=${encodeURIComponent(JSON.stringify(range))}`);

describeEachEngine('list filters', (server) => {
  it('equality and arrays (IN) select exactly the matching rows', async () => {
    const { session } = await signIn(server());
    const paid = await list(session, 'orders', { status: 'paid' });
    expect(paid.body.length).toBeGreaterThan(0);
    expect(paid.body.every((o) => o.status === 'paid')).toBe(true);
    const some = await list(session, 'orders', { status: ['refunded', 'failed'] });
    expect(new Set(some.body.map((o) => o.status))).toEqual(new Set(['refunded', 'failed']));
    const none = await list(session, 'orders', { id: [] });
    expect(none.body).toEqual([]);
    expect(none.headers.get('content-range')).toBe('orders */0');
  });

  it('_gte, _lte, _gt, _lt and _neq compare numbers and dates', async () => {
    const { session } = await signIn(server());
    const all = (await list(session, 'orders', {})).body;
    const amounts = all.map((o) => o.amount as number);
    const mid = [...amounts].sort((a, b) => a - b)[Math.floor(amounts.length / 2)]!;
    const count = (pred: (a: number) => boolean) => amounts.filter(pred).length;
    expect((await list(session, 'orders', { amount_gte: mid })).body).toHaveLength(count((a) => a >= mid));
    expect((await list(session, 'orders', { amount_lte: mid })).body).toHaveLength(count((a) => a <= mid));
    expect((await list(session, 'orders', { amount_gt: mid })).body).toHaveLength(count((a) => a > mid));
    expect((await list(session, 'orders', { amount_lt: mid })).body).toHaveLength(count((a) => a < mid));
    expect((await list(session, 'orders', { amount_neq: mid })).body).toHaveLength(count((a) => a !== mid));

    const dates = all.map((o) => new Date(o.created_at).getTime()).sort((a, b) => a - b);
    const cut = new Date(dates[Math.floor(dates.length / 3)]!).toISOString();
    const after = await list(session, 'orders', { created_at_gte: cut });
    expect(after.body).toHaveLength(dates.filter((d) => d >= Date.parse(cut)).length);
  });

  it('_like and q search substrings case-insensitively, treating % and _ literally', async () => {
    const { session } = await signIn(server());
    const like = await list(session, 'users', { email_like: 'LOVELACE' });
    expect(like.body.length).toBeGreaterThan(0);
    expect(like.body.every((u) => u.email.includes('lovelace'))).toBe(true);
    const q = await list(session, 'users', { q: 'Hopper' });
    expect(q.body.every((u) => `${u.email} ${u.name} ${u.nickname}`.toLowerCase().includes('hopper'))).toBe(true);
    expect((await list(session, 'users', { q: '%' })).body).toEqual([]);
    expect((await list(session, 'users', { q: '_' })).body).toEqual([]);
  });

  it('null matches missing values and booleans filter flags', async () => {
    const { session } = await signIn(server());
    const unpaid = await list(session, 'orders', { paid_at: null });
    expect(unpaid.body.every((o) => o.paid_at === null)).toBe(true);
    const banned = await list(session, 'users', { banned: true });
    expect(banned.body.length).toBeGreaterThan(0);
    expect(banned.body.every((u) => u.banned === true)).toBe(true);
  });

  it('sorts on any exposed column with a stable id tie-break, and pages without overlap', async () => {
    const { session } = await signIn(server());
    const first = await list(session, 'generations', {}, ['provider', 'DESC'], [0, 49]);
    const second = await list(session, 'generations', {}, ['provider', 'DESC'], [50, 99]);
    const ids = [...first.body, ...second.body].map((g) => g.id);
    expect(new Set(ids).size).toBe(100);
    const providers = [...first.body, ...second.body].map((g) => g.provider);
    expect([...providers].sort().reverse()).toEqual(providers);
    expect(first.headers.get('content-range')).toMatch(/^generations 0-49\/\d+$/);
    expect(first.headers.get('x-total-kind')).toBe('exact');
  });
}, { demo: true });
