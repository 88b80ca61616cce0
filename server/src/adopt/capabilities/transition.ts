import type { RequestHandler } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { conflict } from '../../http/errors';
import { actorOf } from '../../http/request';
import type { transitionCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type Row } from './support';

/** POST /api/<resource>/<id>/<action>: moves a status column from one of `from` to `to`, stamping the time columns; 409 otherwise. */
export function transition(ctx: AppContext, adoption: Adoption, key: string, spec: z.infer<typeof transitionCapability>): RequestHandler {
  const bind = binder(adoption, key);
  const r = bind.resource('resource', spec.resource);
  bind.column('column', r, spec.column);
  for (const s of spec.stamp ?? []) bind.column('stamp', r, s);
  return async (req, res) => {
    const after = await ctx.database.db.transaction(async (tx) => {
      const { row: before, where } = await lockTarget(tx, r, req);
      const status = before[spec.column];
      if (!spec.from.includes(String(status))) {
        throw conflict(`Only ${r.name} records with ${spec.column} ${spec.from.join(' or ')} can be moved to ${spec.to} (this one is ${String(status)}).`);
      }
      const set: Row = { [spec.column]: spec.to };
      for (const s of spec.stamp ?? []) set[s] = new Date();
      const presented = r.present(await adoption.dialect.updateRow(tx, r, set, where));
      await auditAdopted(adoption, tx, actorOf(req), { action: spec.action, resource: r.name, recordId: presented.id as string, before: r.present(before), after: presented });
      return presented;
    });
    res.json(after);
  };
}
