import { expect, it } from 'vitest';
import { signIn, type Session } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { BIG_SPENDER_MINOR_UNITS, INACTIVE_DAYS } from '../../../contract';

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
  it('user segments: payers, big spenders and inactive users match what their orders and activity say', async () => {
    const { session } = await signIn(server());
    const all = async (resource: string, filter: object) => {
      const rows: Record<string, any>[] = [];
      for (let start = 0; ; start += 1000) {
        const page = (await list(session, resource, filter, ['id', 'ASC'], [start, start + 999])).body;
        rows.push(...page);
        if (page.length < 1000) return rows;
      }
    };
    const ids = async (segment: string) => {
      const res = await list(session, 'users', { segment });
      expect(res.status, segment).toBe(200);
      return new Set(res.body.map((u) => u.id as number));
    };
    const spend = new Map<number, number>();
    for (const o of await all('orders', { status: 'paid' })) spend.set(o.user_id, (spend.get(o.user_id) ?? 0) + o.amount);
    const payers = await ids('payers');
    expect(payers.size).toBeGreaterThan(0);
    expect(payers).toEqual(new Set(spend.keys()));
    const big = await ids('big_spenders');
    expect(big.size).toBeGreaterThan(0);
    expect(big.size).toBeLessThan(payers.size);
    expect(big).toEqual(new Set([...spend].filter(([, cents]) => cents >= BIG_SPENDER_MINOR_UNITS).map(([id]) => id)));

    const cut = new Date(Date.now() - INACTIVE_DAYS * 86_400_000).toISOString();
    const active = new Set<number>();
    for (const resource of ['generations', 'credit_transactions', 'orders']) for (const r of await all(resource, { created_at_gte: cut })) active.add(r.user_id);
    const old = await all('users', { created_at_lt: cut });
    const inactive = await ids('inactive_30d');
    expect(inactive.size).toBeGreaterThan(0);
    expect(inactive).toEqual(new Set(old.filter((u) => !active.has(u.id)).map((u) => u.id)));

    // A segment combines with other filters, and an unknown one is the client's mistake, named.
    const bannedPayers = await list(session, 'users', { segment: 'payers', banned: false });
    expect(bannedPayers.body.every((u) => payers.has(u.id) && u.banned === false)).toBe(true);
    for (const bad of ['whales', '__proto__', 42, ['payers']]) {
      const res = await list(session, 'users', { segment: bad });
      expect(res.status).toBe(400);
      expect((res.body as any).errors.segment).toMatch(/payers, big_spenders, inactive_30d/);
    }
    // Resources without segments treat "segment" as any unknown field.
    expect((await list(session, 'orders', { segment: 'payers' })).status).toBe(400);
  });
}, { demo: true });
