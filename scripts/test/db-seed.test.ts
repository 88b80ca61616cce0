import { expect, it } from 'vitest';
import { describeEachCliEngine } from '../../server/test/support/cli';

describeEachCliEngine('npm run db:seed', (db) => {
  const seed = (...args: string[]) => db().run('scripts/db-seed.ts', args);

  it('on a database never migrated, says to run npm run db:migrate first', async () => {
    const result = await seed();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^db:seed: the database has no schema yet \(relation "badges" does not exist\)\. Run npm run db:migrate first\.\n$/);
  });

  it('after migrating, --demo writes the badge catalogue and the demo dataset', async () => {
    const migrated = await db().run('scripts/db-migrate.ts');
    expect(migrated.code, migrated.stderr).toBe(0);
    const result = await seed('--demo');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^badges: 12 defined, none removed\ndemo: 300 users, \d+ orders, \d+ credit transactions, \d+ generations, \d+ affiliate commissions\n$/);
  });

  it('run again, changes nothing and never adds demo data to a database that has users', async () => {
    const result = await seed('--demo');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('badges: 12 defined, none removed\ndemo: skipped, the database already has users\n');
  });

  it('an unknown flag is one line pointing at --help', async () => {
    const result = await seed('--demo-data');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("db:seed: Unknown option '--demo-data'. See --help.\n");
  });
});
