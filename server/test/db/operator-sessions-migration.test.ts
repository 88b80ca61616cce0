import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/auth/sessions';
import { sha256 } from '../../src/crypto/secretBox';
import { openPglite, queryRows } from '../../src/db/client';
import { MIGRATIONS_FOLDER, runMigrations, type MigrationTarget } from '../../src/db/migrate';
import { engines, type Engine } from '../support/engines';
import { Session } from '../support/operators';
import { bootTestServer } from '../support/testServer';

const MOVE = '0013_operator_sessions';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'opsroom-opsessions-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The project's migrations as the release before the move shipped them: everything before 0013. */
function migrationsBeforeMove(): string {
  const dir = mkdtempSync(path.join(scratch, 'drizzle-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === MOVE);
  expect(at, `${MOVE} is in the journal`).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

type Query = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** An engine whose "fresh" database is one already migrated to the release before the move and given rows by `fill`. */
async function preparedEngine(engine: Engine, fill: (q: Query) => Promise<void>): Promise<Engine> {
  const folder = migrationsBeforeMove();
  if (engine.name === 'pglite') {
    const dir = mkdtempSync(path.join(scratch, 'pglite-'));
    const client = await openPglite(dir);
    try {
      await runMigrations({ kind: 'pglite', client } satisfies MigrationTarget, { migrationsFolder: folder });
      await fill((text, params) => client.query(text, params));
    } finally {
      await client.close();
    }
    return { name: 'pglite', create: async () => ({ config: { driver: 'pglite', dir }, drop: async () => {} }) };
  }
  const created = await engine.create();
  await runMigrations({ kind: 'pg', url: created.url! }, { migrationsFolder: folder });
  const c = new pg.Client({ connectionString: created.url });
  await c.connect();
  try {
    await fill((text, params) => c.query(text, params));
  } finally {
    await c.end();
  }
  return { name: 'postgres', create: async () => created };
}

for (const engine of engines) {
  describe(`moving console sign-ins to operator_sessions [${engine.name}]`, () => {
    it("an operator signed in before the upgrade stays signed in after it; the app's own sessions stay in sessions", async () => {
      const consoleToken = randomBytes(32).toString('base64url');
      // A member's hex token is the app's, whatever it looks like: only staff rows are the console's.
      const memberHexToken = sha256('app-token-of-a-member');
      const appTokenOfAdmin = 'better-auth-8f1c2d3e4b5a69788796a5b4c3d2e1f0';
      const prepared = await preparedEngine(engine, async (q) => {
        const { rows } = await q(`INSERT INTO users (email, role) VALUES ('ops@before.test', 'admin'), ('member@before.test', 'member') RETURNING id`);
        const [admin, member] = rows.map((r) => Number(r.id));
        await q(
          `INSERT INTO sessions (token, user_id, expires_at, ip, user_agent) VALUES
             ($1, $2, now() + interval '1 hour', '203.0.113.9', 'console'),
             ($3, $2, now() + interval '1 hour', null, 'app'),
             ($4, $5, now() + interval '1 hour', null, 'app')`,
          [sha256(consoleToken), admin, appTokenOfAdmin, memberHexToken, member],
        );
      });

      const server = await bootTestServer(prepared);
      try {
        const op = new Session(server.url);
        op.cookie = `${SESSION_COOKIE}=${encodeURIComponent(consoleToken)}`;
        const me = await op.json('/api/auth/me');
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ email: 'ops@before.test', role: 'admin' });

        const q = (text: string) => queryRows<Record<string, unknown>>(server.ctx.database.db, sql.raw(text));
        const moved = await q(`SELECT token, ip, user_agent FROM operator_sessions`);
        expect(moved).toEqual([{ token: sha256(consoleToken), ip: '203.0.113.9', user_agent: 'console' }]);
        const kept = (await q(`SELECT token FROM sessions ORDER BY token`)).map((r) => r.token);
        expect(kept).toEqual([appTokenOfAdmin, memberHexToken].sort());

        // Signing out ends the moved session; the app's sessions of the same user are not opsroom's to end.
        op.csrf = me.body.csrfToken as string;
        expect((await op.json('/api/auth/logout', { method: 'POST' })).status).toBe(204);
        expect((await op.json('/api/auth/me')).status).toBe(401);
        expect((await q(`SELECT count(*)::int AS n FROM operator_sessions`))[0]!.n).toBe(0);
        expect((await q(`SELECT count(*)::int AS n FROM sessions`))[0]!.n).toBe(2);
      } finally {
        await server.close();
      }
    }, 120_000);
  });
}
