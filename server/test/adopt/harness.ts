import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/adopt/mapping';
import type { DatabaseConfig } from '../../src/config/env';
import { queryRows } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { runCli, tempDir } from '../support/cli';
import { engines, type Engine } from '../support/engines';
import { Session } from '../support/operators';
import { testConfig } from '../support/testServer';
import { catalogSnapshot, fixtureDatabase, withConnection } from './support';

export interface AdoptedSystem {
  engine: Engine['name'];
  server: RunningServer;
  mapping: Mapping;
  /** An admin operator signed in to the adopted server. */
  session: Session;
  /** Output of `npm run adopt`. */
  adoptOutput: string;
  /** Runs SQL on the adopted database through the server's own connection. */
  query<T = Record<string, unknown>>(text: ReturnType<typeof sql>): Promise<T[]>;
  /** The CLI environment of this database, plus OPSROOM_ADOPT. */
  env: Record<string, string>;
  cwd: string;
}

function databaseConfig(env: Record<string, string>): DatabaseConfig {
  if (env.PGLITE_DIR) return { driver: 'pglite', dir: env.PGLITE_DIR };
  return { driver: 'pg', url: env.DATABASE_URL!, pooler: false, pool: { max: 5, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10000 } };
}

const PASSWORD = 'adopted-operator-password';

/**
 * For each engine: the seed system's tables in a fresh database, `npm run adopt` and
 * `npm run admin:create` as child processes, then the real server on the mapping. The last test of
 * each block compares the app's catalog with the snapshot taken before opsroom ever connected.
 */
export function describeAdoptedSystem(
  name: string,
  fixture: string,
  body: (system: () => AdoptedSystem) => void,
  opts: { console?: boolean; oneEngine?: boolean } = {},
) {
  // One engine for browser tests, as the console's own: Postgres when TEST_DATABASE_URL is set.
  for (const engine of opts.oneEngine ? engines.slice(-1) : engines) {
    describe(`${name} [${engine.name}]`, () => {
      let system: AdoptedSystem | undefined;
      let before = '';
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const database = await fixtureDatabase(engine, fixture);
        drop = database.drop;
        before = await withConnection(database.env, catalogSnapshot);
        const cwd = tempDir('opsroom-adopt-');
        const adopted = await runCli('scripts/adopt.ts', [], { cwd, env: database.env });
        if (adopted.code !== 0) throw new Error(`npm run adopt failed: ${adopted.stderr}`);
        const file = path.join(cwd, 'opsroom.adopt.json');
        const env = { ...database.env, OPSROOM_ADOPT: file };
        const created = await runCli('scripts/admin-create.ts', ['--email', 'ops@adopted.test'], { cwd, env: { ...env, OPSROOM_ADMIN_PASSWORD: PASSWORD } });
        if (created.code !== 0) throw new Error(`admin:create failed: ${created.stderr}`);
        const server = await startServer({
          config: testConfig(databaseConfig(database.env), { adoptFile: file }),
          logger: createLogger({ level: 'silent' }),
          console: opts.console,
          devKeyFile: path.join(os.tmpdir(), 'opsroom-test-unused.key'),
        });
        const session = new Session(server.url);
        const login = await session.login('ops@adopted.test', PASSWORD);
        if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
        system = {
          engine: engine.name,
          server,
          mapping: JSON.parse(readFileSync(file, 'utf8')) as Mapping,
          session,
          adoptOutput: adopted.stdout,
          query: (q) => queryRows(server.ctx.database.db, q),
          env,
          cwd,
        };
        // Four cold starts (fixture, adopt, admin:create, server) on a shared, busy machine.
      }, 300_000);
      afterAll(async () => {
        await system?.server.close();
        await drop?.();
        if (system) rmSync(system.cwd, { recursive: true, force: true });
      });

      body(() => {
        if (!system) throw new Error('the adopted server did not start');
        return system;
      });

      it("leaves the app's schema byte-identical (tables, columns, indexes, constraints, triggers)", async () => {
        const s = system!;
        const after = await catalogSnapshot((text) => s.query(sql.raw(text)));
        expect(after).toBe(before);
        // opsroom's own state is all in its schema.
        const [own] = await s.query<{ n: number }>(sql`select count(*)::int as n from pg_tables where schemaname = 'opsroom'`);
        expect(own!.n).toBeGreaterThanOrEqual(5);
      });
    });
  }
}
