import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeAdoptedSystem } from '../../server/test/adopt/harness';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('the console on an adopted database in Chromium', () => {
  describeAdoptedSystem(
    'Chameleon adopted',
    '001_chameleon.sql',
    (system) => {
      let browser: Browser;
      let page: Page;
      beforeAll(async () => {
        browser = await launchBrowser();
        page = await browser.context.newPage();
      });
      afterAll(async () => {
        await browser?.close();
      });

      test('an operator signs in, lists users, opens one and edits it', async () => {
        const s = system();
        await page.goto(`${s.server.url}/#/login`);
        await page.getByLabel('Email').fill('ops@adopted.test');
        await page.getByRole('textbox', { name: 'Password' }).fill('adopted-operator-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        // The menu is built from /api/_meta: the app's own tables, by their labels.
        await until(() => page.getByRole('menuitem', { name: 'Credits trans' }).isVisible()).toBe(true);

        await page.goto(`${s.server.url}/#/users`);
        await until(() => page.getByText('user1@chameleon.test', { exact: true }).isVisible()).toBe(true);
        await page.getByText('user1@chameleon.test', { exact: true }).click();
        await until(() => page.url()).toMatch(/#\/users\/1\/show$/);
        await until(() => page.getByText('INV1', { exact: true }).isVisible()).toBe(true);

        await page.getByRole('link', { name: 'Edit' }).click();
        const nickname = page.getByLabel('nickname');
        await until(() => nickname.inputValue()).toBe('User 1');
        await nickname.fill('Edited in the browser');
        await page.getByRole('button', { name: 'Save' }).click();
        await until(async () => (await s.query<{ nickname: string }>(sql`select nickname from users where id = 1`))[0]?.nickname).toBe('Edited in the browser');
        // The row changes before the browser has the answer: leaving before the save's redirect to the
        // record lets that redirect land on the next page and take its form away.
        await until(() => page.url()).toMatch(/#\/users\/1\/show$/);

        // Someone else writes the row: saving the form that is still open is refused, nothing lost.
        await page.goto(`${s.server.url}/#/users/2`);
        await until(() => page.getByLabel('nickname').inputValue()).toBe('User 2');
        await s.query(sql`update users set nickname = 'Written by the app' where id = 2`);
        await page.getByLabel('nickname').fill('Stale edit');
        await page.getByRole('button', { name: 'Save' }).click();
        await until(() => page.getByRole('alert').filter({ hasText: 'changed by someone else' }).isVisible()).toBe(true);
        expect((await s.query<{ nickname: string }>(sql`select nickname from users where id = 2`))[0]?.nickname).toBe('Written by the app');
      });
    },
    { console: true, oneEngine: true },
  );
});
