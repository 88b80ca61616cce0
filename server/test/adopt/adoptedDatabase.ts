import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAdoption, migrateOpsroomSchema } from '../../src/adopt/boot';
import { bindCapabilities, type BoundCapability } from '../../src/adopt/capabilities';
import { migrateOpsroomMysql } from '../../src/adopt/mysql/migrate';
import { upsertAdoptedOperator } from '../../src/adopt/operators';
import type { Adoption } from '../../src/adopt/resources';
import { readConfig } from '../../src/config/env';
import { connectDatabase, type Database } from '../../src/db/client';
import type { UseCaseActor } from '../../src/usecases';
import { runCli, tempDir } from '../support/cli';
import type { Engine } from '../support/engines';
import { mysqlTestDatabase } from '../support/mysql';
import { fixtureDatabase } from './support';

const MYSQL_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mysql');

/** An adopted database as the server holds it after boot, without the server: for calling use cases directly. */
export interface AdoptedDatabase {
  database: Database;
  adoption: Adoption;
  /** The mapping's enabled capabilities, bound as the server binds them at start-up. */
  capabilities: Map<string, BoundCapability>;
  /** An admin operator in opsroom's operators table, as the actor of every call. */
  actor: UseCaseActor;
  close(): Promise<void>;
}

/**
 * A seed system's tables in a fresh database (PGlite, Postgres, or MySQL/MariaDB with engine
 * 'mysql'), `npm run adopt` as a child process, then what the server's boot does before it listens:
 * connect, migrate opsroom's own tables, bind the mapping to the live catalog.
 */
export async function adoptedDatabase(engine: Engine | 'mysql', fixture: string): Promise<AdoptedDatabase> {
  const cwd = tempDir('opsroom-adopt-uc-');
  let drop: () => Promise<void> = async () => {};
  let database: Database | undefined;
  const close = async () => {
    await database?.close();
    await drop();
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    let env: Record<string, string>;
    if (engine === 'mysql') {
      const db = await mysqlTestDatabase(path.join(MYSQL_FIXTURES, fixture));
      drop = db.drop;
      env = { DATABASE_URL: db.url };
    } else {
      const db = await fixtureDatabase(engine, fixture);
      drop = db.drop;
      env = db.env;
    }
    const adopted = await runCli('scripts/adopt.ts', [], { cwd, env });
    if (adopted.code !== 0) throw new Error(`npm run adopt failed: ${adopted.stderr}`);
    const file = path.join(cwd, 'opsroom.adopt.json');
    const config = readConfig({ ...env, OPSROOM_ADOPT: file }).database;
    database = await connectDatabase(config);
    let adoption: Adoption;
    if (config.driver === 'mysql') {
      adoption = await loadAdoption(database, file, await migrateOpsroomMysql(config));
    } else {
      await migrateOpsroomSchema(config.driver === 'pglite' ? { kind: 'pglite', client: database.pglite! } : { kind: 'pg', url: config.url });
      adoption = await loadAdoption(database, file);
    }
    const email = 'ops@usecase.test';
    const { id } = await upsertAdoptedOperator(database.db, { email, password: 'use-case-operator-password', role: 'admin' }, adoption.dialect);
    return { database, adoption, capabilities: bindCapabilities(adoption), actor: { actorId: id, actorEmail: email, ip: null, requestId: 'job-1' }, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
