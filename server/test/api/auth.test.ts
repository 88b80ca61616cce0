import { expect, it } from 'vitest';
import { createOperator, Session, signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

describeEachEngine('operator sign-in and roles', (server) => {
  it('signing in sets an httpOnly strict session cookie and /me names the operator', async () => {
    const creds = await createOperator(server(), 'support');
    const session = new Session(server().url);
    const res = await session.login(creds.email.toUpperCase(), creds.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('opsroom_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await session.json('/api/auth/me');
    expect(me.body).toMatchObject({ email: creds.email, role: 'support' });
  });

  it('a wrong password is a 401 and a member account has no console access', async () => {
    const admin = await createOperator(server(), 'admin');
    const wrong = await new Session(server().url).login(admin.email, 'not-the-password');
    expect(wrong.status).toBe(401);
    const member = await createOperator(server(), 'member');
    const res = await new Session(server().url).login(member.email, member.password);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/no console access/);
  });

  it('every API route but login and health needs a session', async () => {
    const anon = new Session(server().url);
    expect((await anon.json('/api/users')).status).toBe(401);
    expect((await anon.json('/api/auth/me')).status).toBe(401);
    expect((await anon.json('/api/users/1', { method: 'PUT', body: '{}' })).status).toBe(401);
    expect((await anon.json('/healthz')).status).toBe(200);
  });

  it('support reads everything but gets 403 on writes; admin may write', async () => {
    const { session: support } = await signIn(server(), 'support');
    expect((await support.json('/api/users')).status).toBe(200);
    expect((await support.json('/api/audit_log')).status).toBe(200);
    const denied = await support.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'x@example.com' }) });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/permission/);
    const { session: admin } = await signIn(server(), 'admin');
    expect((await admin.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'x@example.com' }) })).status).toBe(201);
  });

  it('state-changing requests without the CSRF token are refused', async () => {
    const { session } = await signIn(server(), 'admin');
    const res = await session.json('/api/waitlist', { method: 'POST', body: JSON.stringify({ email: 'csrf@example.com' }), headers: { 'x-csrf-token': 'forged' } });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/CSRF/);
  });

  it('logout ends the session and signing in again issues a new token', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const before = session.cookie;
    await session.login(creds.email, creds.password);
    expect(session.cookie).not.toBe(before);
    const stale = new Session(server().url);
    stale.cookie = before;
    expect((await stale.json('/api/auth/me')).status).toBe(401);
    expect((await session.json('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await session.json('/api/auth/me')).status).toBe(401);
  });

  it('five failed sign-ins from one address lock it out of the account for a while, even with the right password', async () => {
    const creds = await createOperator(server(), 'admin');
    const s = new Session(server().url);
    for (let i = 0; i < 5; i++) expect((await s.login(creds.email, 'wrong-password')).status).toBe(401);
    const locked = await s.login(creds.email, creds.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
  });
});
