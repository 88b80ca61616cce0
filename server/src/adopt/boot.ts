import path from 'node:path';
import type { Database } from '../db/client';
import { runMigrations, type MigrationTarget } from '../db/migrate';
import { REPO_ROOT } from '../repoRoot';
import { readCatalog } from './catalog';
import { postgresDialect } from './dialect';
import { loadMapping } from './mapping';
import { readMysqlCatalog } from './mysql/catalog';
import { mysqlDialect } from './mysql/dialect';
import type { OpsroomPlace } from './mysql/migrate';
import { buildAdoption, type Adoption } from './resources';

export const OPSROOM_MIGRATIONS_FOLDER = path.join(REPO_ROOT, 'drizzle-opsroom');
/** The opsroom schema's migration journal lives in that schema too. */
export const OPSROOM_JOURNAL = 'opsroom.__migrations';

/** Creates or updates the `opsroom` schema: the only DDL opsroom ever runs on an adopted database. */
export function migrateOpsroomSchema(target: MigrationTarget, log?: (line: string) => void) {
  return runMigrations(target, { migrationsFolder: OPSROOM_MIGRATIONS_FOLDER, journal: OPSROOM_JOURNAL, log });
}

/**
 * The engine-specific part of an adopted database: the Postgres one, or on MySQL the one whose
 * opsroom tables sit where its migration put them (`place`, from migrateOpsroomMysql).
 */
export const dialectOf = (database: Database, place?: OpsroomPlace) => (database.mysql ? mysqlDialect(place?.database) : postgresDialect);

/** Reads the mapping file and binds it to the live catalog. */
export async function loadAdoption(database: Database, file: string, place?: OpsroomPlace): Promise<Adoption> {
  const mapping = loadMapping(file);
  const catalog = database.mysql
    ? await readMysqlCatalog(database.mysql.db, database.mysql.database, mapping.schemas)
    : await readCatalog(database.db, mapping.schemas);
  return buildAdoption(mapping, catalog, dialectOf(database, place));
}
