import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import type { Config, DatabaseConfig } from '../../src/config/env';
import { createLogger, type Logger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { DEFAULT_LIMITS } from '../../src/db/migrate';
import { engines, type Engine } from './engines';
import { setUpOnce } from './setUpOnce';

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export interface TestServerOptions {
  /** Seed the demo dataset (300 users…) after migrating. */
  demo?: boolean;
  config?: Partial<Config>;
  /** Where the server logs; silent by default (hardening tests capture it to scan for secrets). */
  logger?: Logger;
  /** Serve the console (built on first use) for browser tests. */
  console?: boolean;
}

export interface TestServer extends RunningServer {
  engine: Engine['name'];
  /** The Postgres URL of this file's database (real Postgres only). */
  databaseUrl?: string;
}

/** A test server's settings on `database`: loopback, a random port, the test keys; `extra` on top. */
export function testConfig(database: DatabaseConfig, extra: Partial<Config> = {}): Config {
  return {
    environment: 'test',
    production: false,
    port: 0,
    host: '127.0.0.1',
    database,
    encryptionKey: TEST_ENCRYPTION_KEY,
    sessionSecret: 'test-session-secret',
    exactCountLimit: 10_000,
    trustProxy: ['loopback'],
    allowInsecureHttp: false,
    migrations: { onStart: true, lockTimeoutMs: DEFAULT_LIMITS.lockTimeoutMs, statementTimeoutMs: DEFAULT_LIMITS.statementTimeoutMs },
    ...extra,
  };
}

/** Boots the real server on a fresh database of the given engine, on a random port. */
export async function bootTestServer(engine: Engine, opts: TestServerOptions = {}): Promise<TestServer> {
  const db = await engine.create();
  const config = testConfig(db.config, opts.config);
  const running = await startServer({
    config,
    demo: opts.demo,
    console: opts.console,
    logger: opts.logger ?? createLogger({ level: 'silent' }),
    devKeyFile: path.join(os.tmpdir(), 'opsroom-test-unused.key'),
  });
  return {
    ...running,
    engine: engine.name,
    databaseUrl: db.url,
    close: async () => {
      await running.close();
      await db.drop();
    },
  };
}

/**
 * Declares one `describe` block per engine, each with its own server booted once for the file's
 * tests in that block (PGlite's cold start is seconds; one instance per file keeps suites quick).
 * `boot` lets a suite wrap the server (e.g. capture its logs); `only` limits it to one engine. The
 * body learns its block's engine, for a test that needs a second connection (real Postgres only).
 */
export function describeEachEngine<S extends TestServer = TestServer>(
  name: string,
  body: (server: () => S, engine: Engine['name']) => void,
  opts: TestServerOptions = {},
  { boot = bootTestServer as (engine: Engine, opts: TestServerOptions) => Promise<S>, only }: { boot?: (engine: Engine, opts: TestServerOptions) => Promise<S>; only?: Engine['name'] } = {},
) {
  for (const engineName of only ? [only] : engines.map((e) => e.name)) {
    // A suite that needs real Postgres still registers its tests, skipped with the reason in its name.
    const engine = engines.find((e) => e.name === engineName);
    describe.skipIf(!engine)(`${name} [${engineName}]${engine ? '' : ' (skipped: set TEST_DATABASE_URL to run it on PostgreSQL)'}`, () => {
      body(
        setUpOnce('the test server', () => boot(engine!, opts)),
        engineName,
      );
    });
  }
}
