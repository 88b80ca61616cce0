import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config/env';
import { userBadges, xpTransactions } from '../../src/db/schema';
import { cliDatabase, runCli, tempDir } from '../support/cli';
import { engines } from '../support/engines';
import { createOperator, Session } from '../support/operators';
import { bootTestServer, type TestServer } from '../support/testServer';
import { describe } from 'vitest';

/**
 * An operator's own badge, and the awards of it, survive a restart and `npm run db:seed` (the real
 * CLI, as a child process): the catalogue sync only ever removes ids the catalogue retired.
 */
for (const engine of engines) {
  describe(`operator badges survive restarts and db:seed [${engine.name}]`, () => {
    it('a badge created in the console and its award outlive a restart and two seeds', async () => {
      const database = await cliDatabase(engine);
      const config: DatabaseConfig = database.env.PGLITE_DIR
        ? { driver: 'pglite', dir: database.env.PGLITE_DIR }
        : { driver: 'pg', url: database.env.DATABASE_URL!, pooler: false, pool: { max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10000 } };
      // A server on this database that outlives nothing: each boot is a fresh process' worth of state.
      const boot = () => bootTestServer({ name: engine.name, create: async () => ({ config, drop: async () => {} }) });
      let server: TestServer | undefined;
      try {
        server = await boot();
        const admin = await createOperator(server, 'admin');
        const session = new Session(server.url);
        await session.login(admin.email, admin.password);
        const badge = await session.json('/api/badges', { method: 'POST', body: JSON.stringify({ id: 'custom-badge', name: 'Custom', description: 'Ours', icon: 'star', category: 'special', xp_reward: 40 }) });
        expect(badge.status).toBe(201);
        const { body: user } = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'custom-badge@example.com', name: 'Holder' }) });
        expect((await session.json(`/api/users/${user.id}/badges`, { method: 'POST', body: JSON.stringify({ badge_id: 'custom-badge' }) })).status).toBe(200);
        await server.close();
        server = undefined;

        for (let i = 0; i < 2; i++) {
          const seeded = await runCli('scripts/db-seed.ts', [], { cwd: tempDir(), env: database.env });
          expect(seeded.code, seeded.stderr).toBe(0);
          expect(seeded.stdout).toMatch(/none removed/);
        }

        server = await boot();
        const { db } = server.ctx.database;
        const awards = await db.select().from(userBadges).where(eq(userBadges.userId, user.id));
        expect(awards.map((a) => a.badgeId)).toEqual(['custom-badge']);
        const xp = await db.select().from(xpTransactions).where(eq(xpTransactions.userId, user.id));
        expect(xp.map((x) => x.referenceId)).toEqual(['custom-badge']);
        const again = new Session(server.url);
        await again.login(admin.email, admin.password);
        expect((await again.json('/api/badges/custom-badge')).body).toMatchObject({ id: 'custom-badge', name: 'Custom', xp_reward: 40 });
      } finally {
        await server?.close();
        await database.drop();
      }
    }, 300_000);
  });
}
