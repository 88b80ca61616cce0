import { engines } from '../../../server/test/support/engines';
import { bootTestServer, type TestServer } from '../../../server/test/support/testServer';

/**
 * The real server with demo data, serving the console (built first when missing or stale). The
 * browser tests run on one engine: real PostgreSQL when TEST_DATABASE_URL is set (CI), PGlite otherwise.
 */
export function bootConsoleServer(): Promise<TestServer> {
  return bootTestServer(engines[engines.length - 1]!, { demo: true, console: true });
}
