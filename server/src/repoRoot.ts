import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout (or image) root: the nearest folder above this module holding `drizzle/meta/_journal.json`.
 * Found by walking up rather than by a fixed `../..`, because the same code runs from
 * `server/src` (tsx, tests) and from the start bundle in `dist/server` (`npm start`).
 */
function findRepoRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(path.join(dir, 'drizzle', 'meta', '_journal.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`opsroom: no drizzle/meta/_journal.json above ${from}; is the checkout complete?`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
