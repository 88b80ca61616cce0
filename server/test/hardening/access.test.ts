import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { idpForFile } from '../support/oidcProvider';
import { WRITE_ROLE } from '../../../contract';
import { createSession, SESSION_COOKIE } from '../../src/auth/sessions';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../../src/auth/rateLimit';
import { sha256 } from '../../src/crypto/secretBox';
import { queryRows } from '../../src/db/client';
import { Secret, TOTP } from 'otpauth';
import { operatorSessions } from '../../src/db/schema';
import { createOperator } from '../support/operators';
import { SoftAuthenticator } from '../support/softAuthenticator';
import { expectNoSecrets, knownSecrets } from './secrets';
import { describeHardened, expandResources, listRoutes, pool, RecordingSession, reportFigures, type HardenedServer } from './support';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// The only API route a stranger may call; everything outside /api is the health check and the console.
// The second-factor steps of a sign-in carry the sign-in's challenge token instead of a session.
// Single sign-on's routes are browser navigations: `start` redirects to the provider, a callback
// without its state back to the login page; the list of sign-in methods is for the login page.
const PUBLIC_STATUS = new Map([
  ...[
    'POST /api/auth/login',
    'POST /api/public/waitlist',
    'POST /api/auth/mfa/verify',
    'POST /api/auth/mfa/enrol/setup',
    'POST /api/auth/mfa/enrol/confirm',
    'POST /api/auth/mfa/passkey/options',
    'POST /api/auth/mfa/enrol/passkey/options',
    'POST /api/auth/mfa/enrol/passkey/confirm',
  ].map((r) => [r, 400] as const),
  ['GET /api/auth/sso', 200],
  ['GET /api/auth/sso/start', 303],
  ['GET /api/auth/sso/callback', 303],
]);
const PUBLIC_API = new Set(PUBLIC_STATUS.keys());

// The sweep runs with single sign-on on, against a real provider on loopback, so its routes answer as in production.
const { signIn: sso } = await idpForFile({ OIDC_ALLOWED_DOMAINS: 'ops.test', OIDC_ROLE_MAP: 'ops=admin' });
const NO_SUCH_ID = '2147483000';

interface Probe {
  method: string;
  pattern: string;
  path: string;
  /** The role the route declares (requireRole's tag), or the resource's write role. */
  role: 'admin' | 'support';
}

/** Every API route, `:resource` expanded, ids pointing nowhere (a probe must never change a row). */
function probes(s: HardenedServer): Probe[] {
  return expandResources(listRoutes(s.app), s.models)
    .filter((r) => r.path.startsWith('/api/'))
    .map((r) => {
      const tagged = r.handlers.map((h) => (h as { requiredRole?: 'admin' | 'support' }).requiredRole).find(Boolean);
      const model = r.pattern.includes(':resource') ? s.models.get(r.resource!) : undefined;
      const role = tagged ?? (model && STATE_CHANGING.has(r.method) ? WRITE_ROLE : 'support');
      let path = r.path.replace(/:[A-Za-z_]+/g, NO_SUCH_ID);
      // Bulk routes act on a filter; one that matches nothing keeps the probe harmless.
      if ((r.method === 'PUT' || r.method === 'DELETE') && r.pattern.endsWith(':resource')) path += `?filter=${encodeURIComponent(JSON.stringify({ id: [Number(NO_SUCH_ID)] }))}`;
      return { method: r.method, pattern: r.pattern, path, role };
    });
}

const bodyFor = (p: Probe) => (STATE_CHANGING.has(p.method) ? '{}' : undefined);

