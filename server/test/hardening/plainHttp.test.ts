import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAttempts } from '../../src/db/schema';
import { chromiumMissing, chromiumPath, launchBrowser, type Browser } from '../../../admin/test/support/browser';
import { sessions } from '../../src/db/schema';
import { engines } from '../support/engines';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns';
import { createOperator } from '../support/operators';
import { bootTestServer, type TestServer } from '../support/testServer';
import { reportFigures } from './support';

/**
 * The console reached over plain HTTP at a non-loopback address, the way a server on a private
 * network is: the client (curl, Chromium) runs in a network namespace of its own, joined to this
 * one by a veth pair, and the server listens only on our end of it.
 */
// Booting with the console may build it first: minutes on a busy machine.
vi.setConfig({ hookTimeout: 900_000 });
const noNetns = netnsUnavailable();
const noChromium = chromiumMissing();
if (noNetns) console.warn(`plain HTTP at a non-loopback address: skipped, ${noNetns}`);

describe.skipIf(!!noNetns)(`plain HTTP at a non-loopback address, NODE_ENV=production [${engines[0]!.name}]`, () => {
  let ns: Netns;
  let server: TestServer;

  /** curl inside the namespace: status, headers and body. */
  const curl = async (path: string, args: string[] = []) => {
    const out = await ns.exec('curl', ['-s', '-i', '--max-time', '30', ...args, `${server.url}${path}`]);
    const [head, ...rest] = out.split(/\r?\n\r?\n/);
    return { status: Number(/^HTTP\/[\d.]+ (\d+)/.exec(head!)?.[1]), headers: head!.toLowerCase(), body: rest.join('\n\n') };
  };
  const login = (email: string, password: string, forwardedFor: string) =>
    curl('/api/auth/login', ['-X', 'POST', '-H', 'content-type: application/json', '-H', `x-forwarded-for: ${forwardedFor}`, '-H', 'x-forwarded-proto: https', '--data', JSON.stringify({ email, password })]);

  beforeAll(async () => {
    ns = createNetns();
    server = await bootTestServer(engines[0]!, { console: !noChromium, config: { production: true, host: ns.hostAddress } });
    // The console may need building first, which takes minutes on a busy machine.
  }, 900_000);
  afterAll(async () => {
    await server?.close();
    ns?.close();
  });

  it('a plain-HTTP request from outside loopback is refused with a page that says why; health checks still answer', async () => {
    server.ctx.config.allowInsecureHttp = false;
    const page = await curl('/');
    expect(page.status).toBe(403);
    expect(page.body).toMatch(/opsroom needs HTTPS/);
    expect(page.body).toMatch(/ALLOW_INSECURE_HTTP=1/);
    const api = await curl('/api/auth/me');
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body).message).toMatch(/HTTPS/);
    expect((await curl('/healthz')).status).toBe(200);
  });

  it('X-Forwarded-For and X-Forwarded-Proto from an untrusted private address are ignored', async () => {
    server.ctx.config.allowInsecureHttp = true;
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login(`nobody-${i}@example.com`, 'wrong-password', `198.51.100.${i + 1}`)).status);
    // Every guess counts against the real address, whatever the header claims.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    reportFigures('plain HTTP, forged X-Forwarded-For from a private address', { guesses: statuses.length, refused: statuses.filter((s) => s === 429).length });

    // A "fresh" forged address changes nothing: the namespace's own address is over its limit.
    const admin = await createOperator(server, 'admin');
    const again = await login(admin.email, admin.password, '203.0.113.9');
    expect(again.status).toBe(429);
    expect(await server.ctx.database.db.select({ ip: sessions.ip }).from(sessions).where(eq(sessions.userId, admin.id))).toEqual([]);
    // The forged proto did not make this HTTPS.
    expect(again.headers).not.toMatch(/strict-transport-security/);
    expect((await curl('/api/auth/me', ['-H', 'x-forwarded-proto: https'])).headers).not.toMatch(/strict-transport-security/);
  });

  it.skipIf(!!noChromium)('with ALLOW_INSECURE_HTTP=1 the console loads and signs in over plain HTTP in Chromium', async () => {
    server.ctx.config.allowInsecureHttp = true;
    // The test before this one spent this address's sign-in allowance on purpose; start afresh.
    await server.ctx.database.db.delete(loginAttempts);
    const admin = await createOperator(server, 'admin');
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser({ executablePath: ns.wrap(chromiumPath) });
      const page = await browser.context.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      const res = await page.goto(`${server.url}/#/login`);
      expect(res!.status()).toBe(200);
      const headers = await res!.allHeaders();
      expect(headers['strict-transport-security']).toBeUndefined();
      expect(headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
      await page.getByLabel('Email').fill(admin.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByText('admin operator').first().isVisible(), { timeout: 30_000 }).toBe(true);
      const cookies = await browser.context.cookies();
      expect(cookies.find((c) => c.name === 'opsroom_session')?.secure).toBe(false);
      expect(failed.filter((u) => u.startsWith('https:'))).toEqual([]);

      // Refused again, the same browser gets the page that says why instead of a blank console.
      server.ctx.config.allowInsecureHttp = false;
      const refused = await page.goto(`${server.url}/?refused`);
      expect(refused!.status()).toBe(403);
      await expect.poll(() => page.getByText('opsroom needs HTTPS').isVisible(), { timeout: 30_000 }).toBe(true);
    } finally {
      await browser?.close();
    }
  }, 300_000);
});
