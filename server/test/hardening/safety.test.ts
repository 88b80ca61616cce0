import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createSession, SESSION_PRUNE_BATCH } from '../../src/auth/sessions';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../../src/auth/rateLimit';
import { queryRows } from '../../src/db/client';
import { loginAttempts, operatorSessions, userXp, users, xpTransactions } from '../../src/db/schema';
import { MAX_JSON_DEPTH } from '../../src/http/jsonGuard';
import { createOperator, Session, signIn } from '../support/operators';
import { describeEachEngine, type TestServer } from '../support/testServer';
import { reportFigures } from './support';

const count = async (s: TestServer, query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(s.ctx.database.db, query))[0]!.n;
const auditRows = (s: TestServer) => count(s, sql`select count(*)::int as n from audit_log`);

/** A login from a given client address, as the trusted local proxy would forward it. */
const loginFrom = (s: TestServer, ip: string, email: string, password: string) =>
  fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ email, password }) });

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describeEachEngine('safety round 2', (server) => {
  it('NUL and lone surrogates in any text or JSON value are a 400 naming the field, and nothing is written', async () => {
    const s = server();
    const { session } = await signIn(s);
    const { body: user } = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'nul-target@example.com', name: 'Target' }) });
    const { body: key } = await session.json('/api/ai_provider_keys', { method: 'POST', body: JSON.stringify({ provider: 'nul-provider', label: 'k', key: 'sk-test-000000001' }) });
    const audits = await auditRows(s);
    const cases: [string, string, string, string][] = [
      ['PUT', `/api/users/${user.id}`, JSON.stringify({ name: 'a\u0000b' }), 'name'],
      ['PUT', `/api/users/${user.id}`, JSON.stringify({ name: 'a\uD800b' }), 'name'],
      ['PUT', `/api/ai_provider_keys/${key.id}`, JSON.stringify({ model_config: { 'k\u0000': 1 } }), 'model_config.k\u0000'],
      ['PUT', `/api/ai_provider_keys/${key.id}`, JSON.stringify({ model_config: { k: 'v\u0000' } }), 'model_config.k'],
      ['POST', `/api/users/${user.id}/credits`, JSON.stringify({ amount: 5, reason: 'x\u0000' }), 'reason'],
      ['POST', `/api/ai_provider_keys/${key.id}/rotate`, JSON.stringify({ key: 'sk-\uDC00-0000000' }), 'key'],
      ['POST', `/api/users/${user.id}/badges`, JSON.stringify({ badge_id: 'first\u0000brew' }), 'badge_id'],
      ['GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ name: 'a\u0000' }))}`, '', 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await session.json(path, { method, body: body || undefined });
      expect(res.status, `${method} ${path} ${body}`).toBe(400);
      expect(Object.keys(res.body.errors), `${method} ${path}`).toContain(field);
    }
    expect(await auditRows(s)).toBe(audits);
    const [row] = await s.ctx.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.name).toBe('Target');
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 400 naming the field, 20,000 levels included`, async () => {
    const s = server();
    const { session } = await signIn(s);
    const { body: key } = await session.json('/api/ai_provider_keys', { method: 'POST', body: JSON.stringify({ provider: 'deep-provider', label: 'deep', key: 'sk-test-000000002' }) });
    for (const depth of [20_000, 2_000, MAX_JSON_DEPTH]) {
      const res = await session.json(`/api/ai_provider_keys/${key.id}`, { method: 'PUT', body: `{"model_config":${nested(depth)}}` });
      expect(res.status, `depth ${depth}`).toBe(400);
      expect(res.body.errors).toEqual({ model_config: `Nested more than ${MAX_JSON_DEPTH} levels deep` });
    }
    const ok = await session.json(`/api/ai_provider_keys/${key.id}`, { method: 'PUT', body: `{"model_config":${nested(MAX_JSON_DEPTH - 1)}}` });
    expect(ok.status).toBe(200);
  });

  it('__proto__ and constructor keys of a body are refused as unknown fields', async () => {
    const s = server();
    const { session } = await signIn(s);
    const { body: user } = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'proto@example.com', name: 'Proto' }) });
    const audits = await auditRows(s);
    for (const key of ['__proto__', 'constructor']) {
      const res = await session.json(`/api/users/${user.id}`, { method: 'PUT', body: `{"name":"Changed","${key}":{"role":"admin"}}` });
      expect(res.status, key).toBe(400);
      expect(res.body.errors).toEqual({ [key]: 'Unknown field' });
      const created = await session.json('/api/badges', { method: 'POST', body: `{"id":"proto-${key.length}","name":"x","description":"x","icon":"x","category":"special","${key}":{}}` });
      expect(created.status, key).toBe(400);
    }
    expect(await auditRows(s)).toBe(audits);
  });

  it('a stranger failing from other addresses cannot lock an operator out; one address is still limited', async () => {
    const s = server();
    const admin = await createOperator(s, 'admin');
    // Six wrong passwords from each of three addresses.
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      for (let i = 0; i <= MAX_FAILURES_PER_ACCOUNT; i++) expect([401, 429]).toContain((await loginFrom(s, ip, admin.email, `wrong-${i}`)).status);
      expect((await loginFrom(s, ip, admin.email, admin.password)).status, `${ip} is refused for this account`).toBe(429);
    }
    const started = Date.now();
    const own = await loginFrom(s, '198.51.100.20', admin.email, admin.password);
    expect(own.status).toBe(200);
    reportFigures('safety, login under attack', { failuresFromOthers: 3 * (MAX_FAILURES_PER_ACCOUNT + 1), operatorLoginMs: Date.now() - started });
  });

  it('a failed guess from an address costs it: the per-address limit still refuses across accounts', async () => {
    const s = server();
    const ip = '203.0.113.77';
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect((await loginFrom(s, ip, `nobody-${i}@example.com`, 'wrong-password')).status).toBe(401);
    const admin = await createOperator(s, 'admin');
    expect((await loginFrom(s, ip, admin.email, admin.password)).status).toBe(429);
  });

  it('10,000 failed logins leave a bounded login_attempts table; expired sessions are swept', async () => {
    const s = server();
    const { db } = s.ctx.database;
    const admin = await createOperator(s, 'admin');
    await db.delete(loginAttempts);
    const total = 10_000;
    const perWindow = 500;
    let sent = 0;
    let biggest = 0;
    for (let w = 0; sent < total; w++) {
      // Each window comes from a new address and sprays a new email per guess (the anonymous growth
      // the table must survive); between windows the clock moves past the window.
      const ip = `192.0.2.${(w % 250) + 1}`;
      const batch = Array.from({ length: perWindow }, (_, i) => i);
      for (let i = 0; i < batch.length; i += 50) {
        const statuses = await Promise.all(batch.slice(i, i + 50).map((j) => loginFrom(s, ip, `nobody-${w}-${j}@example.com`, 'wrong').then((r) => r.status)));
        for (const st of statuses) expect([401, 429]).toContain(st);
      }
      sent += perWindow;
      biggest = Math.max(biggest, await count(s, sql`select count(*)::int as n from login_attempts`));
      await db.execute(sql`update login_attempts set created_at = created_at - ${`${LOGIN_WINDOW_MS + 60_000} milliseconds`}::interval`);
    }
    // The next attempt's pruning takes the closed windows away.
    expect((await loginFrom(s, '192.0.2.251', admin.email, admin.password)).status).toBe(200);
    const left = await count(s, sql`select count(*)::int as n from login_attempts`);
    reportFigures('safety, login_attempts after 10,000 failed logins', { failedLogins: sent, rowsLeft: left, biggestWindow: biggest });
    expect(left).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT + 2);

    for (let i = 0; i < 150; i++) await createSession(db, admin.id, {});
    await db.update(operatorSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(operatorSessions.userId, admin.id));
    const expired = await count(s, sql`select count(*)::int as n from operator_sessions where expires_at < now()`);
    // Each sign-in sweeps at most SESSION_PRUNE_BATCH expired rows: bounded work, and enough.
    for (let i = 0; i < Math.ceil(expired / SESSION_PRUNE_BATCH); i++) expect((await loginFrom(s, `192.0.2.${252 + (i % 3)}`, admin.email, admin.password)).status).toBe(200);
    expect(await count(s, sql`select count(*)::int as n from operator_sessions where expires_at < now()`)).toBe(0);
  }, 600_000);

  it('a role change or a ban ends the user’s sessions', async () => {
    const s = server();
    const { session: admin } = await signIn(s, 'admin');
    const { session: support, creds } = await signIn(s, 'support');
    expect((await support.json('/api/auth/me')).status).toBe(200);
    expect((await admin.json(`/api/users/${creds.id}`, { method: 'PUT', body: JSON.stringify({ role: 'member' }) })).status).toBe(200);
    expect((await admin.json(`/api/users/${creds.id}`, { method: 'PUT', body: JSON.stringify({ role: 'support' }) })).status).toBe(200);
    expect((await support.json('/api/auth/me')).status).toBe(401);

    // Bulk changes too.
    const again = new Session(s.url);
    expect((await again.login(creds.email, creds.password)).status).toBe(200);
    const filter = encodeURIComponent(JSON.stringify({ id: [creds.id] }));
    expect((await admin.json(`/api/users?filter=${filter}`, { method: 'PUT', body: JSON.stringify({ role: 'admin' }) })).status).toBe(200);
    expect((await again.json('/api/auth/me')).status).toBe(401);

    const member = await createOperator(s, 'member');
    await createSession(s.ctx.database.db, member.id, {});
    expect((await admin.json(`/api/users/${member.id}/ban`, { method: 'POST', body: JSON.stringify({ reason: 'abuse' }) })).status).toBe(200);
    expect(await count(s, sql`select count(*)::int as n from operator_sessions where user_id = ${member.id}`)).toBe(0);
  });

  it('nobody demotes themselves and no change leaves the console without an active admin (409 on the role field)', async () => {
    const s = server();
    const { db } = s.ctx.database;
    // This test owns the admins: every other admin of the file's database becomes support first.
    await db.update(users).set({ role: 'support' }).where(eq(users.role, 'admin'));
    const first = await createOperator(s, 'admin');
    const second = await createOperator(s, 'admin');
    const a = new Session(s.url);
    const b = new Session(s.url);
    await a.login(first.email, first.password);
    await b.login(second.email, second.password);

    const self = await a.json(`/api/users/${first.id}`, { method: 'PUT', body: JSON.stringify({ role: 'support' }) });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ message: expect.stringMatching(/own role/), errors: { role: expect.any(String) } });

    // Two admins demoting each other at the same moment: one may win, never both.
    const [x, y] = await Promise.all([
      a.json(`/api/users/${second.id}`, { method: 'PUT', body: JSON.stringify({ role: 'support' }) }),
      b.json(`/api/users/${first.id}`, { method: 'PUT', body: JSON.stringify({ role: 'support' }) }),
    ]);
    // The loser is refused (409), or finds its own session already ended by the winner (401).
    const statuses = [x.status, y.status];
    expect(statuses.filter((st) => st === 200)).toHaveLength(1);
    expect(statuses.filter((st) => st !== 200).every((st) => st === 409 || st === 401)).toBe(true);
    const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    expect(admins).toHaveLength(1);
    const last = admins[0]!.id;
    const lastSession = last === first.id ? a : b;
    const other = last === first.id ? second : first;
    // The survivor cannot delete or demote themselves either, in bulk or not.
    const filter = encodeURIComponent(JSON.stringify({ id: [last] }));
    const bulk = await lastSession.json(`/api/users?filter=${filter}`, { method: 'PUT', body: JSON.stringify({ role: 'member' }) });
    expect(bulk.status).toBe(409);
    const deleted = await lastSession.json(`/api/users/${last}`, { method: 'DELETE' });
    expect(deleted.status).toBe(409);
    expect(deleted.body.errors).toEqual({ role: expect.any(String) });
    // With a second admin again, the change goes through.
    expect((await lastSession.json(`/api/users/${other.id}`, { method: 'PUT', body: JSON.stringify({ role: 'admin' }) })).status).toBe(200);
    expect((await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'))).length).toBe(2);
  });

  it('revoking a badge takes its XP back with a reversing entry and recomputes the level', async () => {
    const s = server();
    const { session } = await signIn(s);
    const { db } = s.ctx.database;
    const { body: user } = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'xp@example.com', name: 'XP' }) });
    for (let round = 0; round < 3; round++) {
      const award = await session.json(`/api/users/${user.id}/badges`, { method: 'POST', body: JSON.stringify({ badge_id: 'hydra' }) });
      expect(award.status).toBe(200);
      const [mid] = await db.select().from(userXp).where(eq(userXp.userId, user.id));
      expect(mid!.totalXp).toBe(500);
      expect((await session.json(`/api/user_badges/${award.body.id}`, { method: 'DELETE' })).status).toBe(200);
      const [after] = await db.select().from(userXp).where(eq(userXp.userId, user.id));
      expect(after).toMatchObject({ totalXp: 0, level: 1 });
    }
    const entries = await db.select().from(xpTransactions).where(eq(xpTransactions.userId, user.id));
    expect(entries.map((e) => e.amount).sort((p, q) => p - q)).toEqual([-500, -500, -500, 500, 500, 500]);
  });

  it('smaller items: no-store, Vary: Origin, Idempotent-Replayed exposed, dates out of range, negative xp_reward', async () => {
    const s = server();
    const { session } = await signIn(s);
    const list = await session.fetch('/api/users');
    expect(list.headers.get('cache-control')).toBe('no-store');
    const bad = await session.json('/api/invitations', {
      method: 'POST',
      body: JSON.stringify({ organization_id: 1, email: 'i@example.com', role: 'member', inviter_id: 1, expires_at: '+275760-09-13T00:00:00.000Z' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.expires_at).toBe('Must be a date between 0001-01-01 and 9999-12-31');
    const negative = await session.json('/api/badges', { method: 'POST', body: JSON.stringify({ id: 'negative', name: 'n', description: 'n', icon: 'n', category: 'special', xp_reward: -5 }) });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual({ xp_reward: 'Must be 0 or more' });
  });
});

describeEachEngine(
  'security headers follow the scheme the request arrived on',
  (server) => {
    it('HTTPS via a trusted proxy gets HSTS, upgrade-insecure-requests and Secure cookies; plain HTTP none of them', async () => {
      const s = server();
      const admin = await createOperator(s, 'admin');
      const over = async (proto?: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (proto) headers['x-forwarded-proto'] = proto;
        const page = await fetch(`${s.url}/healthz`, { headers });
        const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email: admin.email, password: admin.password }) });
        expect(login.status).toBe(200);
        return { hsts: page.headers.get('strict-transport-security'), csp: page.headers.get('content-security-policy') ?? '', cookies: login.headers.getSetCookie() };
      };
      const https = await over('https');
      expect(https.hsts).toMatch(/max-age=\d+/);
      expect(https.csp).toMatch(/upgrade-insecure-requests/);
      expect(https.cookies.length).toBe(2);
      for (const c of https.cookies) expect(c).toMatch(/;\s*Secure/i);
      const http = await over();
      expect(http.hsts).toBeNull();
      expect(http.csp).not.toMatch(/upgrade-insecure-requests/);
      for (const c of http.cookies) expect(c).not.toMatch(/;\s*Secure/i);
    });

    it('in production, plain HTTP from loopback is still served (a local check, a local proxy)', async () => {
      const s = server();
      s.ctx.config.production = true;
      try {
        expect((await fetch(`${s.url}/api/auth/me`)).status).toBe(401);
      } finally {
        s.ctx.config.production = false;
      }
    });
  },
  {},
  { only: 'pglite' },
);

describeEachEngine(
  'CORS answers with a configured origin',
  (server) => {
    it('every /api answer varies on Origin, and the console can read Idempotent-Replayed', async () => {
      const s = server();
      const other = await fetch(`${s.url}/api/auth/me`, { headers: { origin: 'https://elsewhere.example' } });
      expect(other.headers.get('vary')).toMatch(/Origin/);
      const allowed = await fetch(`${s.url}/api/auth/me`, { headers: { origin: 'http://localhost:5173' } });
      expect(allowed.headers.get('vary')).toMatch(/Origin/);
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/Idempotent-Replayed/);
    });
  },
  { config: { corsOrigin: 'http://localhost:5173' } },
  { only: 'pglite' },
);
