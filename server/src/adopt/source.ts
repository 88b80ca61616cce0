import { readConfig, readMysqlConfig } from '../config/env';
import { connectDatabase } from '../db/client';
import { readCatalog, type Catalog } from './catalog';
import { connectMysql } from './mysql/connect';
import { readMysqlCatalog } from './mysql/catalog';

/**
 * The dialect seam of adopt mode: the database at DATABASE_URL, whichever engine, as something a
 * catalog can be read from. Everything past the catalog (mapping, presets, the file) is shared.
 */
export interface CatalogSource {
  dialect: 'postgresql' | 'mysql';
  readCatalog(schemas: string[]): Promise<Catalog>;
  close(): Promise<void>;
}

export async function openCatalogSource(env: NodeJS.ProcessEnv = process.env): Promise<CatalogSource> {
  const mysql = readMysqlConfig(env);
  if (mysql) {
    const m = await connectMysql(mysql);
    return { dialect: 'mysql', readCatalog: (schemas) => readMysqlCatalog(m.db, m.database, schemas), close: m.close };
  }
  const database = await connectDatabase(readConfig(env).database);
  return { dialect: 'postgresql', readCatalog: (schemas) => readCatalog(database.db, schemas), close: database.close };
}
