import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { orders, users } from '../../server/src/db/schema';
import { createOperator, Session, type OperatorCredentials } from '../../server/test/support/operators';
import type { TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';
import { bootConsoleServer } from './support/consoleServer';

/** Polls until the value matches: the page and the server settle at their own pace. */
const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

// The screenshots are for a person to look at; test-results/ is ignored by git.
const SHOTS = 'test-results';

describe.skipIf(!!missing)('the operator console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let api: Session;
  let admin: OperatorCredentials;

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);
  const notification = (text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });
  const confirmDialog = () => page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();

  async function signIn(p: Page, who: OperatorCredentials) {
    await p.goto(`${server.url}/#/login`);
    await p.getByLabel('Email').fill(who.email);
    await p.getByRole('textbox', { name: 'Password' }).fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await until(() => p.getByText(who.role === 'admin' ? 'admin operator' : 'support operator').first().isVisible()).toBe(true);
  }

  async function newMember() {
    const { body } = await api.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `member-${randomUUID()}@example.com`, name: 'Test member' }) });
    return body as { id: number; email: string };
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await bootConsoleServer();
    admin = await createOperator(server, 'admin');
    api = new Session(server.url);
    await api.login(admin.email, admin.password);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an admin signs in and the dashboard charts render', async () => {
    await page.goto(`${server.url}/`);
    await until(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await signIn(page, admin);
    const charts = page.getByTestId('chart');
    await until(() => charts.count()).toBe(4);
    // recharts draws a chart's grid and series only once it knows its size.
    await until(() => page.locator('[data-testid=chart] .recharts-cartesian-grid').count()).toBe(4);
    await until(() => page.locator('[data-testid=chart] path.recharts-curve, [data-testid=chart] .recharts-bar-rectangle').count()).toBeGreaterThan(4);
    await until(() => page.getByTestId('today-tiles').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });
  });

  test('users can be searched by email and opened', async () => {
    const member = await newMember();
    await go('/users');
    await page.getByPlaceholder('Search', { exact: true }).or(page.getByLabel('Search', { exact: true })).first().fill(member.email);
    const row = page.getByRole('row').filter({ hasText: member.email });
    await until(() => page.locator('tbody tr').count()).toBe(1);
    await row.click();
    await until(() => page.getByRole('tab', { name: 'Profile' }).isVisible()).toBe(true);
    await until(() => page.getByText(member.email).first().isVisible()).toBe(true);
  });

  test('granting credits changes the balance and the ledger', async () => {
    const member = await newMember();
    await go(`/users/${member.id}/show/credits`);
    const balance = page.getByTestId('credit-balance');
    const before = Number((await api.json(`/api/credits?filter=${encodeURIComponent(JSON.stringify({ user_id: member.id }))}`)).body[0]?.left_credits ?? 0);
    await page.getByRole('button', { name: 'Credits', exact: true }).click();
    await page.getByLabel('Amount').fill('25');
    await page.getByLabel('Reason').fill('Browser test goodwill');
    await confirmDialog();
    await until(() => notification('Credits updated').isVisible()).toBe(true);
    await until(() => balance.textContent()).toBe(String(before + 25));
    await until(() => page.getByRole('row').filter({ hasText: 'Browser test goodwill' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/user-page.png`, fullPage: true });
  });

  test('a user is banned with a reason, then unbanned', async () => {
    const member = await newMember();
    await go(`/users/${member.id}/show`);
    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    await page.getByLabel('Reason').fill('Chargeback fraud');
    await confirmDialog();
    await until(() => notification('User banned').isVisible()).toBe(true);
    await until(() => page.getByText('Chargeback fraud').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Unban', exact: true }).click();
    await confirmDialog();
    await until(() => notification('User unbanned').isVisible()).toBe(true);
    await until(() => page.getByRole('button', { name: 'Ban', exact: true }).isVisible()).toBe(true);
    expect((await api.json(`/api/users/${member.id}`)).body.banned).toBe(false);
  });

  test('a paid order is refunded from its page', async () => {
    const member = await newMember();
    const [order] = await server.ctx.database.db
      .insert(orders)
      .values({ orderNo: `T-${randomUUID()}`, userId: member.id, productId: 'starter', productName: 'Starter pack', amount: 900, status: 'paid', credits: 100, paidAt: new Date() })
      .returning({ id: orders.id });
    // The purchase's credits, so the refund has them to take back.
    await api.json(`/api/users/${member.id}/credits`, { method: 'POST', body: JSON.stringify({ amount: 100, reason: 'Order paid' }) });
    await go(`/orders/${order!.id}/show`);
    await page.getByRole('button', { name: 'Refund' }).click();
    await page.getByLabel('Reason').fill('Asked within 14 days');
    await confirmDialog();
    await until(() => notification(/Order T-.* refunded/).isVisible()).toBe(true);
    await until(() => page.getByText('refunded', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0);
  });

  test('a new provider key, from the provider dropdown, never comes back to the page or its network responses; saving returns to the record', async () => {
    const secret = `sk-live-${randomBytes(18).toString('hex')}`;
    const bodies: Promise<string>[] = [];
    const record = (res: import('playwright-core').Response) => {
      bodies.push(res.text().catch(() => ''));
    };
    page.on('response', record);
    try {
      await go('/ai_provider_keys/create');
      // A dropdown of the known providers; a typed name only behind "other" (providers are unique, the demo has the known ones).
      await page.getByRole('combobox', { name: 'Provider' }).click();
      expect(await page.getByRole('option').allTextContents()).toEqual(['openai', 'replicate', 'fal', 'anthropic', 'other…']);
      await page.getByRole('option', { name: 'other…' }).click();
      const provider = `browser-${randomBytes(3).toString('hex')}`;
      await page.getByLabel('Provider name').fill(` ${provider.toUpperCase()} `);
      await page.getByLabel('Label').fill('Browser test key');
      await page.getByRole('textbox', { name: 'API key' }).fill(secret);
      await page.getByRole('button', { name: 'Save' }).click();
      await until(() => page.getByText(`•••• ${secret.slice(-4)}`).isVisible()).toBe(true);
      expect(await page.getByText(provider, { exact: true }).isVisible()).toBe(true);
      expect(await page.content()).not.toContain(secret);
      const showUrl = page.url();
      expect(showUrl).toMatch(/#\/ai_provider_keys\/\d+\/show$/);
      await page.getByRole('link', { name: 'Edit' }).click();
      await until(() => page.getByLabel('Label').inputValue()).toBe('Browser test key');
      expect(await page.content()).not.toContain(secret);
      for (const input of await page.locator('input, textarea').all()) expect(await input.inputValue()).not.toContain(secret);
      // After a save the operator lands on the record they saved, not back on the list.
      await page.getByLabel('Label').fill('Browser test key, renamed');
      await page.getByRole('button', { name: 'Save' }).click();
      await until(() => page.url()).toBe(showUrl);
      await until(() => page.getByText('Browser test key, renamed').isVisible()).toBe(true);
      const texts = await Promise.all(bodies);
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).not.toContain(secret);
    } finally {
      page.off('response', record);
    }
  });

  test('a new API key is shown once and Copy says it reached the clipboard', async () => {
    const member = await newMember();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await go('/api_keys/create');
    await page.getByLabel('Name').fill('Copied key');
    await page.getByRole('combobox', { name: 'User' }).fill(member.email);
    await page.getByRole('option', { name: member.email }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    const key = page.getByTestId('new-api-key');
    await until(() => key.inputValue()).not.toBe('');
    await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
    // The dialog keeps the page behind it hidden from assistive tech, so the notice is found by its text.
    await until(() => page.getByText('API key copied to the clipboard').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').getByRole('button', { name: 'Copied' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.inputValue());
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await until(() => page.url()).toMatch(/#\/api_keys\/\d+\/show$/);
  });

  test('a server validation error appears under its input', async () => {
    const member = await newMember();
    await go(`/users/${member.id}`);
    const email = page.getByLabel('Email');
    await until(() => email.inputValue()).toBe(member.email);
    // Valid for the browser, refused by the database's unique index.
    await email.fill(admin.email);
    await page.getByRole('button', { name: 'Save' }).click();
    await until(() => page.locator('.MuiFormHelperText-root.Mui-error').filter({ hasText: 'Already exists' }).isVisible()).toBe(true);
    expect((await api.json(`/api/users/${member.id}`)).body.email).toBe(member.email);
  });

  test('the last admin demoting themselves from their own edit form is refused under the Role input', async () => {
    const db = server.ctx.database.db;
    const me = Number((await api.json('/api/auth/me')).body.id);
    // The demo's admin steps aside for this test, so this operator is the console's only admin.
    const others = await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), ne(users.id, me)));
    await db.update(users).set({ role: 'support' }).where(inArray(users.id, [0, ...others.map((o) => o.id)]));
    try {
      await go(`/users/${me}`);
      await until(() => page.getByLabel('Email').inputValue()).toBe(admin.email);
      await page.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'support', exact: true }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      const refusal = page.locator('.MuiFormHelperText-root.Mui-error').filter({ hasText: /your own role|nobody with the admin role/ });
      await until(() => refusal.isVisible()).toBe(true);
      // Still on the form, still an admin, still signed in.
      expect(page.url()).toContain(`#/users/${me}`);
      const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, me));
      expect(row?.role).toBe('admin');
      expect((await api.json('/api/auth/me')).status).toBe(200);
    } finally {
      await db.update(users).set({ role: 'admin' }).where(inArray(users.id, [0, ...others.map((o) => o.id)]));
    }
  });

  test('editing the same record in two pages: the second save gets a conflict and a reload', async () => {
    const member = await newMember();
    const other = await browser.context.newPage();
    try {
      for (const p of [page, other]) {
        await p.goto(`${server.url}/#/users/${member.id}`);
        await until(() => p.getByLabel('Name', { exact: true }).inputValue()).toBe('Test member');
      }
      await page.getByLabel('Name', { exact: true }).fill('Saved first');
      await page.getByRole('button', { name: 'Save' }).click();
      await until(() => page.getByRole('alert').filter({ hasText: /updated/i }).isVisible()).toBe(true);

      await other.getByLabel('Name', { exact: true }).fill('Saved second');
      await other.getByRole('button', { name: 'Save' }).click();
      const conflict = other.getByRole('alert').filter({ hasText: /changed by someone else/i });
      await until(() => conflict.isVisible()).toBe(true);
      await conflict.getByRole('button', { name: 'Reload' }).click();
      await until(() => other.getByLabel('Name', { exact: true }).inputValue()).toBe('Saved first');
    } finally {
      await other.close();
    }
  });

  test('support sees the records but no edit, create or admin-only buttons, and no selection checkboxes', async () => {
    const support = await createOperator(server, 'support');
    const member = await newMember();
    await browser.context.clearCookies();
    // A new document: the admin's tab keeps its identity in memory until it reloads.
    await page.close();
    page = await browser.context.newPage();
    await signIn(page, support);
    await go(`/users/${member.id}/show`);
    // Ban is support's one write: once it shows, the role checks have answered.
    await until(() => page.getByRole('button', { name: 'Ban', exact: true }).isVisible()).toBe(true);
    for (const name of ['Edit', 'Credits', 'Award badge', 'Delete']) {
      expect(await page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).count(), name).toBe(0);
    }
    await go('/users');
    await until(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Create' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    // No bulk action is support's to take, so no list offers a selection: not even generations, where admins mark many failed.
    for (const [list, column] of [['/users', 'Email'], ['/generations', 'Model'], ['/affiliates', 'Customer email']] as const) {
      await go(list);
      // This list's own table, not the previous list's rows still on screen.
      await until(() => page.locator('thead th').filter({ hasText: new RegExp(`^${column}$`) }).count()).toBe(1);
      await until(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('table input[type=checkbox]').count(), list).toBe(0);
    }
  });

  test("a demo workspace's project opens with its restyled images and the videos made from them", async () => {
    await browser.context.clearCookies();
    await page.close();
    page = await browser.context.newPage();
    await signIn(page, await createOperator(server, 'support'));
    const { body: anyVideo } = await api.json<{ project_id: number }[]>('/api/project_videos?range=[0,0]');
    const { body: project } = await api.json<{ id: number; name: string }>(`/api/projects/${anyVideo[0]!.project_id}`);
    const { body: videos } = await api.json<unknown[]>(`/api/project_videos?filter=${encodeURIComponent(JSON.stringify({ project_id: project.id }))}`);
    await go(`/projects/${project.id}/show`);
    await until(() => page.getByText(project.name).first().isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Images' }).click();
    await until(() => page.getByText(/projects\/\d+\/\d+\.jpg/).first().isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Videos' }).click();
    await until(() => page.locator('tbody tr').count()).toBe(videos.length);
  });
});
