import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../../server/test/support/engines';
import { createOperator, Session, type OperatorCredentials } from '../../server/test/support/operators';
import { bootTestServer, type TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const codeFor = (secret: string, stepsAhead = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('operator identity in the console (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: OperatorCredentials;
  let secret = '';
  let recoveryCodes: string[] = [];


  async function password(p: Page, who: OperatorCredentials) {
    await p.goto(`${server.url}/#/login`);
    await p.getByLabel('Email').fill(who.email);
    await p.getByRole('textbox', { name: 'Password' }).fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    server = await bootTestServer(engines[engines.length - 1]!, { console: true, config: { requireMfaFor: 'admin' } });
    admin = await createOperator(server, 'admin');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an admin sets up an authenticator at first sign-in, keeps the recovery codes, and reaches the console', async () => {
    const page = await browser.context.newPage();
    await password(page, admin);
    await until(() => page.getByTestId('totp-secret').isVisible()).toBe(true);
    secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await until(() => page.getByText('Wrong or already used code').isVisible()).toBe(true);
    await page.getByLabel('Authentication code').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await until(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
    recoveryCodes = (await page.getByTestId('recovery-codes').textContent())!.trim().split('\n');
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);
    await page.close();
  });

  test('signing in again asks for the code after the password', async () => {
    const page = await browser.context.newPage();
    await page.context().clearCookies();
    await password(page, admin);
    await until(() => page.getByLabel('Authentication code').isVisible()).toBe(true);
    await page.getByLabel('Authentication code').fill(codeFor(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);
    await page.close();
  });

  test('a support operator writes a note on a user and sees it in the Notes tab', async () => {
    const support = await createOperator(server, 'support');
    const page = await browser.context.newPage();
    await page.context().clearCookies();
    await password(page, support);
    await until(() => page.getByText('support operator').first().isVisible()).toBe(true);
    await page.goto(`${server.url}/#/users/${admin.id}/show/notes`);
    const text = `Asked about invoices ${randomUUID().slice(0, 8)}`;
    await page.getByLabel('New note').fill(text);
    await page.getByRole('button', { name: 'Add note' }).click();
    await until(() => page.getByRole('cell', { name: text }).isVisible()).toBe(true);
    await until(() => page.getByRole('cell', { name: support.email }).isVisible()).toBe(true);
    await page.close();
  });

  test('an admin reverts an edit from the audit log; a second revert is refused because the record changed', async () => {
    const api = new Session(server.url);
    // The API session of an admin with a second factor goes through the second step too.
    const first = await api.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: admin.email, password: admin.password }) });
    const ok = await api.json('/api/auth/mfa/verify', { method: 'POST', body: JSON.stringify({ challenge: first.body.challenge, recovery_code: recoveryCodes[0] }) });
    expect(ok.status).toBe(200);
    api.csrf = ok.body.csrfToken;
    const dp = api.dataProvider();
    const { data: post } = await dp.create('posts', { data: { title: 'Before revert', slug: `r-${randomUUID()}`, content: 'x' } });
    await dp.update('posts', { id: post.id, data: { ...post, title: 'After edit' }, previousData: post });
    const { data: [edit] } = await dp.getList('audit_log', { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'DESC' }, filter: { resource: 'posts', record_id: String(post.id) } });

    const page = await browser.context.newPage();
    await page.context().clearCookies();
    await password(page, admin);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await until(() => page.getByText('admin operator').first().isVisible()).toBe(true);
    await page.goto(`${server.url}/#/audit_log/${edit!.id}/show`);
    await until(() => page.getByRole('button', { name: 'Revert this change' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Revert this change' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await until(() => page.getByText('Change reverted').first().isVisible()).toBe(true);
    await until(async () => (await dp.getOne('posts', { id: post.id })).data.title).toBe('Before revert');

    await page.getByRole('button', { name: 'Revert this change' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await until(() => page.getByText(/changed again/).first().isVisible()).toBe(true);
    expect((await dp.getOne('posts', { id: post.id })).data.title).toBe('Before revert');
    await page.close();
  });
});
