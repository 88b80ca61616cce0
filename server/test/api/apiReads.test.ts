import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { ApiReadPath } from '../../src/http/apiReads';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { Session, signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

/** The read path the app mounted first, found the way Express holds it. */
function readPathOf(app: ReturnType<typeof createApp>): ApiReadPath {
  const layer = (app as unknown as { router: { stack: { handle: Partial<ApiReadPath> }[] } }).router.stack.find((l) => typeof l.handle.takes === 'function');
  if (!layer) throw new Error('the app mounted no API read path');
  return layer.handle as ApiReadPath;
}

async function listen(app: ReturnType<typeof createApp>) {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

const VARYING = new Set(['date', 'x-request-id', 'keep-alive', 'connection']);

/** Status, headers and body of one answer, with what differs per request (date, request id) taken out. */
async function answer(baseUrl: string, path: string, headers: Record<string, string>) {
  const res = await fetch(baseUrl + path, { headers });
  const id = res.headers.get('x-request-id') ?? '';
  const body = (await res.text()).replaceAll(id, '<request id>');
  return { status: res.status, body, headers: Object.fromEntries([...res.headers].filter(([k]) => !VARYING.has(k))), requestId: id };
}

const get = (path: string) => ({ method: 'GET', url: path, headers: {} });

describeEachEngine('the API read path', (server) => {
  // A second app on the same context with the read path off: every request goes through the
  // routers, so the two can be compared answer for answer. One more with CORS on, for its headers.
  let routers: Awaited<ReturnType<typeof listen>>;
  let corsFast: Awaited<ReturnType<typeof listen>>;
  let corsRouters: Awaited<ReturnType<typeof listen>>;
  const ORIGIN = 'http://console.example';
  beforeAll(async () => {
    routers = await listen(createApp(server().ctx, { fastReads: false }));
    const withCors = { ...server().ctx, config: { ...server().ctx.config, corsOrigin: ORIGIN } };
    corsFast = await listen(createApp(withCors));
    corsRouters = await listen(createApp(withCors, { fastReads: false }));
  });
  afterAll(async () => {
    await routers?.close();
    await corsFast?.close();
    await corsRouters?.close();
  });
  const readPath = () => readPathOf(server().server.listeners('request')[0] as ReturnType<typeof createApp>);

  it("takes a resource's list and getOne, and leaves every path another route answers to the routers", () => {
    const takes = readPath().takes;
    for (const path of ['/api/users', '/api/users/12', '/api/credit_transactions?filter=%7B%22user_id%22%3A3%7D&range=%5B0%2C24%5D', '/api/audit_log/5'])
      expect(takes(get(path)), path).toBe(true);
    for (const path of [
      '/api/users/segments', // the console router's GET, before the resource router
      '/api/users/12/summary',
      '/api/stats',
      '/api/search?q=ada',
      '/api/audit_actions',
      '/api/auth/me',
      '/api/no_such_resource',
      '/api/users/',
      '/api/users/%31',
      '/API/users',
      '/livez',
    ])
      expect(takes(get(path)), path).toBe(false);
    expect(takes({ method: 'HEAD', url: '/api/users', headers: {} })).toBe(false);
    expect(takes({ method: 'POST', url: '/api/users', headers: {} })).toBe(false);
    // A GET with a body goes through the JSON parser and its guard, as before.
    expect(takes({ method: 'GET', url: '/api/users', headers: { 'content-length': '2' } })).toBe(false);
    expect(takes({ method: 'GET', url: '/api/users', headers: { 'transfer-encoding': 'chunked' } })).toBe(false);
  });

  it('answers exactly as the routers do: status, headers and body, errors included', async () => {
    const { session, creds } = await signIn(server(), 'support');
    const cookie = { cookie: session.cookie };
    const cases: [string, Record<string, string>][] = [
      ['/api/users?sort=%5B%22id%22%2C%22ASC%22%5D&range=%5B0%2C9%5D', cookie],
      [`/api/users/${creds.id}`, cookie],
      ['/api/users/2147483000', cookie], // 404
      ['/api/users/abc', cookie], // 400: not an id
      ['/api/users?filter=not-json', cookie], // 400
      ['/api/users?range=%5B0%2C9%5D&filter=%7B%22q%22%3A%22nobody-matches-this%22%7D', cookie], // empty page, total 0
      ['/api/users?range=%5B5000%2C5009%5D&filter=%7B%22role%22%3A%22support%22%7D', cookie], // past the last page
      [`/api/audit_log?filter=%7B%22actor_id%22%3A${creds.id}%7D`, cookie],
      ['/api/users', {}], // 401: no session
      ['/api/users/1', { cookie: 'opsroom_session=forged' }], // 401
    ];
    for (const [path, headers] of cases) {
      const fast = await answer(server().url, path, headers);
      const slow = await answer(routers.url, path, headers);
      expect(fast, path).toEqual({ ...slow, requestId: fast.requestId });
      expect(fast.requestId, path).not.toBe('');
      expect(fast.headers['cache-control'], path).toBe('no-store');
      expect(fast.headers['content-security-policy'], path).toBeDefined();
    }
    // With CORS on, the same again, from the allowed origin and from another.
    for (const origin of [ORIGIN, 'http://elsewhere.example']) {
      const fast = await answer(corsFast.url, '/api/users?range=%5B0%2C4%5D', { ...cookie, origin });
      const slow = await answer(corsRouters.url, '/api/users?range=%5B0%2C4%5D', { ...cookie, origin });
      expect(fast).toEqual({ ...slow, requestId: fast.requestId });
      expect(fast.headers.vary).toContain('Origin');
    }
    expect((await answer(corsFast.url, '/api/users', { ...cookie, origin: ORIGIN })).headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it("a filtered page's total is exact: on a partial page, on the first page of none, past the last page", async () => {
    const { session } = await signIn(server(), 'admin');
    const marker = `total-${Date.now().toString(36)}`;
    for (let i = 0; i < 3; i++) {
      expect((await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `${marker}-${i}@example.com` }) })).status).toBe(201);
    }
    const page = async (q: string, range: [number, number]) => {
      const res = await session.json(`/api/users?filter=${encodeURIComponent(JSON.stringify({ q }))}&range=${encodeURIComponent(JSON.stringify(range))}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-kind')).toBe('exact');
      return [res.body.length, res.headers.get('content-range')];
    };
    expect(await page(marker, [0, 0])).toEqual([1, 'users 0-0/3']);
    expect(await page(marker, [1, 24])).toEqual([2, 'users 1-2/3']);
    expect(await page(marker, [5, 9])).toEqual([0, 'users */3']);
    expect(await page(`${marker}-none`, [0, 24])).toEqual([0, 'users */0']);
  });

  it('keeps every session check: logout, a demotion and a session ended in the database are refused on the next read', async () => {
    const admin = await signIn(server(), 'admin');
    const reader = async () => {
      const s = await signIn(server(), 'support');
      expect((await s.session.fetch('/api/users')).status).toBe(200); // now in the session cache
      expect(readPath().takes(get('/api/users'))).toBe(true);
      return s;
    };

    const loggedOut = await reader();
    const cookie = loggedOut.session.cookie;
    expect((await loggedOut.session.fetch('/api/auth/logout', { method: 'POST' })).status).toBeLessThan(300);
    expect((await fetch(`${server().url}/api/users`, { headers: { cookie } })).status).toBe(401);

    const demoted = await reader();
    const put = await admin.session.json(`/api/users/${demoted.creds.id}`, { method: 'PUT', body: JSON.stringify({ role: 'member' }) });
    expect(put.status).toBe(200);
    expect((await demoted.session.fetch('/api/users')).status).toBe(401);
    expect((await demoted.session.fetch(`/api/users/${admin.creds.id}`)).status).toBe(401);

    // Outside opsroom, in SQL: the database's NOTIFY reaches the cache a moment later.
    for (const change of [
      (id: number) => sql`update users set banned = true where id = ${id}`,
      (id: number) => sql`update operator_sessions set expires_at = now() - interval '1 second' where user_id = ${id}`,
    ]) {
      const s = await reader();
      await queryRows(server().ctx.database.db, change(s.creds.id));
      const deadline = Date.now() + 10_000;
      let status = 200;
      while ((status = (await s.session.fetch('/api/users')).status) === 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(status).toBe(401);
    }
  });

  it('a member (not staff) and a request without a cookie get 401 with the JSON error shape', async () => {
    const member = await signIn(server(), 'member');
    const res = await member.session.json('/api/users');
    expect(res.status).toBe(401);
    const anonymous = await new Session(server().url).json('/api/users/1');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: expect.any(String) });
  });
});

