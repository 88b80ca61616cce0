import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/client';
import { cliDatabase, pollFor, runCli, startCli } from '../support/cli';
import { engines } from '../support/engines';
import { Session } from '../support/operators';
import { TEST_ENCRYPTION_KEY } from '../support/testServer';
import { reportFigures } from './support';

const IN_FLIGHT = 6;

/**
 * A POST whose headers the server has parsed (it answered `100 Continue`) but whose body is not
 * sent yet: a request the server is provably in the middle of when SIGTERM arrives.
 */
function startSlowPost(url: string, cookie: string, csrf: string, body: string) {
  const target = new URL('/api/waitlist', url);
  const req = http.request(target, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie, 'x-csrf-token': csrf, expect: '100-continue' },
  });
  const continued = new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve());
    req.once('error', reject);
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
  });
  return { continued, response, finish: () => req.end(body) };
}

for (const engine of engines) {
  describe(`graceful shutdown [${engine.name}]`, () => {
    it('SIGTERM during in-flight requests: they finish, new connections are refused, the pool closes, exit 0', async () => {
      const db = await cliDatabase(engine);
      const email = `shutdown-${randomBytes(3).toString('hex')}@ops.test`;
      const password = randomBytes(12).toString('base64url');
      const env = { ...db.env, OPSROOM_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SESSION_SECRET: 'test-session-secret', LOG_LEVEL: 'warn' };
      try {
        const created = await runCli('scripts/admin-create.ts', ['--email', email], { env: { ...env, OPSROOM_ADMIN_PASSWORD: password } });
        expect(created.code, created.stderr).toBe(0);

        const child = startCli('server/src/main.ts', [], { env: { ...env, PORT: '0', HOST: '127.0.0.1' } });
        const url = await pollFor(() => /opsroom listening on (\S+)/.exec(child.output.stdout)?.[1], 'the server to listen', 120_000).catch((err: Error) => {
          child.kill('SIGKILL');
          throw new Error(`${err.message} (stdout: ${child.output.stdout} stderr: ${child.output.stderr})`);
        });
        const session = new Session(url);
        expect((await session.login(email, password)).status).toBe(200);

        // Requests in the middle of being served: headers in, bodies still to come.
        const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) => startSlowPost(url, session.cookie, session.csrf, JSON.stringify({ email: `in-flight-${i}@example.com`, source: 'shutdown' })));
        await Promise.all(inFlight.map((r) => r.continued));

        const signalled = Date.now();
        child.kill('SIGTERM');
        await pollFor(() => (child.output.stdout.includes('SIGTERM received') ? true : undefined), 'the server to start shutting down');
        // New connections are refused once the listener is closed.
        const refused = await pollFor(async () => {
          try {
            await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
            return undefined;
          } catch (err) {
            return (err as { cause?: { code?: string } }).cause?.code;
          }
        }, 'new connections to be refused');
        expect(await refused).toBe('ECONNREFUSED');

        // The in-flight requests still complete, and are acknowledged.
        for (const r of inFlight) r.finish();
        const answers = await Promise.all(inFlight.map((r) => r.response));
        expect(answers.map((a) => a.status)).toEqual(Array(IN_FLIGHT).fill(201));

        const exit = await child.exited;
        const exitMs = Date.now() - signalled;
        expect(exit.code, exit.stderr).toBe(0);
        expect(exit.stderr).toBe('');

        // What was acknowledged is in the database (and the pool let go of it: the data folder
        // opens again, the database has no sessions left from the server).
        const stored = await storedEmails(engine.name, db.env);
        for (let i = 0; i < IN_FLIGHT; i++) expect(stored).toContain(`in-flight-${i}@example.com`);
        reportFigures(`graceful shutdown [${engine.name}]`, { inFlight: IN_FLIGHT, completed: answers.filter((a) => a.status === 201).length, exitCode: exit.code ?? 'signal', msToExit: exitMs });
      } finally {
        await db.drop();
      }
    }, 240_000);
  });
}

async function storedEmails(engine: string, env: Record<string, string>): Promise<string[]> {
  if (engine === 'pglite') {
    const client = await openPglite(env.PGLITE_DIR!);
    try {
      return (await client.query<{ email: string }>(`select email from waitlist where source = 'shutdown'`)).rows.map((r) => r.email);
    } finally {
      await client.close();
    }
  }
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const left = await client.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'opsroom'`);
    expect(left.rows[0].n).toBe(0);
    return (await client.query<{ email: string }>(`select email from waitlist where source = 'shutdown'`)).rows.map((r) => r.email);
  } finally {
    await client.end();
  }
}