describeHardened('access', (server) => {
  it('the sweep reads every route off the Express router, the domain actions included', () => {
    const routes = listRoutes(server().app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /healthz', 'POST /api/auth/login', 'GET /api/:resource', 'PUT /api/:resource/:id', 'DELETE /api/:resource', 'POST /api/users/:id/notes', 'POST /api/audit_log/:id/revert', 'POST /api/auth/mfa/verify', 'POST /api/auth/mfa/totp/confirm', 'POST /api/auth/mfa/passkeys', 'DELETE /api/auth/mfa/passkeys/:id', 'GET /api/auth/sso/start', 'GET /api/auth/sso/callback', 'POST /api/users/:id/role', 'POST /api/approval_requests/:id/approve', 'POST /api/approval_requests/:id/reject']),
    );
    reportFigures('access, routes found', { routes: routes.length, expanded: probes(server()).length });
  });

  it('every API route but login answers 401 without a session, with a member session, with an expired one and with a made-up token', async () => {
    const s = server();
    const member = await createOperator(s, 'member');
    const admin = await createOperator(s, 'admin');
    const memberToken = (await createSession(s.ctx.database.db, member.id, {})).token;
    const expired = (await createSession(s.ctx.database.db, admin.id, {})).token;
    await s.ctx.database.db.update(operatorSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(operatorSessions.token, sha256(expired)));
    const cases: [string, string][] = [
      ['no session', ''],
      ['member', `${SESSION_COOKIE}=${memberToken}`],
      ['expired', `${SESSION_COOKIE}=${expired}`],
      ['made-up token', `${SESSION_COOKIE}=${'A'.repeat(43)}`],
    ];
    const wrong: string[] = [];
    let checked = 0;
    const all = probes(s);
    await pool(
      all.flatMap((p) => cases.map((c) => [p, c] as const)),
      8,
      async ([p, [label, cookie]]) => {
        const session = new RecordingSession(s.url, s.traffic);
        session.cookie = cookie;
        const res = await session.fetch(p.path, { method: p.method, body: bodyFor(p), redirect: 'manual' });
        checked++;
        const want = PUBLIC_STATUS.get(`${p.method} ${p.pattern}`) ?? 401;
        if (res.status !== want) wrong.push(`${label}: ${p.method} ${p.path} → ${res.status}, want ${want}`);
      },
    );
    reportFigures('access, no valid session', { requests: checked, wrong: wrong.length });
    expect(wrong).toEqual([]);
    expect(all.filter((p) => PUBLIC_API.has(`${p.method} ${p.pattern}`))).toHaveLength(PUBLIC_API.size);
  });

  it('every state-changing route answers 403 without the CSRF header or with another session’s token', async () => {
    const s = server();
    const creds = await createOperator(s, 'admin');
    const victim = new RecordingSession(s.url, s.traffic);
    const other = new RecordingSession(s.url, s.traffic);
    await victim.login(creds.email, creds.password);
    await other.login(creds.email, creds.password);
    const wrong: string[] = [];
    const writes = probes(s).filter((p) => STATE_CHANGING.has(p.method) && !PUBLIC_API.has(`${p.method} ${p.pattern}`));
    for (const [label, csrf] of [
      ['no header', ''],
      ['another session’s token', other.csrf],
      ['the session token itself', victim.cookie.split('=')[1]!],
    ] as const) {
      await pool(writes, 8, async (p) => {
        const res = await victim.fetch(p.path, { method: p.method, body: bodyFor(p), headers: { 'x-csrf-token': csrf } });
        const body = (await res.json()) as { message?: string };
        if (res.status !== 403 || !/CSRF/.test(body.message ?? '')) wrong.push(`${label}: ${p.method} ${p.path} → ${res.status} ${body.message}`);
      });
    }
    reportFigures('access, CSRF', { routes: writes.length, requests: writes.length * 3, wrong: wrong.length });
    expect(wrong).toEqual([]);
    // The session still works with the right token: the refusals were about CSRF only.
    expect((await victim.fetch('/api/auth/me')).status).toBe(200);
  });

  it('a support operator gets 403 on every route that needs admin, and is let through wherever support may', async () => {
    const s = server();
    const creds = await createOperator(s, 'support');
    const support = new RecordingSession(s.url, s.traffic);
    await support.login(creds.email, creds.password);
    const wrong: string[] = [];
    const all = probes(s).filter((p) => !PUBLIC_API.has(`${p.method} ${p.pattern}`) && p.pattern !== '/api/auth/logout');
    await pool(all, 8, async (p) => {
      const res = await support.fetch(p.path, { method: p.method, body: bodyFor(p) });
      if (p.role === 'admin' && res.status !== 403) wrong.push(`${p.method} ${p.path} → ${res.status}, want 403`);
      if (p.role === 'support' && (res.status === 401 || res.status === 403 || res.status >= 500)) wrong.push(`${p.method} ${p.path} → ${res.status}, want support let through`);
    });
    reportFigures('access, roles', { routes: all.length, adminOnly: all.filter((p) => p.role === 'admin').length, wrong: wrong.length });
    expect(wrong).toEqual([]);
  });

  it('session fixation: a token planted before sign-in is not adopted, and a live one presented at sign-in is revoked', async () => {
    const s = server();
    const creds = await createOperator(s, 'admin');
    // The attacker's own live session, planted in the victim's browser.
    const attacker = new RecordingSession(s.url, s.traffic);
    await attacker.login(creds.email, creds.password);
    const planted = attacker.cookie;
    const victim = new RecordingSession(s.url, s.traffic);
    victim.cookie = planted;
    expect((await victim.login(creds.email, creds.password)).status).toBe(200);
    expect(victim.cookie).not.toBe(planted);
    expect((await attacker.fetch('/api/auth/me')).status).toBe(401);
    expect((await victim.fetch('/api/auth/me')).status).toBe(200);
    // A token the server never issued is not adopted either.
    const forged = new RecordingSession(s.url, s.traffic);
    forged.cookie = `${SESSION_COOKIE}=${'f'.repeat(43)}`;
    await forged.login(creds.email, creds.password);
    expect(forged.cookie).not.toContain('f'.repeat(43));
    // After logout the old token is dead.
    const before = victim.cookie;
    expect((await victim.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    const replay = new RecordingSession(s.url, s.traffic);
    replay.cookie = before;
    expect((await replay.fetch('/api/auth/me')).status).toBe(401);
  });

  it(`the login rate limit holds: ${MAX_FAILURES_PER_ACCOUNT} failures lock an address out of an account, ${MAX_FAILURES_PER_IP} an address, even when the guesses arrive all at once`, async () => {
    const s = server();
    const creds = await createOperator(s, 'admin');
    const guess = (email: string, password: string, ip = '198.51.100.7') =>
      new RecordingSession(s.url, s.traffic).fetch('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }), headers: { 'x-forwarded-for': ip } });

    // Guesses sent one by one until the limit answers; together with a burst, exactly `limit` are checked.
    const topUp = async (send: (i: number) => Promise<Response>) => {
      let evaluated = 0;
      for (let i = 0; ; i++) {
        const r = await send(i);
        if (r.status === 429) return evaluated;
        expect(r.status).toBe(401);
        evaluated++;
        expect(evaluated).toBeLessThanOrEqual(MAX_FAILURES_PER_IP);
      }
    };

    // 40 wrong guesses at once from one address: no more than the limit may be checked against the password.
    const attacker = '203.0.113.50';
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(creds.email, `wrong-password-${i}`, attacker)));
    const evaluated = burst.filter((r) => r.status === 401).length;
    const limited = burst.filter((r) => r.status === 429).length;
    expect(evaluated).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(evaluated + limited).toBe(burst.length);
    expect(evaluated + (await topUp((i) => guess(creds.email, `more-wrong-${i}`, attacker)))).toBe(MAX_FAILURES_PER_ACCOUNT);
    // That address is locked out of the account, the right password included, with Retry-After…
    const locked = await guess(creds.email, creds.password, attacker);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe(String(LOGIN_WINDOW_MS / 1000));
    // …and the operator, elsewhere, is not.
    expect((await guess(creds.email, creds.password, '203.0.113.200')).status).toBe(200);

    // One address guessing across many accounts is stopped at the per-address limit.
    const ip = '198.51.100.99';
    const spread = await Promise.all(Array.from({ length: MAX_FAILURES_PER_IP + 15 }, (_, i) => guess(`nobody-${i}@example.com`, 'wrong-password', ip)));
    const spreadEvaluated = spread.filter((r) => r.status === 401).length;
    expect(spreadEvaluated).toBeLessThanOrEqual(MAX_FAILURES_PER_IP);
    expect(spreadEvaluated + (await topUp((i) => guess(`someone-${i}@example.com`, 'wrong-password', ip)))).toBe(MAX_FAILURES_PER_IP);
    const other = await createOperator(s, 'admin');
    expect((await guess(other.email, other.password, ip)).status).toBe(429);
    expect((await guess(other.email, other.password, '198.51.100.100')).status).toBe(200);
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(s.ctx.database.db, sql`select count(*)::int as n from login_attempts where ip = ${ip} and not succeeded`);
    expect(n).toBe(MAX_FAILURES_PER_IP);
    reportFigures('access, concurrent login guesses', { addressBurst: burst.length, accountEvaluated: evaluated, accountLimit: MAX_FAILURES_PER_ACCOUNT, ipBurst: spread.length, ipEvaluated: spreadEvaluated, ipLimit: MAX_FAILURES_PER_IP });
  });

  it('no password hash, session token, API key or provider key in any response body, log line or audit row', async () => {
    const s = server();
    await expectNoSecrets(s, await knownSecrets(s, []));
  });

  it('no TOTP secret, recovery code, sign-in or WebAuthn challenge or passkey key in any response but the one that hands it out, any log line or audit row', async () => {
    const s = server();
    const creds = await createOperator(s, 'admin');
    const session = new RecordingSession(s.url, s.traffic);
    await session.login(creds.email, creds.password);
    const setupAt = s.traffic.bodies.length;
    const setup = await session.json('/api/auth/mfa/totp/setup', { method: 'POST' });
    expect(setup.status).toBe(200);
    const code = new TOTP({ secret: Secret.fromBase32(setup.body.secret) }).generate();
    const confirmAt = s.traffic.bodies.length;
    const confirmed = await session.json('/api/auth/mfa/totp/confirm', { method: 'POST', body: JSON.stringify({ code }) });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recovery_codes as string[];

    const again = new RecordingSession(s.url, s.traffic);
    const loginAt = s.traffic.bodies.length;
    const step = await again.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
    expect(step.body.mfa).toBe('verify');
    expect((await again.json('/api/auth/mfa/verify', { method: 'POST', body: JSON.stringify({ challenge: step.body.challenge, recovery_code: codes[0] }) })).status).toBe(200);
    // A wrong code too: failures must not echo what was sent.
    const third = new RecordingSession(s.url, s.traffic);
    const step3 = await third.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
    await third.json('/api/auth/mfa/verify', { method: 'POST', body: JSON.stringify({ challenge: step3.body.challenge, recovery_code: codes[1]!.split('').reverse().join('') }) });

    // A passkey added from the console, then used to sign in.
    const key = new SoftAuthenticator(s.url);
    const registerAt = s.traffic.bodies.length;
    const reg = await session.json('/api/auth/mfa/passkeys/options', { method: 'POST' });
    const added = await session.json('/api/auth/mfa/passkeys', { method: 'POST', body: JSON.stringify({ challenge: reg.body.challenge, name: 'Key', response: key.register(reg.body.options) }) });
    expect(added.status).toBe(201);
    const fourth = new RecordingSession(s.url, s.traffic);
    const step4 = await fourth.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
    const assertAt = s.traffic.bodies.length;
    const options = await fourth.json('/api/auth/mfa/passkey/options', { method: 'POST', body: JSON.stringify({ challenge: step4.body.challenge }) });
    const assertion = key.assert(options.body);
    expect((await fourth.json('/api/auth/mfa/verify', { method: 'POST', body: JSON.stringify({ challenge: step4.body.challenge, passkey: assertion }) })).status).toBe(200);
    const [passkey] = await queryRows<{ k: string }>(s.ctx.database.db, sql`select public_key as k from operator_passkeys where user_id = ${creds.id}`);

    const [stored] = await queryRows<{ c: string }>(s.ctx.database.db, sql`select encrypted_secret as c from operator_totp where user_id = ${creds.id}`);
    await expectNoSecrets(s, [
      ...(await knownSecrets(s, [])),
      { what: 'TOTP secret', value: setup.body.secret, shownIn: setupAt },
      { what: 'TOTP secret ciphertext', value: stored!.c },
      ...codes.map((value) => ({ what: 'recovery code', value, shownIn: confirmAt })),
      { what: 'sign-in challenge', value: step.body.challenge, shownIn: loginAt },
      { what: 'passkey registration token', value: reg.body.challenge, shownIn: registerAt },
      { what: 'WebAuthn registration challenge', value: reg.body.options.challenge, shownIn: registerAt },
      { what: 'WebAuthn sign-in challenge', value: options.body.challenge, shownIn: assertAt },
      { what: 'passkey assertion signature', value: assertion.response.signature },
      { what: 'passkey public key', value: passkey!.k },
    ]);
  });
}, { config: sso });
