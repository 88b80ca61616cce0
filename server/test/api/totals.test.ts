import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// A tiny exact-count threshold makes the demo's few thousand rows behave like a big table.
describeEachEngine('list totals on big tables', (server) => {
  it('counts exactly below the threshold and says so', async () => {
    const { session } = await signIn(server());
    const res = await session.json(`/api/users?filter=${encodeURIComponent('{"banned":true}')}&range=[0,9]`);
    expect(res.headers.get('x-total-kind')).toBe('exact');
    const total = Number(res.headers.get('content-range')!.split('/').pop());
    const all = await session.json(`/api/users?filter=${encodeURIComponent('{"banned":true}')}&range=[0,999]`);
    expect(total).toBe(all.body.length);
  });

  it('switches to the planner estimate above the threshold, unfiltered and filtered', async () => {
    const { session } = await signIn(server());
    const exact = server().ctx.database.db;
    const [{ n }] = await queryRows<{ n: number }>(exact, sql`select count(*)::int as n from credit_transactions`);
    await exact.execute(sql`analyze`);
    for (const filter of ['{}', '{"type":"ai_generation"}']) {
      const res = await session.json(`/api/credit_transactions?filter=${encodeURIComponent(filter)}&range=[0,24]`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-kind')).toBe('estimate');
      const total = Number(res.headers.get('content-range')!.split('/').pop());
      expect(total).toBeGreaterThan(50);
      expect(total).toBeLessThan(n * 2);
      expect(res.body).toHaveLength(25);
    }
  });
}, { demo: true, config: { exactCountLimit: 50 } });
