import type { z } from 'zod';
import type { UseCaseActor } from '../../usecases';
import { ConflictError } from '../../usecases/domainErrors';
import type { transitionCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted, recordIdOf } from '../records';
import { binder, lockTarget, type CapabilityDeps, type Row, type TargetInput } from './support';

/** Moves one record to the capability's `to` status; returns it as the API shows it afterwards. */
export type Transition = (deps: CapabilityDeps, actor: UseCaseActor, input: TargetInput) => Promise<Row>;

/**
 * Moves a status column from one of `from` to `to`, stamping the time columns (refund, affiliate
 * approve and pay, API-key revoke); refused from any other status. Binds the mapping's columns
 * now, so a wrong name stops start-up.
 */
export function transitionUseCase(adoption: Adoption, key: string, spec: z.infer<typeof transitionCapability>): Transition {
  const bind = binder(adoption, key);
  const r = bind.resource('resource', spec.resource);
  bind.column('column', r, spec.column);
  for (const s of spec.stamp ?? []) bind.column('stamp', r, s);
  return (deps, actor, input) =>
    deps.db.transaction(async (tx) => {
      const { row: before, where } = await lockTarget(tx, r, input.id);
      const status = before[spec.column];
      if (!spec.from.includes(String(status))) {
        throw new ConflictError(`Only ${r.name} records with ${spec.column} ${spec.from.join(' or ')} can be moved to ${spec.to} (this one is ${String(status)}).`);
      }
      const set: Row = { [spec.column]: spec.to };
      for (const s of spec.stamp ?? []) set[s] = new Date();
      const presented = r.present(await adoption.dialect.updateRow(tx, r, set, where));
      await auditAdopted(adoption, tx, actor, { action: spec.action, resource: r.name, recordId: recordIdOf(presented), before: r.present(before), after: presented });
      return presented;
    });
}
