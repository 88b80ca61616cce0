import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Logger } from '../logger';
import type { SessionCache } from './sessionCache';

/** The channel the triggers of migrations 0007_session_invalidation and 0013_operator_sessions notify. */
export const SESSION_CHANNEL = 'opsroom_sessions';
const TRIGGERS = ['operator_sessions_changed_notify', 'operator_sessions_truncated_notify', 'users_access_changed_notify'];
const TRIGGER_CHECK = `SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = ANY($1) AND NOT tgisinternal`;

export type SessionEventSource =
  | { kind: 'pglite'; client: PGlite }
  | { kind: 'pg'; url: string; ssl?: pg.ClientConfig['ssl'] }
  /** Behind a transaction pooler or on Neon's driver: LISTEN cannot be relied on, so no cache. */
  | { kind: 'none'; reason: string };

export interface SessionEvents {
  close(): Promise<void>;
}

const PING_MS = 10_000;
const RETRY_MS = 1_000;

/**
 * Keeps `cache` live while this process hears the database's session notifications. A database
 * without the triggers (an adopted one whose users table opsroom may not alter) leaves it off.
 */
export async function listenForSessionChanges(source: SessionEventSource, cache: SessionCache, logger: Logger): Promise<SessionEvents> {
  if (source.kind === 'none') {
    logger.info({ reason: source.reason }, 'session cache off');
    return { close: async () => {} };
  }
  if (source.kind === 'pglite') {
    const { rows } = await source.client.query<{ n: number }>(TRIGGER_CHECK, [TRIGGERS]);
    if (rows[0]!.n < TRIGGERS.length) return off(logger);
    // One process owns an embedded database, so its NOTIFY arrives on this same client.
    const unlisten = await source.client.listen(SESSION_CHANNEL, (payload) => cache.onNotification(payload));
    cache.setLive(true);
    return {
      close: async () => {
        cache.setLive(false);
        await unlisten().catch(() => {});
      },
    };
  }
  return listenOverPg(source, cache, logger);
}

function off(logger: Logger): SessionEvents {
  logger.warn('session cache off: the session triggers are missing from this database');
  return { close: async () => {} };
}

/**
 * A dedicated connection (LISTEN belongs to one session, a pool would hand it around). When it
 * errors, ends or stops answering the ping, the cache goes off and empty until a new connection
 * is listening again.
 */
async function listenOverPg(source: { url: string; ssl?: pg.ClientConfig['ssl'] }, cache: SessionCache, logger: Logger): Promise<SessionEvents> {
  let closed = false;
  let client: pg.Client | undefined;
  let ping: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;

  const lost = (why: string) => {
    if (closed || !client) return;
    cache.setLive(false);
    clearInterval(ping);
    const dead = client;
    client = undefined;
    dead.end().catch(() => {});
    logger.warn({ why }, 'session notifications lost; sessions are read from the database until they are back');
    retry = setTimeout(() => void connect().catch((err) => retryLater((err as Error).message)), RETRY_MS);
  };
  const retryLater = (why: string) => {
    if (closed) return;
    logger.warn({ why }, 'session notifications: reconnect failed');
    retry = setTimeout(() => void connect().catch((err) => retryLater((err as Error).message)), RETRY_MS * 5);
  };

  // node-postgres on use: an embedded start never needs it.
  const { default: pgModule } = await import('pg');
  const connect = async (): Promise<boolean> => {
    const c = new pgModule.Client({ connectionString: source.url, ssl: source.ssl, keepAlive: true, query_timeout: 5_000, application_name: 'opsroom-sessions' });
    c.on('error', (err) => lost(err.message));
    c.on('end', () => lost('connection ended'));
    c.on('notification', (msg) => {
      if (msg.channel === SESSION_CHANNEL) cache.onNotification(msg.payload);
    });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: number }>(TRIGGER_CHECK, [TRIGGERS]);
      if (rows[0]!.n < TRIGGERS.length) {
        await c.end();
        return false;
      }
      await c.query(`LISTEN ${SESSION_CHANNEL}`);
    } catch (err) {
      await c.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await c.end();
      return true;
    }
    client = c;
    cache.setLive(true);
    ping = setInterval(() => {
      c.query('SELECT 1').catch((err: Error) => lost(err.message));
    }, PING_MS);
    ping.unref();
    return true;
  };

  if (!(await connect())) return off(logger);
  return {
    close: async () => {
      closed = true;
      cache.setLive(false);
      clearInterval(ping);
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
