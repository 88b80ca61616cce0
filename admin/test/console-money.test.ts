import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { queryRows } from '../../server/src/db/client';
import { chromiumMissing } from './support/browser';
import { consoleSuite, newMember, SHOTS, until } from './support/pages';

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('the console settles money: refunds, stuck generations, the dashboard', () => {
  const suite = consoleSuite();

  const go = (hash: string) => suite.page.goto(`${suite.server.url}/#${hash}`);
  const notification = (text: string | RegExp) => suite.page.getByRole('alert').filter({ hasText: text });
  const confirm = () => suite.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  const rows = <T = Record<string, any>>(query: ReturnType<typeof sql>) => queryRows<T>(suite.server.ctx.database.db, query);
  const balanceOf = async (userId: number) => (await rows<{ left_credits: number }>(sql`select left_credits from credits where user_id = ${userId}`))[0]?.left_credits ?? 0;
  const credits = (userId: number, amount: number, reason: string) =>
    suite.api.json(`/api/users/${userId}/credits`, { method: 'POST', body: JSON.stringify({ amount, reason }) }).then((r) => expect(r.status).toBe(200));

  /** A generation the provider never finished, charged `cost` credits through the ledger. */
  async function stuckGeneration(userId: number, cost: number) {
    await credits(userId, cost, 'Top-up');
    await credits(userId, -cost, 'Generation charge');
    const [g] = await rows<{ id: number }>(
      sql`insert into generations (gen_id, user_id, ai_type, provider, model, prompt, status, credits_cost, created_at)
          values (${`gen_${randomUUID()}`}, ${userId}, 'video', 'fal', 'kling-2.1', 'a cat surfing', 'processing', ${cost}, now() - interval '3 days') returning id`,
    );
    return g!.id;
  }


  test('a paid order whose credits are partly spent is refunded partially from its dialog', async () => {
    const member = await newMember(suite.api);
    const orderNo = `ORD-${randomUUID().slice(0, 8)}`;
    const [order] = await rows<{ id: number }>(
      sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, credits, paid_at, pay_type)
          values (${orderNo}, ${member.id}, 'starter', 'Starter pack', 900, 'paid', 100, now(), 'stripe') returning id`,
    );
    await credits(member.id, 100, 'Order paid');
    await credits(member.id, -60, 'Spent on generations');

    await go(`/orders/${order!.id}/show`);
    await suite.page.getByRole('button', { name: 'Refund' }).click();
    const dialog = suite.page.getByRole('dialog');
    await until(() => dialog.getByTestId('refund-partial-warning').textContent()).toContain('has only 40 left');
    await until(() => dialog.getByRole('link', { name: 'Stripe' }).getAttribute('href')).toContain(encodeURIComponent(orderNo));
    // Without the partial choice the suite.server refuses, and says why under the checkbox.
    await confirm();
    await until(() => dialog.getByText('Only 40 of 100 credits are left to reverse').isVisible()).toBe(true);
    await dialog.getByLabel('Reverse only the 40 credits left').check();
    await dialog.getByLabel('Reason').fill('Partly used; goodwill');
    await confirm();
    await until(() => notification(`Order ${orderNo} refunded`).isVisible()).toBe(true);
    const [after] = await rows(sql`select status from orders where id = ${order!.id}`);
    expect(after).toEqual({ status: 'refunded' });
    expect(await balanceOf(member.id)).toBe(0);
  });

  test('a stuck generation is marked failed and its credits come back, one from its page and many from the list', async () => {
    const member = await newMember(suite.api);
    const one = await stuckGeneration(member.id, 20);
    await go(`/generations/${one}/show`);
    await suite.page.getByRole('button', { name: 'Mark failed & refund' }).click();
    await suite.page.getByRole('dialog').getByLabel('Reason').fill('Provider lost the job');
    await confirm();
    await until(() => notification('Generation marked failed; 20 credits refunded').isVisible()).toBe(true);
    expect(await balanceOf(member.id)).toBe(20);
    await until(() => suite.page.getByRole('button', { name: 'Mark failed & refund' }).count()).toBe(0);

    const many = [await stuckGeneration(member.id, 5), await stuckGeneration(member.id, 7)];
    await go(`/generations?filter=${encodeURIComponent(JSON.stringify({ user_id: member.id, status: 'processing' }))}`);
    await until(() => suite.page.locator('tbody tr').count()).toBe(2);
    await suite.page.locator('thead input[type=checkbox]').check();
    await suite.page.getByRole('button', { name: 'Mark failed & refund' }).click();
    await suite.page.getByRole('dialog').getByLabel('Reason').fill('Provider outage');
    await confirm();
    await until(() => notification('2 generations marked failed; 12 credits refunded').isVisible()).toBe(true);
    const statuses = await rows<{ status: string }>(sql`select status from generations where id in (${sql.join(many, sql`, `)})`);
    expect(statuses.map((s) => s.status)).toEqual(['failed', 'failed']);
    expect(await balanceOf(member.id)).toBe(20 + 12);
    const audits = await rows(sql`select count(*)::int as n from audit_log where action = 'fail_refund' and record_id in (${sql.join([one, ...many].map(String), sql`, `)})`);
    expect(audits).toEqual([{ n: 3 }]);
  });

  test('a dashboard tile opens the filtered list behind it; the work lists link to theirs', async () => {
    const member = await newMember(suite.api);
    await go('/');
    await until(() => suite.page.getByTestId('today-tiles').isVisible()).toBe(true);
    await until(() => suite.page.getByTestId('work-generations').textContent()).toMatch(/Stuck generations \(\d+\)/);
    await until(() => suite.page.locator('[data-testid=chart] .recharts-cartesian-grid').count()).toBe(4);
    await suite.page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

    await suite.page.getByRole('link', { name: 'Signups today' }).click();
    await until(() => decodeURIComponent(suite.page.url())).toContain('"created_at_gte"');
    expect(suite.page.url()).toContain('#/users');
    await until(() => suite.page.getByRole('cell', { name: member.email }).isVisible()).toBe(true);
    const since = new Date(JSON.parse(new URL(suite.page.url().replace('#/', '')).searchParams.get('filter')!).created_at_gte);
    expect(since.getTime()).toBe(new Date(new Date().toISOString().slice(0, 10)).getTime());

    await go('/');
    await suite.page.getByTestId('work-generations').getByRole('link', { name: 'See all' }).click();
    await until(() => decodeURIComponent(suite.page.url())).toContain('"status":["pending","processing"]');
    await until(() => suite.page.locator('tbody tr').count()).toBeGreaterThan(0);
  });
});
