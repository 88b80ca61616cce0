import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/test/support/cli';

// Refusals that come before any connection, so they need no database: the URL is never dialled.
const migrate = (env: Record<string, string>) => runCli('scripts/db-migrate.ts', [], { env });
const POOLER_MESSAGE = 'db:migrate: DATABASE_URL points at a transaction pooler (DB_POOLER, port 6543 or a Neon -pooler host): run migrations over the direct connection string.\n';

describe('npm run db:migrate refuses what would break it, naming the fix', () => {
  it('a Neon pooled host (ep-…-pooler.…) and a :6543 pooler are refused: migrations need the direct URL', async () => {
    const [neon, supavisor] = await Promise.all([
      migrate({ DATABASE_URL: 'postgresql://opsroom:pw@ep-cool-name-123456-pooler.us-east-2.aws.neon.tech/opsroom?sslmode=require' }),
      migrate({ DATABASE_URL: 'postgres://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres' }),
    ]);
    expect([neon.code, neon.stderr]).toEqual([1, POOLER_MESSAGE]);
    expect([supavisor.code, supavisor.stderr]).toEqual([1, POOLER_MESSAGE]);
  });

  it('an app role on the embedded database, half an app role, or a short app password is refused', async () => {
    const [embedded, half, short] = await Promise.all([
      migrate({ PGLITE_DIR: '/nonexistent/never-opened', OPSROOM_APP_DB_USER: 'opsroom_app', OPSROOM_APP_DB_PASSWORD: 'x'.repeat(24) }),
      migrate({ DATABASE_URL: 'postgres://owner@127.0.0.1:9/opsroom', OPSROOM_APP_DB_PASSWORD: 'x'.repeat(24) }),
      migrate({ DATABASE_URL: 'postgres://owner@127.0.0.1:9/opsroom', OPSROOM_APP_DB_USER: 'opsroom_app', OPSROOM_APP_DB_PASSWORD: 'short' }),
    ]);
    expect([embedded.code, embedded.stderr]).toEqual([1, 'db:migrate: OPSROOM_APP_DB_USER needs DATABASE_URL: the embedded database has a single user.\n']);
    expect([half.code, half.stderr]).toEqual([1, "db:migrate: OPSROOM_APP_DB_PASSWORD is set but OPSROOM_APP_DB_USER is not: set both (the app role's name and password) or neither.\n"]);
    expect([short.code, short.stderr]).toEqual([1, 'db:migrate: OPSROOM_APP_DB_PASSWORD must be at least 16 characters.\n']);
  });
});
