import type { SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client';
import { NotFoundError } from '../../usecases/domainErrors';
import { MappingError } from '../mapping';
import type { Adoption, AdoptedResource } from '../resources';

export type Row = Record<string, unknown>;

/**
 * What a capability's use case needs at call time: the adopted database's client. The adoption
 * itself (resources, dialect, columns) is bound once at start-up, when the use case is built.
 */
export interface CapabilityDeps {
  db: Db;
}

/** The record an action is about, by its id as the API shows it (`7`, `usr_1`, `["u1","b7"]`). */
export interface TargetInput {
  id: string;
}

/** Resolves a capability's resource and columns once at start-up; a wrong name stops the server with its path. */
export function binder(adoption: Adoption, key: string) {
  const resource = (field: string, name: string): AdoptedResource => {
    const r = adoption.resources.get(name);
    if (!r) throw new MappingError(`capabilities.${key}.${field}: no resource "${name}" in resources.`);
    return r;
  };
  const column = (field: string, r: AdoptedResource, name: string): PgColumn => {
    if (!r.catalog.columns.some((c) => c.name === name)) throw new MappingError(`capabilities.${key}.${field}: ${r.name} has no column "${name}".`);
    return r.column(name);
  };
  return { resource, column };
}

/** The record an action is about, locked for the rest of the transaction (as the API shows it, plus the raw key values). */
export async function lockTarget(tx: Tx, r: AdoptedResource, id: string): Promise<{ row: Row; where: SQL }> {
  const where = r.whereId(id);
  const [row] = await tx.select(r.selection).from(r.table).where(where).limit(1).for('update');
  if (!row) throw new NotFoundError(`${r.name} ${id.slice(0, 60)} does not exist.`);
  return { row, where };
}
