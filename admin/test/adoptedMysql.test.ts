import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adoptedMysql, MYSQL_OPERATOR, type AdoptedMysql } from '../../server/test/support/mysqlAdopted';
import { MYSQL_SKIP_REASON, TEST_MYSQL_URL } from '../../server/test/support/mysql';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing || !TEST_MYSQL_URL)(`the console on an adopted MariaDB database in Chromium${MYSQL_SKIP_REASON}`, () => {
  let adopted: AdoptedMysql | undefined;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    adopted = await adoptedMysql({ console: true });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await adopted?.close();
  });

  test('an operator signs in, opens a user and edits it; a stale form is refused', async () => {
    const { server, db } = adopted!;
    const nickname = async (id: number) => (await db.query<{ nickname: string }>('select nickname from users where id = ?', [id]))[0]?.nickname;
    await page.goto(`${server.url}/#/login`);
    await page.getByLabel('Email').fill(MYSQL_OPERATOR.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(MYSQL_OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until(() => page.getByRole('menuitem', { name: 'Credits trans' }).isVisible()).toBe(true);

    await page.goto(`${server.url}/#/users`);
    await until(() => page.getByText('user1@chameleon.test', { exact: true }).isVisible()).toBe(true);
    await page.getByText('user1@chameleon.test', { exact: true }).click();
    await until(() => page.url()).toMatch(/#\/users\/1\/show$/);
    await page.getByRole('link', { name: 'Edit' }).click();
    const field = page.getByLabel('nickname');
    await until(() => field.inputValue()).toBe('User 1');
    await field.fill('Edited on MariaDB ✓');
    await page.getByRole('button', { name: 'Save' }).click();
    await until(() => nickname(1)).toBe('Edited on MariaDB ✓');
    // The row changes before the browser has the answer: leaving before the save's redirect to the
    // record lets that redirect land on the next page and take its form away.
    await until(() => page.url()).toMatch(/#\/users\/1\/show$/);

    // The app writes the row behind the open form: saving it is refused, the app's write kept.
    await page.goto(`${server.url}/#/users/2`);
    await until(() => page.getByLabel('nickname').inputValue()).toBe('User 2');
    await db.query(`update users set nickname = 'Written by the app' where id = 2`);
    await page.getByLabel('nickname').fill('Stale edit');
    await page.getByRole('button', { name: 'Save' }).click();
    await until(() => page.getByRole('alert').filter({ hasText: 'changed by someone else' }).isVisible()).toBe(true);
    expect(await nickname(2)).toBe('Written by the app');
  }, 120_000);
});
