import path from 'node:path';
import type { Database } from '../db/client';
import { runMigrations, type MigrationTarget } from '../db/migrate';
import { REPO_ROOT } from '../repoRoot';
import { readCatalog } from './catalog';
import { loadMapping } from './mapping';
import { buildAdoption, type Adoption } from './resources';

export const OPSROOM_MIGRATIONS_FOLDER = path.join(REPO_ROOT, 'drizzle-opsroom');
/** The opsroom schema's migration journal lives in that schema too. */
export const OPSROOM_JOURNAL = 'opsroom.__migrations';

/** Creates or updates the `opsroom` schema: the only DDL opsroom ever runs on an adopted database. */
export function migrateOpsroomSchema(target: MigrationTarget, log?: (line: string) => void) {
  return runMigrations(target, { migrationsFolder: OPSROOM_MIGRATIONS_FOLDER, journal: OPSROOM_JOURNAL, log });
}

/** Reads the mapping file and binds it to the live catalog. */
export async function loadAdoption(database: Database, file: string): Promise<Adoption> {
  const mapping = loadMapping(file);
  const catalog = await readCatalog(database.db, mapping.schemas);
  return buildAdoption(mapping, catalog);
}
