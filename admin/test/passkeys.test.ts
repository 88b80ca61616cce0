import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../../server/src/db/client';
import { engines } from '../../server/test/support/engines';
import { createOperator, type OperatorCredentials } from '../../server/test/support/operators';
import { bootTestServer, type TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('passkeys in the console (Chromium virtual authenticator)', () => {
  let server: TestServer;
  let browser: Browser;
  // An RP id must be a domain name, never an IP address: the console is opened on localhost.
  let origin = '';

  /** A page with its own platform authenticator that verifies the user without asking. */
  async function pageWithAuthenticator(): Promise<Page> {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return page;
  }

  async function password(p: Page, who: OperatorCredentials) {
    // A fresh visit: the previous console's requests still in flight would meet the cleared cookies
    // with 401s and send the new sign-in back to its first step.
    await p.goto('about:blank');
    await p.context().clearCookies();
    await p.goto(`${origin}/#/login`);
    await p.getByLabel('Email').fill(who.email);
    await p.getByRole('textbox', { name: 'Password' }).fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  const counterOf = async (userId: number) =>
    (await queryRows<{ counter: number }>(server.ctx.database.db, sql`select counter::int as counter from operator_passkeys where user_id = ${userId}`)).map((r) => r.counter);

  beforeAll(async () => {
    server = await bootTestServer(engines[engines.length - 1]!, { console: true, config: { requireMfaFor: 'admin' } });
    origin = server.url.replace(/\/\/[^:/]+/, '//localhost');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an admin enrols a passkey at first sign-in, then signs in with it as the second factor', async () => {
    const admin = await createOperator(server, 'admin');
    const page = await pageWithAuthenticator();
    await password(page, admin);
    await until(() => page.getByRole('button', { name: 'Use a passkey instead' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await until(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
    expect((await page.getByTestId('recovery-codes').textContent())!.trim().split('\n')).toHaveLength(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);
    const [enrolled] = await counterOf(admin.id);

    await password(page, admin);
    await until(() => page.getByRole('button', { name: 'Use a passkey' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);
    // The authenticator's signature counter moved forward and was recorded.
    expect((await counterOf(admin.id))[0]).toBeGreaterThan(enrolled!);
    await page.close();
  });

  test('a support operator adds a passkey from the user menu, is asked for it at the next sign-in, and removes it', async () => {
    const support = await createOperator(server, 'support');
    const page = await pageWithAuthenticator();
    await password(page, support);
    await until(() => page.getByText('support operator').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign-in security' }).click();
    await until(() => page.getByText('No passkeys yet.').isVisible()).toBe(true);
    await page.getByLabel('Passkey name').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await until(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
    await until(() => page.getByText('Work laptop').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Close' }).click();

    await password(page, support);
    await until(() => page.getByRole('button', { name: 'Use a passkey' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await until(() => page.getByText('support operator').first().isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign-in security' }).click();
    await page.getByRole('button', { name: 'Remove passkey Work laptop' }).click();
    await until(() => page.getByText('No passkeys yet.').isVisible()).toBe(true);
    expect(await counterOf(support.id)).toEqual([]);
    await page.close();
  });
});
