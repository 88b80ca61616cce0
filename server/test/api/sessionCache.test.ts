import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCache } from '../../src/auth/sessionCache';
import { SESSION_COOKIE } from '../../src/auth/sessions';
import { sha256 } from '../../src/crypto/secretBox';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { engines } from '../support/engines';
import { signIn, Session } from '../support/operators';
import { bootTestServer, type TestServer } from '../support/testServer';

const operator = { id: 7, email: 'a@ops.test', name: 'A', role: 'admin' as const };

describe('the session cache', () => {
  it('answers nothing until it is live, and nothing past a session expiry', () => {
    const cache = new SessionCache();
    cache.set(cache.ticket(), 'h', operator, new Date(Date.now() + 60_000));
    expect(cache.get('h')).toBeUndefined();
    cache.setLive(true);
    const now = Date.now();
    cache.set(cache.ticket(), 'h', operator, new Date(now + 1_000), now);
    expect(cache.get('h', now + 999)).toEqual(operator);
    expect(cache.get('h', now + 1_000)).toBeUndefined();
  });

  it('a lookup that began before an invalidation does not cache what it read', () => {
    const cache = new SessionCache();
    cache.setLive(true);
    const ticket = cache.ticket();
    cache.onNotification(String(operator.id));
    cache.set(ticket, 'h', operator, new Date(Date.now() + 60_000));
    expect(cache.get('h')).toBeUndefined();
    cache.set(cache.ticket(), 'h', operator, new Date(Date.now() + 60_000));
    expect(cache.get('h')).toEqual(operator);
    cache.onNotification('*');
    expect(cache.get('h')).toBeUndefined();
  });

  it('an entry is read again after maxAgeMs even when no notification came', () => {
    const cache = new SessionCache({ maxAgeMs: 100 });
    cache.setLive(true);
    const now = Date.now();
    cache.set(cache.ticket(), 'h', operator, new Date(now + 60_000), now);
    expect(cache.get('h', now + 100)).toEqual(operator);
    expect(cache.get('h', now + 101)).toBeUndefined();
  });
});

async function pollUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const tokenOf = (s: Session) => decodeURIComponent(s.cookie.split('; ').find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split('=')[1]!);

/** The same cookie presented to another instance (the load balancer may send any request anywhere). */
function on(server: RunningServer, s: Session): Session {
  const other = new Session(server.url);
  other.cookie = s.cookie;
  other.csrf = s.csrf;
  return other;
}

const status = async (s: Session) => (await s.json('/api/auth/me')).status;

