import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { engines } from '../support/engines';
import { fixtureDatabase } from './support';

describe('npm run adopt', () => {
  it('--help says what it reads and writes', async () => {
    const res = await runCli('scripts/adopt.ts', ['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Usage: npm run adopt/);
    expect(res.stdout).toMatch(/no DDL/);
  });

  const engine = engines[0]!;
  describe(`re-running [${engine.name}]`, () => {
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    const cwd = tempDir('opsroom-adopt-cli-');
    const file = path.join(cwd, 'opsroom.adopt.json');
    beforeAll(async () => {
      const db = await fixtureDatabase(engine, '001_chameleon.sql');
      env = db.env;
      drop = db.drop;
    }, 120_000);
    afterAll(async () => {
      await drop?.();
      rmSync(cwd, { recursive: true, force: true });
    });

    it('keeps what a person edited, and --check reports the file up to date', async () => {
      expect((await runCli('scripts/adopt.ts', [], { cwd, env })).code).toBe(0);
      const edited = JSON.parse(readFileSync(file, 'utf8'));
      edited.resources.users.label = 'Customers';
      edited.resources.users.list = ['id', 'email'];
      edited.resources.orders.readOnly = true;
      edited.capabilities.refund.enabled = false;
      writeFileSync(file, JSON.stringify(edited, null, 2) + '\n');

      const again = await runCli('scripts/adopt.ts', [], { cwd, env });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/your edits kept/);
      const kept = JSON.parse(readFileSync(file, 'utf8'));
      expect(kept.resources.users).toMatchObject({ label: 'Customers', list: ['id', 'email'] });
      expect(kept.resources.orders.readOnly).toBe(true);
      expect(kept.capabilities.refund.enabled).toBe(false);
      expect(kept.resources.users.columns.email).toBe('character varying(255) not null');

      const check = await runCli('scripts/adopt.ts', ['--check'], { cwd, env });
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/up to date/);
    }, 180_000);

    it('the server refuses a mapping that names a column the database does not have, in one line', async () => {
      const broken = JSON.parse(readFileSync(file, 'utf8'));
      broken.resources.users.search = ['email', 'phone'];
      const brokenFile = path.join(cwd, 'broken.json');
      writeFileSync(brokenFile, JSON.stringify(broken));
      const res = await runCli('server/src/main.ts', [], { cwd, env: { ...env, OPSROOM_ADOPT: brokenFile, PORT: '0' } });
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe('opsroom: resources.users: column "phone" is not in public.users (re-run npm run adopt).');
    }, 180_000);
  });
});
