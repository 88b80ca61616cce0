import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { parseMapping, type Mapping } from '../../src/adopt/mapping';
import { readConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { runCli, tempDir } from './cli';
import { MYSQL_SKIP_REASON, mysqlSchemaDump, mysqlTestDatabase, TEST_MYSQL_URL, type MysqlTestDatabase } from './mysql';
import { Session } from './operators';
import { setUpOnce } from './setUpOnce';
import { TEST_ENCRYPTION_KEY } from './testServer';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../adopt/fixtures/mysql');
export const MYSQL_OPERATOR = { email: 'ops@adopted.test', password: 'adopted-operator-password' };

export interface AdoptedMysql {
  db: MysqlTestDatabase;
  /** mysqldump --no-data of the app's database before opsroom ever connected. */
  dumpBefore: string;
  mapping: Mapping;
  server: RunningServer;
  /** An admin operator signed in over HTTP. */
  session: Session;
  close(): Promise<void>;
}

/**
 * Chameleon's MySQL tables (or another fixture's) in a fresh `opsroom_my_*` database, `npm run adopt` and
 * `npm run admin:create` as child processes, then the server's one boot path on the mapping.
 */
export interface AdoptedMysqlOptions {
  /** Serve the console too (browser tests). */
  console?: boolean;
  /** A file in server/test/adopt/fixtures/mysql/; Chameleon's tables by default. */
  fixture?: string;
}

export async function adoptedMysql(opts: AdoptedMysqlOptions = {}): Promise<AdoptedMysql> {
  const db = await mysqlTestDatabase(path.join(FIXTURES, opts.fixture ?? '001_chameleon.sql'));
  const cwd = tempDir('opsroom-serve-mysql-');
  const cleanup = async (server?: RunningServer) => {
    await server?.close();
    await db.drop();
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    const dumpBefore = await mysqlSchemaDump(db);
    const file = path.join(cwd, 'opsroom.adopt.json');
    const adopted = await runCli('scripts/adopt.ts', [], { cwd, env: { DATABASE_URL: db.url } });
    if (adopted.code !== 0) throw new Error(`npm run adopt failed: ${adopted.stderr}`);
    const mapping = parseMapping(JSON.parse(readFileSync(file, 'utf8')), file);
    const env = { DATABASE_URL: db.url, OPSROOM_ADOPT: file };
    const created = await runCli('scripts/admin-create.ts', ['--email', MYSQL_OPERATOR.email], { cwd, env: { ...env, OPSROOM_ADMIN_PASSWORD: MYSQL_OPERATOR.password } });
    if (created.code !== 0) throw new Error(`admin:create failed: ${created.stderr}`);
    const config = { ...readConfig({ ...env, PORT: '0', OPSROOM_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SESSION_SECRET: 'test-session-secret' }), host: '127.0.0.1' };
    const server = await startServer({
      config,
      console: opts.console,
      logger: createLogger({ level: process.env.MYSQL_TEST_LOG ? 'error' : 'silent' }),
      devKeyFile: path.join(os.tmpdir(), 'opsroom-test-unused.key'),
    });
    const session = new Session(server.url);
    const login = await session.login(MYSQL_OPERATOR.email, MYSQL_OPERATOR.password);
    if (!login.ok) {
      await cleanup(server);
      throw new Error(`sign-in failed: ${login.status}`);
    }
    return { db, dumpBefore, mapping, server, session, close: () => cleanup(server) };
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
}

/**
 * One `describe` over one adopted MySQL/MariaDB database (`adoptedMysql(opts)`), set up once for its
 * tests and dropped after them; without TEST_MYSQL_URL its tests are skipped with the reason in the name.
 */
export function describeAdoptedMysql(name: string, opts: AdoptedMysqlOptions, body: (adopted: () => AdoptedMysql) => void) {
  describe.skipIf(!TEST_MYSQL_URL)(`${name}${MYSQL_SKIP_REASON}`, () => {
    // Four cold starts (fixture, adopt, admin:create, server) on a shared, busy machine.
    body(setUpOnce('the adopted MySQL database', () => adoptedMysql(opts), 300_000));
  });
}