for (const engineName of ['pglite', 'postgres'] as const) {
  const engine = engines.find((e) => e.name === engineName);
  describe.skipIf(!engine)(`session invalidation [${engineName}]${engine ? '' : ' (skipped: set TEST_DATABASE_URL to run it on PostgreSQL)'}`, () => {
    let a: TestServer;
    /** A second instance on the same database: on PGlite one process owns the database, so it is `a` again. */
    let b: RunningServer;
    /** Changes made outside opsroom, as psql or another service would. */
    let sqlOutside: (text: string, params?: unknown[]) => Promise<void>;
    let outside: pg.Client | undefined;

    beforeAll(async () => {
      a = await bootTestServer(engine!);
      if (a.databaseUrl) {
        b = await startServer({ config: a.ctx.config, logger: createLogger({ level: 'silent' }), devKeyFile: path.join(os.tmpdir(), 'opsroom-test-unused.key') });
        outside = new pg.Client({ connectionString: a.databaseUrl });
        await outside.connect();
        sqlOutside = async (text, params) => void (await outside!.query(text, params));
      } else {
        b = a;
        sqlOutside = async (text, params) => void (await a.ctx.database.pglite!.query(text, params));
      }
    });
    afterAll(async () => {
      await outside?.end();
      if (b !== a) await b?.close();
      await a?.close();
    });

    /** Signed in on `a`, and the session read (so cached) on both instances. */
    async function cachedEverywhere(role: 'admin' | 'support' = 'admin') {
      const { session, creds } = await signIn(a, role);
      const there = on(b, session);
      const hash = sha256(tokenOf(session));
      // A read caches the session unless an invalidation arrived while it ran (any notification,
      // such as one of an earlier test's, can be that late on a busy machine): then the next read does.
      await pollUntil('both instances to cache the session', async () => {
        expect(await status(session)).toBe(200);
        expect(await status(there)).toBe(200);
        return !!a.ctx.sessionCache!.get(hash) && !!b.ctx.sessionCache!.get(hash);
      });
      expect(a.ctx.sessionCache!.get(hash)).toMatchObject({ id: creds.id });
      expect(b.ctx.sessionCache!.get(hash)).toMatchObject({ id: creds.id });
      return { session, there, creds, hash };
    }

    it('a checked session is kept in memory on every instance', async () => {
      expect(a.ctx.sessionCache!.isLive).toBe(true);
      expect(b.ctx.sessionCache!.isLive).toBe(true);
      await cachedEverywhere();
    });

    it('logout on one instance ends the session on the other', async () => {
      const { session, there } = await cachedEverywhere();
      expect((await session.json('/api/auth/logout', { method: 'POST' })).status).toBe(204);
      const stale = on(a, there);
      expect(await status(stale)).toBe(401);
      await pollUntil('the other instance to refuse the logged-out session', async () => (await status(there)) === 401);
    });

    it('a role change through the generic PUT on users ends access at once here and on the other instance', async () => {
      const { session, there, creds } = await cachedEverywhere('support');
      const { session: admin } = await signIn(a, 'admin');
      const put = await admin.json(`/api/users/${creds.id}`, { method: 'PUT', body: JSON.stringify({ role: 'member' }) });
      expect(put.status).toBe(200);
      expect(await status(session)).toBe(401);
      await pollUntil('the other instance to refuse the demoted operator', async () => (await status(there)) === 401);
    });

    it('a ban, a demotion or a session deletion made outside opsroom reaches every instance', async () => {
      for (const change of [
        (id: number) => sqlOutside('UPDATE users SET banned = true WHERE id = $1', [id]),
        (id: number) => sqlOutside("UPDATE users SET role = 'member' WHERE id = $1", [id]),
        (id: number) => sqlOutside('DELETE FROM operator_sessions WHERE user_id = $1', [id]),
        (id: number) => sqlOutside("UPDATE operator_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [id]),
      ]) {
        const { session, there, creds } = await cachedEverywhere();
        await change(creds.id);
        await pollUntil('this instance to refuse the session', async () => (await status(session)) === 401);
        await pollUntil('the other instance to refuse the session', async () => (await status(there)) === 401);
      }
    });

    it("the app writing its own sessions table leaves the console's cached sessions alone", async () => {
      const kept = await cachedEverywhere();
      const marker = await cachedEverywhere('support');
      await sqlOutside(`INSERT INTO sessions (token, user_id, expires_at) VALUES ('app-token-${kept.creds.id}', $1, now() + interval '1 day')`, [kept.creds.id]);
      await sqlOutside('DELETE FROM sessions WHERE user_id = $1', [kept.creds.id]);
      // Notifications arrive in commit order: once the marker's has dropped its entry, one for the
      // app's delete would already have dropped the first operator's.
      await sqlOutside('DELETE FROM operator_sessions WHERE user_id = $1', [marker.creds.id]);
      await pollUntil('both instances to hear the marker', async () => !a.ctx.sessionCache!.get(marker.hash) && !b.ctx.sessionCache!.get(marker.hash));
      expect(a.ctx.sessionCache!.get(kept.hash)).toMatchObject({ id: kept.creds.id });
      expect(b.ctx.sessionCache!.get(kept.hash)).toMatchObject({ id: kept.creds.id });
    });

    it.skipIf(engineName !== 'postgres')(`losing the notification connection empties the cache, and it listens again${engineName === 'postgres' ? '' : ' (skipped: PGlite listens on its own client, there is no connection to lose)'}`, async () => {
      const { session, hash } = await cachedEverywhere();
      const listeners = async () =>
        (await outside!.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'opsroom-sessions' AND datname = current_database()")).rows.map((r) => r.pid);
      const before = await listeners();
      expect(before).toHaveLength(2);
      await sqlOutside('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1)', [before]);
      await pollUntil('both instances to listen again', async () => {
        const now = await listeners();
        return now.length === 2 && now.every((pid) => !before.includes(pid)) && a.ctx.sessionCache!.isLive && b.ctx.sessionCache!.isLive;
      });
      expect(a.ctx.sessionCache!.get(hash)).toBeUndefined();
      expect(b.ctx.sessionCache!.get(hash)).toBeUndefined();
      expect(await status(session)).toBe(200);
      await sqlOutside('UPDATE users SET banned = true WHERE id = (SELECT user_id FROM operator_sessions WHERE token = $1)', [hash]);
      await pollUntil('the reconnected instances to hear the ban', async () => (await status(session)) === 401 && (await status(on(b, session))) === 401);
    });
  });
}
