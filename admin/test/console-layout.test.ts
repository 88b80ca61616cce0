import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOperator } from '../../server/test/support/operators';
import type { TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';
import { bootConsoleServer } from './support/consoleServer';
import { SHOTS, signInContext, until } from './support/pages';
import { tracedColdLoad } from '../../scripts/bench/consoleSplit';

const missing = chromiumMissing();
if (missing) console.warn(missing);

const LISTS = ['users', 'orders', 'credit_transactions', 'generations', 'ai_provider_keys', 'api_keys', 'affiliates', 'badges', 'feedbacks', 'posts', 'waitlist', 'organizations', 'audit_log'];
// A list's first rows: table rows on a desktop, SimpleList items on a phone.
const FIRST_ROW = 'tbody tr, .RaList-main .MuiListItemText-root';

// React's own devtools hook, which production builds call after every commit: counts the commits, and
// those that left a Suspense boundary (fiber tag 13) showing its fallback. A fallback on a cold load
// means the page's view suspended, and React then holds its content back until 300 ms after the
// fallback appeared.
const COUNT_SUSPENSE_FALLBACKS = `
  window.reactCommits = 0;
  window.suspenseFallbacks = 0;
  const showsFallback = (start) => {
    const stack = [start];
    while (stack.length) {
      const fiber = stack.pop();
      if (fiber.tag === 13 && fiber.memoizedState !== null) return true;
      if (fiber.sibling) stack.push(fiber.sibling);
      if (fiber.child) stack.push(fiber.child);
    }
    return false;
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => {},
    onScheduleFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    onCommitFiberRoot: (_id, root) => {
      window.reactCommits++;
      if (showsFallback(root.current)) window.suspenseFallbacks++;
    },
  };
`;
type Counted = { reactCommits: number; suspenseFallbacks: number };
const suspenseCounts = (page: Page) => page.evaluate(() => ({ commits: (window as unknown as Counted).reactCommits, fallbacks: (window as unknown as Counted).suspenseFallbacks }));

// How fast a cold list shows its first rows is printed here and compared by `npm run bench:console`, never asserted.
describe.skipIf(!!missing)('the console on a phone and a wide screen', () => {
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

  // Beside the lists: the dashboard (charts and work lists) and the user page (summary, tabs, tables).
  const PAGES = (id: number) => ['/', `/users/${id}/show`, `/users/${id}/show/timeline`];

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

  test('at 390 px no page of the main resources scrolls sideways', async () => {
    expect(await sidewaysAt(390, [...LISTS.map((r) => `/${r}`), ...PAGES(userId)])).toEqual([]);
  });

  test('at 1440 px no page of the main resources scrolls sideways', async () => {
    expect(await sidewaysAt(1440, [...LISTS.map((r) => `/${r}`), ...PAGES(userId)])).toEqual([]);
  });

  test('the app bar covers neither the menu nor the page, at 390 px and 1440 px', async () => {
    for (const width of [390, 1440]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      try {
        await page.goto(`${server.url}/#/users`);
        await page.locator(FIRST_ROW).first().waitFor({ timeout: 30_000 });
        const at = await page.evaluate((phone) => ({
          appBarBottom: document.querySelector('header')!.getBoundingClientRect().bottom,
          contentTop: document.querySelector('#main-content')!.getBoundingClientRect().top,
          // On a phone the menu is a closed drawer.
          menuTop: phone ? null : document.querySelector('.RaMenu-open a, .RaMenu-closed a')!.getBoundingClientRect().top,
        }), width === 390);
        expect(at.contentTop, `${width}px: page under the app bar`).toBeGreaterThanOrEqual(at.appBarBottom);
        if (at.menuTop !== null) expect(at.menuTop, `${width}px: menu under the app bar`).toBeGreaterThanOrEqual(at.appBarBottom);
      } finally {
        await page.close();
      }
    }
  });

  test('a cold navigation asks for the first page once, together with the session check, and its view never suspends; the timings are printed', async () => {
    const figures: Record<string, Record<string, number>> = {};
    for (const list of ['users', 'orders', 'generations', 'credit_transactions', 'audit_log']) {
      const page = await browser.context.newPage();
      // What the page sent and received, in the order the browser reported it.
      const events: string[] = [];
      const firstPage = (url: string) => new URL(url).pathname === `/api/${list}` && decodeURIComponent(url).includes('range=[0,24]');
      // The sidebar's counts are one-row pages of the same resource.
      const countQuery = (url: string) => new URL(url).pathname === `/api/${list}` && decodeURIComponent(url).includes('range=[0,0]');
      page.on('request', (r) => (firstPage(r.url()) ? events.push('list asked') : countQuery(r.url()) && events.push('count asked')));
      page.on('response', (r) => new URL(r.url()).pathname === '/api/auth/me' && events.push('session answered'));
      // Whether the filter sidebar was on the page when the first row entered it.
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.querySelector('tbody tr')) return;
          (window as { sidebarWithFirstRow?: boolean }).sidebarWithFirstRow = !!document.querySelector('[data-testid="filter-sidebar"]');
          observer.disconnect();
        }).observe(document, { subtree: true, childList: true });
      });
      await page.addInitScript(COUNT_SUSPENSE_FALLBACKS);
      try {
        await page.goto(`${server.url}/#/${list}`);
        await page.locator('tbody tr').first().waitFor({ timeout: 30_000 });
        const t = await page.evaluate(() => {
          const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const api = (path: string) => entries.find((e) => new URL(e.name).pathname === path && decodeURIComponent(e.name).includes('range=[0,24]'));
          const list = api(location.hash.slice(1).split('?')[0]!.replace(/^\//, '/api/'));
          return { htmlParsed: nav.domInteractive, listAnswered: list?.responseEnd ?? Number.NaN, firstRow: performance.now() };
        });
        figures[list] = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)]));
        // No waterfall: the first page is asked for before the session check has answered, and only once
        // (the list takes the prefetched answer rather than asking again).
        expect(events.filter((e) => e === 'list asked'), list).toHaveLength(1);
        expect(events.indexOf('list asked'), list).toBeLessThan(events.indexOf('session answered'));
        // The list's chunk had arrived before the console mounted (preloadRoute, lazyViews).
        const counts = await suspenseCounts(page);
        expect(counts.commits, list).toBeGreaterThan(0);
        expect(counts.fallbacks, list).toBe(0);
        // The filter sidebar (live search, saved queries, counts) renders after the rows
        // (AfterFirstRows), then arrives, counts included.
        expect(await page.evaluate(() => (window as { sidebarWithFirstRow?: boolean }).sidebarWithFirstRow), list).toBe(false);
        await page.getByTestId('filter-sidebar').waitFor({ timeout: 30_000 });
        if (list === 'users' || list === 'generations') await until(() => events.includes('count asked')).toBe(true);
      } finally {
        await page.close();
      }
    }
    console.log('cold navigation → first rows (ms since navigation start: HTML parsed, list answered, first row shown):', figures);

    // The dashboard's chunk (charts) is preloaded the same way on a cold `#/`.
    const page = await browser.context.newPage();
    await page.addInitScript(COUNT_SUSPENSE_FALLBACKS);
    try {
      await page.goto(`${server.url}/#/`);
      await page.getByTestId('work-lists').waitFor({ timeout: 30_000 });
      const counts = await suspenseCounts(page);
      expect(counts.commits).toBeGreaterThan(0);
      expect(counts.fallbacks).toBe(0);
    } finally {
      await page.close();
    }
  });

  test('the console ships classic scripts, so a later cold load compiles them from V8\'s code cache', async () => {
    // Chromium keeps a script's compiled code from its second load on and uses it from the third;
    // module scripts never get one (admin/build/classicChunks.ts).
    for (let i = 0; i < 3; i++) {
      const warm = await browser.context.newPage();
      await warm.goto(`${server.url}/#/users`);
      await warm.locator('tbody tr').first().waitFor({ timeout: 30_000 });
      await warm.close();
    }
    const load = await tracedColdLoad(browser.context, `${server.url}/#/users`, 'tbody tr');
    console.log(`cold load of #/users: ${load.scripts.fromCodeCache} of ${load.scripts.compiled} scripts compiled from V8's code cache, first row at ${load.moments.firstRow.toFixed(0)} ms`);
    expect(load.scripts.shellFromHttpCache).toBe(true);
    expect(load.scripts.fromCodeCache).toBeGreaterThanOrEqual(load.scripts.compiled / 2);
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.url}/#/users`);
      await page.locator('tbody tr').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('script[type="module"]').count()).toBe(0);
      // A lazy chunk that cannot be fetched fails its import, as a module's would: the page says so
      // instead of staying blank, and the rest of the console keeps working.
      await page.route(/\/assets\/Dashboard-[^/]*\.js$/, (route) => route.abort());
      await page.goto(`${server.url}/#/`);
      await page.getByText(/something went wrong/i).first().waitFor({ timeout: 30_000 });
      await page.goto(`${server.url}/#/orders`);
      await page.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    } finally {
      await page.close();
    }
  });
});
