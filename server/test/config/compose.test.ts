import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../../src/config/env';
import { ROOT } from '../support/cli';

// Docker is not on every machine that runs the tests: check compose.yaml against the code that
// will read it instead.
type Service = { image?: string; build?: unknown; environment: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown };
const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };
const { db, app } = compose.services as { db: Service; app: Service };

/** Compose's `${NAME:?message}`: required from the shell, so the test supplies a value. */
function interpolate(env: Record<string, string>, shell: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) => shell[name] ?? '')]),
  );
}

describe('compose.yaml', () => {
  it('runs PostgreSQL 16 and starts the app, built from the Dockerfile, once the database is healthy', () => {
    expect(db.image).toMatch(/^postgres:16(\b|$)/);
    expect(db.healthcheck).toBeDefined();
    expect(app.build).toBe('.');
    expect(app.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });

  it("gives the app an environment the production config accepts, pointing at the db service's credentials", () => {
    const env = interpolate(app.environment, { OPSROOM_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), SESSION_SECRET: 'secret' });
    const config = readConfig({ NODE_ENV: 'production', ...env });
    expect(config.database).toMatchObject({ driver: 'pg', ssl: undefined });
    const url = new URL(env.DATABASE_URL!);
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(db.environment.POSTGRES_USER);
    expect(url.password).toBe(db.environment.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.environment.POSTGRES_DB}`);
    expect(url.searchParams.get('sslmode')).toBe('disable');
  });

  it('requires the two secrets from the shell instead of shipping defaults', () => {
    expect(app.environment.OPSROOM_ENCRYPTION_KEY).toMatch(/^\$\{OPSROOM_ENCRYPTION_KEY:\?/);
    expect(app.environment.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
  });
});
