import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { queryRows } from '../../server/src/db/client';
import { createOperator } from '../../server/test/support/operators';
import { chromiumMissing } from './support/browser';
import { consoleSuite, newMember, SHOTS, until } from './support/pages';

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('the console finds things: date ranges, saved queries, search, the user page, the audit diff', () => {
  const suite = consoleSuite();

  const go = (hash: string) => suite.page.goto(`${suite.server.url}/#${hash}`);
  const rows = <T = Record<string, any>>(query: ReturnType<typeof sql>) => queryRows<T>(suite.server.ctx.database.db, query);
  const post = (path: string, body: unknown) => suite.api.json(path, { method: 'POST', body: JSON.stringify(body) });


  test('a date-range filter keeps only the orders created inside the range, both ends included', async () => {
    const member = await newMember(suite.api);
    const product = `Range test ${randomUUID().slice(0, 8)}`;
    for (const [no, day] of [['A', '2021-03-10T12:00:00Z'], ['B', '2021-03-15T00:30:00Z'], ['C', '2021-03-20T23:30:00Z'], ['D', '2021-03-25T12:00:00Z']]) {
      await rows(sql`insert into orders (order_no, user_id, product_id, product_name, amount, created_at) values (${`${product}-${no}`}, ${member.id}, 'p', ${product}, 100, ${day})`);
    }
    await go(`/orders?filter=${encodeURIComponent(JSON.stringify({ q: product }))}`);
    await until(() => suite.page.locator('tbody tr').count()).toBe(4);
    await suite.page.getByLabel('Created from').fill('2021-03-15');
    await suite.page.getByLabel('Created until').fill('2021-03-20');
    await until(() => suite.page.locator('tbody tr').count()).toBe(2);
    const shown = await suite.page.locator('tbody tr').allTextContents();
    expect(shown.some((t) => t.includes(`${product}-B`)) && shown.some((t) => t.includes(`${product}-C`))).toBe(true);
  });

  test('a filtered list saved as a query comes back with one click', async () => {
    await go('/users');
    await until(() => suite.page.locator('tbody tr').count()).toBeGreaterThan(0);
    await suite.page.getByRole('button', { name: 'Banned' }).first().click();
    await until(() => decodeURIComponent(suite.page.url())).toContain('"banned":true');
    await suite.page.getByRole('button', { name: 'Save current query...' }).click();
    await suite.page.getByRole('dialog').getByLabel('Query name').fill('Banned people');
    await suite.page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await go('/users?filter=%7B%7D');
    await until(() => decodeURIComponent(suite.page.url())).not.toContain('banned');
    await suite.page.getByRole('button', { name: 'Banned people' }).click();
    await until(() => decodeURIComponent(suite.page.url())).toContain('"banned":true');
    const total = (await suite.api.json(`/api/users?filter=${encodeURIComponent('{"banned":true}')}&range=[0,0]`)).headers.get('content-range');
    await until(() => suite.page.locator('tbody tr').count()).toBe(Math.min(25, Number(total!.split('/')[1])));
  });

  test('the users sidebar offers payers, big spenders and inactive users, each with its count', async () => {
    const total = async (filter: object) =>
      Number((await suite.api.json(`/api/users?filter=${encodeURIComponent(JSON.stringify(filter))}&range=[0,0]`)).headers.get('content-range')!.split('/')[1]);
    await go('/users?filter=%7B%7D');
    await until(() => suite.page.locator('tbody tr').count()).toBeGreaterThan(0);
    const sidebar = suite.page.locator('.RaList-main').locator('..');
    const banned = await total({ banned: true });
    await until(() => sidebar.getByRole('button', { name: `Banned (${banned})` }).count()).toBe(1);
    expect(await sidebar.getByRole('button', { name: `Operators (${await total({ role: ['admin', 'support'] })})` }).count()).toBe(1);
    for (const [name, segment] of [['Payers', 'payers'], ['Big spenders', 'big_spenders'], ['Inactive 30 days', 'inactive_30d']]) {
      const expected = await total({ segment });
      expect(expected, segment).toBeGreaterThan(0);
      // The server's periodic count, shown beside the name, agrees with the list's own total.
      const counted = sidebar.getByRole('button', { name: new RegExp(`^${name.replace(/[()$+]/g, '\\$&')}.* \\(${expected.toLocaleString('en-US')}\\)$`) });
      await until(() => counted.count()).toBe(1);
      await sidebar.getByRole('button', { name }).first().click();
      await until(() => decodeURIComponent(suite.page.url())).toContain(`"segment":"${segment}"`);
      await until(() => suite.page.locator('.RaPaginationActions-root, .MuiTablePagination-displayedRows').first().textContent()).toContain(`of ${expected}`);
    }
  });

  test('global search: "/" focuses it, an email finds the user, Enter opens their page', async () => {
    const member = await newMember(suite.api);
    await go('/orders');
    await until(() => suite.page.locator('tbody tr').count()).toBeGreaterThan(0);
    await suite.page.keyboard.press('/');
    await until(() => suite.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search everything');
    await suite.page.keyboard.type(member.email);
    await until(() => suite.page.getByRole('option').first().textContent()).toContain(member.email);
    await suite.page.keyboard.press('Enter');
    await until(() => suite.page.url()).toContain(`#/users/${member.id}/show`);
    await until(() => suite.page.getByTestId('user-summary').textContent()).toContain(member.email);

    // Ctrl+K works from anywhere too; an order by its number.
    const [order] = await rows<{ id: number; order_no: string }>(sql`select id, order_no from orders order by id limit 1`);
    await suite.page.keyboard.press('Control+k');
    await suite.page.keyboard.type(order!.order_no);
    await until(() => suite.page.getByRole('option').first().textContent()).toContain(order!.order_no);
    await suite.page.keyboard.press('Enter');
    await until(() => suite.page.url()).toContain(`#/orders/${order!.id}/show`);
  });

  test('the user page sums the user up and its timeline tells what happened, by whom, how much and why', async () => {
    const member = await newMember(suite.api);
    await rows(sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, paid_at) values (${`SUM-${randomUUID()}`}, ${member.id}, 'p', 'Pro', 1900, 'paid', now())`);
    await post(`/api/users/${member.id}/credits`, { amount: 25, reason: 'Goodwill after outage' });
    await post(`/api/users/${member.id}/ban`, { reason: 'Chargeback fraud' });
    await go(`/users/${member.id}/show`);
    const summary = suite.page.getByTestId('user-summary');
    await until(() => summary.getByTestId('summary-balance').textContent()).toBe('25');
    await until(() => summary.getByTestId('summary-spend').textContent()).toBe('$19.00');
    await until(() => summary.getByTestId('summary-orders').textContent()).toBe('1');
    await until(() => summary.getByTestId('user-status').textContent()).toContain('Banned: Chargeback fraud');

    await suite.page.getByRole('tab', { name: 'Timeline' }).click();
    const entries = suite.page.getByTestId('timeline-entry');
    await until(() => entries.count()).toBe(3);
    await until(() => entries.nth(0).textContent()).toContain('Banned — Chargeback fraud');
    expect(await entries.nth(1).textContent()).toContain('Credits adjusted +25 credits — Goodwill after outage');
    expect(await entries.nth(1).textContent()).toMatch(/admin-\d+-\w+@ops\.test/);
    await suite.page.screenshot({ path: `${SHOTS}/user-page.png`, fullPage: true });

    await suite.page.getByRole('tab', { name: 'Orders' }).click();
    await suite.page.getByRole('link', { name: 'All orders of this user' }).click();
    await until(() => decodeURIComponent(suite.page.url())).toContain(`"user_id":${member.id}`);
    await until(() => suite.page.locator('tbody tr').count()).toBe(1);
  });

  test('the audit entry of a ban shows before and after with the changed fields highlighted', async () => {
    const member = await newMember(suite.api);
    await post(`/api/users/${member.id}/ban`, { reason: 'Spam' });
    const [entry] = await rows<{ id: number }>(sql`select id from audit_log where action = 'ban' and record_id = ${String(member.id)} order by id desc limit 1`);
    await go(`/audit_log/${entry!.id}/show`);
    const diff = suite.page.getByTestId('audit-diff');
    await until(() => diff.locator('tr[data-changed]').count()).toBeGreaterThan(0);
    const changed = (await diff.locator('tr[data-changed] td:first-child').allTextContents()).sort();
    expect(changed).toEqual(expect.arrayContaining(['ban_reason', 'banned']));
    expect(changed).not.toContain('email');
    expect(await diff.locator('tr:not([data-changed]) td:first-child').allTextContents()).toContain('email');
    await until(() => suite.page.getByRole('link', { name: `users ${member.id}` }).getAttribute('href')).toBe(`#/users/${member.id}/show`);
    await suite.page.screenshot({ path: `${SHOTS}/audit-diff.png`, fullPage: true });
  });

  test('a failed sign-in and a sign-in through the login form are listed in the audit log, the attempted email as actor', async () => {
    const op = await createOperator(suite.server, 'admin');
    const wrong = `wrong-${randomUUID()}`;
    // The login form in a fresh tab, with no session: the browser's cookies go.
    await suite.browser.context.clearCookies();
    const page = await suite.browser.context.newPage();
    try {
      await page.goto(`${suite.server.url}/#/login`);
      await page.getByLabel('Email').fill(op.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(wrong);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await until(() => page.getByRole('alert').first().isVisible()).toBe(true);
      await page.getByRole('textbox', { name: 'Password' }).fill(op.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);

      for (const [action, label] of [['sign_in_failed', 'sign in failed'], ['sign_in', 'sign in']] as const) {
        await page.goto(`${suite.server.url}/#/audit_log?filter=%7B%7D`);
        await until(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
        await page.getByRole('combobox', { name: 'Action' }).click();
        await page.getByRole('option', { name: label, exact: true }).click();
        await until(() => decodeURIComponent(page.url())).toContain(`"action":"${action}"`);
        const mine = page.locator('tbody tr').filter({ hasText: op.email });
        await until(() => mine.count(), 30_000).toBe(1);
        expect(await mine.textContent()).toContain(`auth ${op.id}`);
        expect(await page.locator('tbody').textContent()).not.toContain(wrong);
      }
    } finally {
      await page.close();
    }
  });
});
