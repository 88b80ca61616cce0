import type { Request } from 'express';
import type { SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client';
import { notFound } from '../../http/errors';
import { MappingError } from '../mapping';
import type { Adoption, AdoptedResource } from '../resources';

export type Row = Record<string, unknown>;

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
export async function lockTarget(tx: Tx, r: AdoptedResource, req: Request): Promise<{ row: Row; where: SQL }> {
  const where = r.whereId(String(req.params.id));
  const [row] = (await tx.select(r.selection).from(r.table).where(where).limit(1).for('update')) as Row[];
  if (!row) throw notFound(`${r.name} ${String(req.params.id).slice(0, 60)} does not exist.`);
  return { row, where };
}
