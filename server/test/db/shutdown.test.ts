import { rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PGLITE_EXTENSIONS } from '../../src/db/client';
import { startUntilReady, tempDir, withCliDatabase } from '../support/cli';
import { engines } from '../support/engines';

const cwd = tempDir('opsroom-start-');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Starts `npm start`'s entry point, waits for it to serve, sends SIGTERM and returns how it ended. */
async function startThenTerminate(env: Record<string, string>) {
  const app = await startUntilReady(env, { cwd });
  try {
    app.kill('SIGTERM');
    return await app.exited;
  } finally {
    if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
  }
}

describe('npm start on the embedded database', () => {
  it('serves, then on SIGTERM exits 0 and leaves a data folder that opens again with its data', async () => {
    const dataDir = path.join(cwd, 'pglite');
    const result = await startThenTerminate({ PGLITE_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('SIGTERM received');
    expect(result.stderr).toBe('');

    const reopened = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    try {
      const { rows } = await reopened.query<{ n: number }>('select count(*)::int as n from credits');
      expect(rows[0]!.n).toBe(300);
    } finally {
      await reopened.close();
    }
  });
});

const postgres = engines.find((e) => e.name === 'postgres');
if (postgres) {
  describe('npm start on PostgreSQL', () => {
    it('serves, then on SIGTERM exits 0 and leaves no connection open', async () => {
      await withCliDatabase(postgres, async (env) => {
        const result = await startThenTerminate(env);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain('SIGTERM received');

        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'opsroom%'",
          );
          expect(rows[0]!.n).toBe(0);
        } finally {
          await client.end();
        }
      });
    });
  });
}
