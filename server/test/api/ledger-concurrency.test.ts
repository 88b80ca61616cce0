import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seededRandom } from '../../src/db/seed/random';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, rows } from './actions-helpers';

describeEachEngine('the credit ledger under concurrent adjustments', (server) => {
  it('after a burst of concurrent grants and deducts every balance equals the sum of its ledger and never went negative', async () => {
    const { session } = await signIn(server(), 'admin');
    // Fresh users with no balance row yet: the burst also races to create it.
    const userIds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `burst-${i}-${randomUUID()}@example.com` }) });
      expect(res.status).toBe(201);
      userIds.push(res.body.id);
    }
    // Deducts outweigh grants, so a good share must be refused for want of balance.
    const rnd = seededRandom(7);
    const requests = Array.from({ length: 200 }, (_, i) => ({
      userId: userIds[i % userIds.length]!,
      amount: rnd.chance(0.5) ? rnd.int(1, 40) : -rnd.int(1, 60),
    }));
    const results = await Promise.all(
      requests.map(async (r) => ({ ...r, status: (await act(session, `/api/users/${r.userId}/credits`, { amount: r.amount, reason: 'burst' })).status })),
    );

    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 409]);
    for (const userId of userIds) {
      const ledger = await rows<{ amount: number; balance_after: number }>(server(), sql`select amount, balance_after from credit_transactions where user_id = ${userId} order by id`);
      const applied = results.filter((r) => r.userId === userId && r.status === 200);
      expect(ledger).toHaveLength(applied.length);
      expect(ledger.map((e) => e.amount).sort()).toEqual(applied.map((r) => r.amount).sort());
      // Entries are written under the balance row's lock, so in id order each balance_after is the running sum.
      let running = 0;
      for (const entry of ledger) {
        running += entry.amount;
        expect(entry.balance_after).toBe(running);
        expect(running).toBeGreaterThanOrEqual(0);
      }
      const [balance] = await rows<{ left_credits: number; total_credits: number }>(server(), sql`select left_credits, total_credits from credits where user_id = ${userId}`);
      expect(balance!.left_credits).toBe(running);
      expect(balance!.total_credits).toBe(ledger.filter((e) => e.amount > 0).reduce((s, e) => s + e.amount, 0));
    }
  });
}, { demo: true });
