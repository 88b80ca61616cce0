import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyRing } from '../crypto/secretBox';
import { REPO_ROOT } from '../repoRoot';
import { connectDatabase } from './client';
import { runMigrations } from './migrate';
import { seedBadges } from './seed/badges';
import { seedDemo } from './seed/demo';

/**
 * A ready embedded database (PGlite's initdb, every migration, the badges and the demo data; no
 * operator), built once when `npm install` runs (scripts/prepare-start.ts). The first `npm start` on
 * an empty PGLITE_DIR copies it instead of spending ~11 s of CPU in PGlite's initdb and seconds more
 * migrating and seeding. The demo operator and its password are still made by that start.
 */
export const TEMPLATE_DIR = path.join(REPO_ROOT, '.data', 'pglite-template');
const stampFile = (templateDir: string) => `${templateDir}.stamp`;

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * What the template's content depends on: the migrations, the seed code, the lockfile (PGlite's
 * on-disk format, drizzle) and the encryption key the demo provider keys were sealed with. Any
 * change makes a start seed the slow way instead of copying a template that no longer matches.
 */
export function templateStamp(ring: KeyRing): string {
  const hash = createHash('sha256');
  const files = [...listFiles(path.join(REPO_ROOT, 'drizzle')), ...listFiles(path.join(REPO_ROOT, 'server/src/db/seed')), path.join(REPO_ROOT, 'package-lock.json')];
  for (const file of files.filter((f) => existsSync(f)).sort()) hash.update(path.relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  // The key itself never leaves this hash: a stamp file on disk says nothing about it.
  hash.update(String(ring.current)).update(ring.keys.get(ring.current)!);
  return hash.digest('hex');
}

export const templateIsCurrent = (ring: KeyRing, templateDir = TEMPLATE_DIR) =>
  existsSync(path.join(templateDir, 'PG_VERSION')) && existsSync(stampFile(templateDir)) && readFileSync(stampFile(templateDir), 'utf8') === templateStamp(ring);

/**
 * Fills an empty `dir` from the template when it matches this checkout and key; returns whether
 * it did. A folder that already holds anything is never touched.
 */
export function copyTemplateInto(dir: string, ring: KeyRing, templateDir = TEMPLATE_DIR): boolean {
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  if (!templateIsCurrent(ring, templateDir)) return false;
  // Copied beside and renamed, so an interrupted copy never looks like a database.
  const tmp = `${dir}.copy-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(templateDir, tmp, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return true;
}

/** Builds the template when it is missing or stale; returns whether it built one. */
export async function ensureTemplate(ring: KeyRing, print: (line: string) => void, templateDir = TEMPLATE_DIR): Promise<boolean> {
  if (templateIsCurrent(ring, templateDir)) return false;
  const started = Date.now();
  const tmp = `${templateDir}.build-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const database = await connectDatabase({ driver: 'pglite', dir: tmp });
    try {
      await runMigrations({ kind: 'pglite', client: database.pglite! });
      await seedBadges(database.db);
      await seedDemo(database.db, ring);
    } finally {
      await database.close();
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  rmSync(templateDir, { recursive: true, force: true });
  renameSync(tmp, templateDir);
  writeFileSync(stampFile(templateDir), templateStamp(ring));
  print(`prepare: embedded database template in ${path.relative(process.cwd(), templateDir) || templateDir} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return true;
}
