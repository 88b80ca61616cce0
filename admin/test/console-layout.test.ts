import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOperator } from '../../server/test/support/operators';
import type { TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';
import { bootConsoleServer } from './support/consoleServer';
import { SHOTS, signInContext, until } from './support/pages';

const missing = chromiumMissing();
if (missing) console.warn(missing);

const LISTS = ['users', 'orders', 'credit_transactions', 'generations', 'ai_provider_keys', 'api_keys', 'affiliates', 'badges', 'feedbacks', 'posts', 'waitlist', 'organizations', 'audit_log'];
// A list's first rows: table rows on a desktop, SimpleList items on a phone.
const FIRST_ROW = 'tbody tr, .RaList-main .MuiListItemText-root';

describe.skipIf(!!missing)('the console on a phone and a wide screen, and how fast a cold list shows rows', () => {
  let server: TestServer;
  let browser: Browser;
  let userId: number;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await bootConsoleServer();
    browser = await launchBrowser();
    await signInContext(browser.context, server, await createOperator(server, 'admin'));
    const [user] = await server.ctx.database.db.query.users.findMany({ limit: 1, where: (u, { eq }) => eq(u.role, 'member') });
    userId = user!.id;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** How far the page scrolls sideways: 0 when nothing is wider than the window. */
  const overflow = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);

  // Known defect: at 390 px these still push the page sideways (the dashboard by 62 px, the user page by
  // 639 px); the 1440 px run covers them, the phone run does not until they are fixed.
  const PHONE_OVERFLOWS = (id: number) => ['/', `/users/${id}/show`, `/users/${id}/show/timeline`];

  /** The pages among `hashes` that scroll sideways at `width`, once each has settled. */
  async function sidewaysAt(width: number, hashes: string[]): Promise<string[]> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    try {
      const wide: string[] = [];
      for (const hash of hashes) {
        await page.goto(`${server.url}/#${hash}`);
        if (hash === '/') await until(() => page.getByTestId('work-lists').isVisible()).toBe(true);
        else if (hash.includes('/show')) await until(() => page.getByTestId('user-summary').isVisible()).toBe(true);
        else await until(() => page.locator(`${FIRST_ROW}, .RaEmpty-message`).count()).toBeGreaterThan(0);
        // Rows and charts keep arriving after the first one shows: give the layout a moment to settle.
        await page.waitForFunction(() => document.scrollingElement!.scrollWidth <= window.innerWidth, null, { timeout: 5_000 }).catch(() => {});
        const by = await overflow(page);
        if (by > 0) wide.push(`${hash} by ${by}px`);
        if (width === 390 && hash === '/users') await page.screenshot({ path: `${SHOTS}/users-390.png`, fullPage: true });
      }
      return wide;
    } finally {
      await page.close();
    }
  }

  test('at 390 px no list of the main resources scrolls sideways', async () => {
    expect(await sidewaysAt(390, LISTS.map((r) => `/${r}`))).toEqual([]);
  });

  test('at 1440 px no page of the main resources scrolls sideways', async () => {
    expect(await sidewaysAt(1440, [...LISTS.map((r) => `/${r}`), ...PHONE_OVERFLOWS(userId)])).toEqual([]);
  });

  // Runs and is expected to fail until the phone layout of these pages is fixed; when it starts
  // passing, vitest reports it, and `.fails` comes off.
  test.fails('known defect: at 390 px the dashboard and the user page still scroll sideways', async () => {
    expect(await sidewaysAt(390, PHONE_OVERFLOWS(userId))).toEqual([]);
  });

  test('cold navigation: first rows of a list, from a fresh document (figures printed)', async () => {
    const figures: Record<string, number> = {};
    for (const resource of ['users', 'orders', 'generations', 'credit_transactions', 'audit_log']) {
      const page = await browser.context.newPage();
      try {
        const started = Date.now();
        await page.goto(`${server.url}/#/${resource}`);
        await page.locator(FIRST_ROW).first().waitFor({ timeout: 20_000 });
        figures[resource] = Date.now() - started;
      } finally {
        await page.close();
      }
    }
    console.log(`cold navigation → first rows (ms): ${JSON.stringify(figures)}; goal ≤ 1000 on an idle machine`);
    // A regression guard, not the goal: a shared CI box is far noisier than the 1 s the issue asks for.
    for (const ms of Object.values(figures)) expect(ms).toBeLessThan(10_000);
  });
});
