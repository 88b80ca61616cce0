import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SSO_ERRORS } from '../../contract';
import { users } from '../../server/src/db/schema';
import { engines } from '../../server/test/support/engines';
import { signInConfigFor, startTestIdp, type TestIdp } from '../../server/test/support/oidcProvider';
import { bootTestServer, type TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('single sign-on in the console against a loopback OpenID provider (Chromium)', () => {
  let idp: TestIdp;
  let server: TestServer;
  let browser: Browser;
  let seq = 0;
  const callbacks: string[] = [];

  beforeAll(async () => {
    idp = await startTestIdp();
    const signIn = signInConfigFor(idp, {
      OIDC_PROVIDER_NAME: 'Loopback IdP',
      OIDC_ALLOWED_DOMAINS: 'corp.test',
      OIDC_ROLE_MAP: 'ops-admins=admin,ops-support=support',
      OIDC_SCOPES: 'openid email profile groups',
    });
    server = await bootTestServer(engines[engines.length - 1]!, { console: true, config: signIn });
    idp.allowRedirect(`${server.url}/api/auth/sso/callback`);
    browser = await launchBrowser();
    browser.context.on('request', (r) => {
      if (r.url().startsWith(`${server.url}/api/auth/sso/callback`)) callbacks.push(r.url());
    });
    // The console is rebuilt when its sources changed, which on a shared machine takes minutes.
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  /** A person at the provider; returns their login name and email. */
  function person(groups: string[], email?: string) {
    const login = `person-${++seq}`;
    const account = { email: email ?? `${login}@corp.test`, name: `SSO Person ${seq}`, groups };
    idp.accounts.set(login, account);
    return { login, ...account };
  }

  /** From the console's login page through the provider's own sign-in and consent pages. */
  async function signIn(page: Page, login: string) {
    await page.context().clearCookies();
    await page.goto(`${server.url}/#/login`);
    await page.getByRole('link', { name: 'Sign in with Loopback IdP' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  const roleOf = async (email: string) => (await server.ctx.database.db.select({ role: users.role }).from(users).where(eq(users.email, email)))[0]?.role;

  test('the login page offers the provider beside the password form; signing in there lands in the console as the mapped role', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/#/login`);
    await until(() => page.getByRole('link', { name: 'Sign in with Loopback IdP' }).isVisible()).toBe(true);
    await expect(page.getByRole('textbox', { name: 'Password' }).isVisible()).resolves.toBe(true);

    const who = person(['ops-admins']);
    await signIn(page, who.login);
    await until(() => page.getByText(who.name).first().isVisible()).toBe(true);
    expect(await roleOf(who.email)).toBe('admin');

    // Moved to the support group at the provider: the next sign-in makes them support.
    idp.accounts.get(who.login)!.groups = ['ops-support'];
    await signIn(page, who.login);
    await until(() => page.getByText(who.name).first().isVisible()).toBe(true);
    expect(await roleOf(who.email)).toBe('support');
    expect(await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).role)).toBe('support');
    await page.close();
  });

  test('a used callback opened again shows the login page with the used-link message, and no session', async () => {
    const page = await browser.context.newPage();
    const replayed = callbacks.at(-1)!;
    expect(replayed).toContain('state=');
    await page.context().clearCookies();
    await page.goto(replayed);
    await until(() => page.getByRole('alert').textContent()).toContain(SSO_ERRORS.state);
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    await page.close();
  });

  const refusals: [string, () => string, SsoCase][] = [];
  type SsoCase = { tamper?: TestIdp['tamper']; message: string };
  refusals.push(
    ['a person outside the allowed domains', () => person(['ops-admins'], `outsider-${seq}@elsewhere.test`).login, { message: SSO_ERRORS.domain }],
    ['a person in no mapped group', () => person(['staff']).login, { message: SSO_ERRORS.no_role }],
    ['an ID token for another audience', () => person(['ops-admins']).login, { tamper: (c) => ({ ...c, aud: 'another-client' }), message: SSO_ERRORS.rejected }],
    ['an expired ID token', () => person(['ops-admins']).login, { tamper: (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), message: SSO_ERRORS.rejected }],
  );
  for (const [what, make, { tamper, message }] of refusals) {
    test(`${what} is sent back to the login page with the reason, and gets no session`, async () => {
      const page = await browser.context.newPage();
      const login = make();
      idp.tamper = tamper;
      try {
        await signIn(page, login);
        await until(() => page.getByRole('alert').textContent()).toContain(message);
      } finally {
        idp.tamper = undefined;
      }
      expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
      expect(await roleOf(idp.accounts.get(login)!.email)).toBeUndefined();
      await page.close();
    });
  }
});
