import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/client';
import { describeFailure } from '../../src/db/errors';
import { ChangedMigrationError, runMigrations, type MigrationTarget } from '../../src/db/migrate';
import { engines } from '../support/engines';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'opsroom-hashes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folderWith(migrations: { tag: string; sql: string }[]): string {
  const dir = mkdtempSync(path.join(scratch, 'set-'));
  mkdirSync(path.join(dir, 'meta'));
  const entries = migrations.map((m, idx) => {
    writeFileSync(path.join(dir, `${m.tag}.sql`), m.sql);
    return { idx, version: '7', when: 1_700_000_000_000 + idx * 1000, tag: m.tag, breakpoints: true };
  });
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  return dir;
}

for (const engine of engines) {
  describe(`the migration runner's hash check [${engine.name}]`, () => {
    async function withTarget<T>(fn: (target: MigrationTarget) => Promise<T>): Promise<T> {
      if (engine.name === 'pglite') {
        const client = await openPglite('memory://');
        try {
          return await fn({ kind: 'pglite', client });
        } finally {
          await client.close();
        }
      }
      const created = await engine.create();
      try {
        return await fn({ kind: 'pg', url: created.url! });
      } finally {
        await created.drop();
      }
    }

    it('refuses, in one line, to run when an applied migration was edited', async () => {
      const folder = folderWith([
        { tag: '0000_widgets', sql: 'CREATE TABLE widgets (id integer PRIMARY KEY);' },
        { tag: '0001_gadgets', sql: 'CREATE TABLE gadgets (id integer PRIMARY KEY);' },
      ]);
      await withTarget(async (target) => {
        expect(await runMigrations(target, { migrationsFolder: folder })).toEqual(['0000_widgets', '0001_gadgets']);
        // A rerun with unchanged files is a no-op.
        expect(await runMigrations(target, { migrationsFolder: folder })).toEqual([]);

        appendFileSync(path.join(folder, '0000_widgets.sql'), '\nALTER TABLE widgets ADD COLUMN name text;');
        writeFileSync(path.join(folder, '0002_later.sql'), 'CREATE TABLE later (id integer);');
        const journal = { version: '7', dialect: 'postgresql', entries: ['0000_widgets', '0001_gadgets', '0002_later'].map((tag, idx) => ({ idx, version: '7', when: 1_700_000_000_000 + idx * 1000, tag, breakpoints: true })) };
        writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify(journal));

        const failure = await runMigrations(target, { migrationsFolder: folder }).catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(ChangedMigrationError);
        const line = describeFailure(failure);
        expect(line).toMatch(/^migration 0000_widgets was edited after it was applied .*Never edit an applied migration: restore the file from git and put the change in a new migration\.$/);
        expect(line).not.toContain('\n');
      });
    });
  });
}
