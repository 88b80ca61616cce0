import { describe, it } from 'vitest';
import { runCli } from '../support/cli';

// The two entry points a deploy runs, started as the real CLI in a temp folder with a bad environment:
// the operator sees one line that names the variable and the fix, never a stack trace. (db:seed and
// db:export share describeFailure with them; their own tests cover their own messages.)
const ENTRY_POINTS = ['server/src/main.ts', 'scripts/db-migrate.ts'];

const BAD_ENVIRONMENTS: { what: string; env: Record<string, string>; says: RegExp }[] = [
  {
    what: 'no DATABASE_URL in production',
    env: { NODE_ENV: 'production' },
    says: /DATABASE_URL is required when NODE_ENV=production: set it to postgres:\/\//,
  },
  {
    what: 'a malformed DATABASE_URL',
    env: { DATABASE_URL: 'not a url' },
    says: /DATABASE_URL is not a valid URL: expected postgres:\/\/user:password@host:5432\/database\./,
  },
  {
    what: 'a mysql:// DATABASE_URL without OPSROOM_ADOPT',
    env: { DATABASE_URL: 'mysql://root@127.0.0.1:3306/app' },
    says: /: a mysql:\/\/ \(or mysql2:\/\/, mariadb:\/\/\) DATABASE_URL works only in adopt mode: run npm run adopt, then start with OPSROOM_ADOPT=\.\/opsroom\.adopt\.json; opsroom's built-in schema needs PostgreSQL/,
  },
  {
    what: 'a mariadb:// DATABASE_URL without OPSROOM_ADOPT',
    env: { DATABASE_URL: 'mariadb://app:pw@db.internal/app' },
    says: /works only in adopt mode/,
  },
  {
    what: 'an unreachable DATABASE_URL',
    // Port 1 on the loopback: refused at once on any machine, no network needed.
    env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/opsroom' },
    says: /DATABASE_URL: connection refused at 127\.0\.0\.1:1\. Start the database server or fix the host\/port in DATABASE_URL\./,
  },
];

// Each case is a separate process doing little: run them side by side.
describe.concurrent.each(ENTRY_POINTS)('%s with a bad environment', (script) => {
  it.for(BAD_ENVIRONMENTS)('stops on $what with one line and a non-zero exit', async ({ env, says }, { expect }) => {
    const result = await runCli(script, [], { env });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(says);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain('listening');
  });
});
