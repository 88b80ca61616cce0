import type { Express } from 'express';
import { mountConsole } from '../../../server/src/http/console';
import { ensureConsoleBuilt } from '../../../server/src/http/ensureConsoleBuilt';
import { engines } from '../../../server/test/support/engines';
import { bootTestServer, type TestServer } from '../../../server/test/support/testServer';

/**
 * The real server with demo data, serving a current console build. The browser tests run on one
 * engine: real PostgreSQL when TEST_DATABASE_URL is set (CI), PGlite otherwise.
 */
export async function bootConsoleServer(): Promise<TestServer> {
  const { distDir } = await ensureConsoleBuilt({ print: () => {} });
  const server = await bootTestServer(engines[engines.length - 1]!, { demo: true });
  const res = await fetch(`${server.url}/`);
  if (!res.ok || !(await res.text()).includes('id="root"')) {
    // createApp does not mount the console yet: add it behind the API, as the app will.
    mountConsole(server.server.listeners('request')[0] as Express, { distDir });
  }
  return server;
}
