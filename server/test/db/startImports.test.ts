import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startUntilReady, tempDir, withCliDatabase } from '../support/cli';
import { engines } from '../support/engines';

const cwd = tempDir('opsroom-start-imports-');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

// What a configuration that does not use them must never load at boot: the other database
// drivers, and the libraries of features that load on first use (passkeys) or with their
// configuration (single sign-on). Each cost every start CPU time when it was imported at the top.
const DRIVERS = ['pg', 'mysql2', '@neondatabase/serverless', 'ws'];
const ON_USE = ['@simplewebauthn/server', 'openid-client'];
const SSO_ENV = {
  OIDC_ISSUER: 'http://127.0.0.1:9/',
  OIDC_CLIENT_ID: 'opsroom',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_ALLOWED_DOMAINS: 'example.com',
  OIDC_ROLE_MAP: 'ops=admin',
};

/**
 * `npm start`'s command (`node scripts/start.mjs`) with a loader hook recording every module it
 * resolves; returns the packages among them once /readyz has answered.
 */
async function packagesLoadedByStart(env: Record<string, string>): Promise<Set<string>> {
  const record = path.join(tempDir('opsroom-imports-'), 'imports.txt');
  const recorder = pathToFileURL(path.join(ROOT, 'server/test/support/recordImports.mjs')).href;
  const app = await startUntilReady({ ...env, OPSROOM_RECORD_IMPORTS: record }, { cwd, node: ['--import', recorder], timeoutMs: 120_000 });
  try {
    const packages = new Set<string>();
    for (const line of readFileSync(record, 'utf8').split('\n')) {
      const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(line);
      // PGlite counts by its entry: the extension modules (contrib/, and the helper chunk they
      // share) only name a bundle to load, and db/client.ts imports pg_trgm's on every start.
      if (m && !(m[1] === '@electric-sql/pglite' && m[2] !== 'dist/index.js')) packages.add(m[1]!);
    }
    return packages;
  } finally {
    app.kill('SIGTERM');
    await app.exited;
    rmSync(path.dirname(record), { recursive: true, force: true });
  }
}

describe('npm start loads only what its configuration uses', () => {
  const dataDir = path.join(cwd, 'pglite');

  it('on the embedded database: PGlite, and no other driver, WebAuthn or OpenID Connect library', async () => {
    const loaded = await packagesLoadedByStart({ PGLITE_DIR: dataDir });
    // The recorder saw the server's own packages, so an absence below means something.
    expect(loaded).toContain('express');
    expect(loaded).toContain('@electric-sql/pglite');
    for (const name of [...DRIVERS, ...ON_USE]) expect(loaded, name).not.toContain(name);
  }, 300_000);

  it('with single sign-on configured: its library is loaded before the server answers', async () => {
    const loaded = await packagesLoadedByStart({ PGLITE_DIR: dataDir, ...SSO_ENV });
    expect(loaded).toContain('openid-client');
    expect(loaded).not.toContain('@simplewebauthn/server');
  }, 300_000);

});

// Without TEST_DATABASE_URL, support/engines prints that the PostgreSQL runs are left out.
const postgres = engines.find((e) => e.name === 'postgres');
if (postgres) {
  describe('npm start on PostgreSQL loads only its driver', () => {
    it('node-postgres, and neither PGlite nor the other drivers', async () => {
      await withCliDatabase(postgres, async (env) => {
        const loaded = await packagesLoadedByStart(env);
        expect(loaded).toContain('pg');
        for (const name of ['@electric-sql/pglite', 'mysql2', '@neondatabase/serverless', 'ws', ...ON_USE]) expect(loaded, name).not.toContain(name);
      });
    }, 300_000);
  });
}
