import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createOperator, Session, type OperatorCredentials } from '../../../server/test/support/operators';
import type { TestServer } from '../../../server/test/support/testServer';
import { launchBrowser, type Browser } from './browser';
import { bootConsoleServer } from './consoleServer';

/** Polls until the value matches: the page and the server settle at their own pace. */
export const until = <T>(fn: () => T | Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

// The screenshots are for a person to look at; test-results/ is ignored by git.
export const SHOTS = 'test-results';

/**
 * Signs the browser in by the API and hands it the session cookies, so a test starts on the page it
 * is about (signing in through the form is console.test.ts's subject).
 */
export async function signInContext(context: BrowserContext, server: TestServer, who: OperatorCredentials): Promise<Session> {
  const session = new Session(server.url);
  const res = await session.login(who.email, who.password);
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  const cookies = session.cookie.split('; ').map((pair) => {
    const [name, value] = pair.split('=') as [string, string];
    return { name, value, url: server.url };
  });
  await context.addCookies(cookies);
  return session;
}

export interface ConsoleSuite {
  server: TestServer;
  browser: Browser;
  page: Page;
  /** The admin's HTTP session (the browser holds the same cookies). */
  api: Session;
}

/**
 * One server with demo data, one Chromium signed in as an admin, and a page, for a describe block;
 * closed after it. Read the fields inside tests (they are set in beforeAll).
 */
export function consoleSuite(): ConsoleSuite {
  const suite = {} as ConsoleSuite;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    suite.server = await bootConsoleServer();
    suite.browser = await launchBrowser();
    suite.api = await signInContext(suite.browser.context, suite.server, await createOperator(suite.server, 'admin'));
    suite.page = await suite.browser.context.newPage();
    // Booting PGlite with the demo data (and building the console when stale) is slow on a busy CI box.
  }, 300_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/** A member account made through the API, as an operator would. */
export async function newMember(api: Session) {
  const { body } = await api.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `member-${randomUUID()}@example.com`, name: 'Test member' }) });
  return body as { id: number; email: string };
}
