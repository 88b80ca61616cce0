import { cpSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../../server/test/support/cli';

/** A copy of the repository's server sources (the schema) and committed migrations, where a test may change either. */
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyOfRepo(): string {
  const dir = tempDir('opsroom-check-');
  copies.push(dir);
  // Each domain folder holds its own tables; db/schema/index.ts gathers them.
  cpSync(path.join(ROOT, 'server/src'), path.join(dir, 'server/src'), { recursive: true });
  cpSync(path.join(ROOT, 'drizzle'), path.join(dir, 'drizzle'), { recursive: true });
  // The schema's enum values come from the shared contract.
  cpSync(path.join(ROOT, 'contract'), path.join(dir, 'contract'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function edit(file: string, from: string | RegExp, to: string) {
  const before = readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`nothing to replace in ${file}: the test's anchor is out of date`);
  writeFileSync(file, after);
}

// Three drizzle-kit runs at once; each takes tens of seconds on a busy 2-core machine.
describe.concurrent('npm run db:check', { timeout: 180_000 }, () => {
  it('passes when the schema matches the committed migrations', async ({ expect }) => {
    const result = await runCli('scripts/db-check.ts', [], { cwd: copyOfRepo() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^db:check: the schema matches the \d+ committed migrations \(last: \d{4}_\w+\)\.\n$/);
  });

  it('fails naming npm run db:generate when a column has no migration', async ({ expect }) => {
    const dir = copyOfRepo();
    edit(path.join(dir, 'server/src/auth/schema.ts'), "email: text('email').notNull().unique(),", "email: text('email').notNull().unique(),\n    shoeSize: text('shoe_size'),");
    const result = await runCli('scripts/db-check.ts', [], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('db:check: the schema has changes no migration holds (table users changed). Run npm run db:generate and commit drizzle/.\n');
  });

  it('fails when two migrations were generated from the same parent on different branches', async ({ expect }) => {
    const dir = copyOfRepo();
    const meta = path.join(dir, 'drizzle/meta');
    const last = readdirSync(meta).filter((f) => f.endsWith('_snapshot.json')).sort().at(-1)!;
    edit(path.join(meta, last), /"prevId":\s*"[^"]+"/, '"prevId": "00000000-0000-0000-0000-00000000beef"');
    const result = await runCli('scripts/db-check.ts', [], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^db:check: migration \d{4}_\w+ was not generated on top of the one before it \(two branches generated migrations in parallel\)\. Delete the newer one, merge, and run npm run db:generate again\.\n$/);
  });
});
