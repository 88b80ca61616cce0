#!/usr/bin/env tsx
/**
 * One checkout's server as `npm run bench:console` measures it: an in-memory PGlite with the demo
 * data, the built console, an admin to sign in with. `bootConsole(root)` imports the server from the
 * checkout at `root`, so `--compare` runs another commit's code; run as a script (`--root <dir>`),
 * it prints one JSON line (url, email, password) and serves until killed.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';

type ServerModule = typeof import('../../server/src/server');
type LoggerModule = typeof import('../../server/src/logger');
type MigrateModule = typeof import('../../server/src/db/migrate');
type OperatorsModule = typeof import('../../server/test/support/operators');
type TestServer = import('../../server/test/support/testServer').TestServer;

export interface BenchConsole {
  server: TestServer;
  admin: { email: string; password: string };
  close(): Promise<void>;
}

const from = <M>(root: string, file: string): Promise<M> => import(pathToFileURL(path.join(root, file)).href) as Promise<M>;

export async function bootConsole(root: string): Promise<BenchConsole> {
  const [{ startServer }, { createLogger }, { DEFAULT_LIMITS }, { createOperator }] = await Promise.all([
    from<ServerModule>(root, 'server/src/server.ts'),
    from<LoggerModule>(root, 'server/src/logger.ts'),
    from<MigrateModule>(root, 'server/src/db/migrate.ts'),
    from<OperatorsModule>(root, 'server/test/support/operators.ts'),
  ]);
  const running = await startServer({
    config: {
      environment: 'test',
      production: false,
      port: 0,
      host: '127.0.0.1',
      database: { driver: 'pglite', dir: 'memory://' },
      encryptionKey: Buffer.alloc(32, 7).toString('base64'),
      sessionSecret: 'bench-console-session-secret',
      exactCountLimit: 10_000,
      trustProxy: ['loopback'],
      allowInsecureHttp: false,
      migrations: { onStart: true, lockTimeoutMs: DEFAULT_LIMITS.lockTimeoutMs, statementTimeoutMs: DEFAULT_LIMITS.statementTimeoutMs },
    },
    demo: true,
    console: true,
    logger: createLogger({ level: 'silent' }),
    devKeyFile: path.join(os.tmpdir(), 'opsroom-bench-console.key'),
  });
  const server = { ...running, engine: 'pglite' } as TestServer;
  const admin = await createOperator(server, 'admin');
  return { server, admin, close: () => running.close() };
}

/** Signs `context` in through the console's own form, as an operator would; returns the open console. */
export async function signInByForm(context: BrowserContext, url: string, admin: BenchConsole['admin']): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('admin operator').first().waitFor({ timeout: 30_000 });
  return page;
}

async function main() {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  if (!values.root) throw new Error('--root <checkout> is required');
  const booted = await bootConsole(path.resolve(values.root));
  console.log(JSON.stringify({ url: booted.server.url, email: booted.admin.email, password: booted.admin.password }));
  const stop = () => void booted.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
