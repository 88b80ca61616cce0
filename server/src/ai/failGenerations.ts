import { z } from 'zod';
import { moveCredits } from '../billing/ledger';
import { writeAudit } from '../ops/writeAudit';
import type { generations } from '../db/schema';
import type { ApiRow } from '../resources/types';
import { ConflictError, type UseCaseActor, type UseCaseDeps } from '../usecases';
import { lockRecords, modelOf, reasonSchema, updateRecord, type Row } from '../usecases/records';
import type { ResourceModel } from '../resources/model';

export const MAX_BATCH = 500;

export const failGenerationsInput = z.object({
  ids: z
    .array(z.number({ error: 'Generation ids are whole numbers' }).int('Generation ids are whole numbers').positive('Generation ids are positive'), { error: 'A list of generation ids' })
    .min(1, 'Pick at least one generation')
    .max(MAX_BATCH, `At most ${MAX_BATCH} at once`),
  reason: reasonSchema,
});
export type FailGenerationsInput = z.output<typeof failGenerationsInput>;

export interface FailGenerationsDeps extends UseCaseDeps {
  models: Map<string, ResourceModel>;
}

type Generation = ApiRow<typeof generations>;
export type FailedGeneration = Row & Generation & { credits_refunded: number };

// A generation the provider never finished: it may still be charged, and nothing else will ever settle it.
const UNSETTLED = new Set<Generation['status']>(['pending', 'processing']);

/**
 * Marks stuck generations failed and gives back the credits they were charged, all or nothing: every id
 * must exist (NotFoundError) and still be pending or processing (ConflictError naming the others). Each
 * refund is a ledger entry (type `refund`, carrying the generation's gen_id) so the balance and the
 * ledger agree, and each generation gets one `fail_refund` audit row with the reason.
 */
export async function failGenerations(deps: FailGenerationsDeps, actor: UseCaseActor, input: FailGenerationsInput): Promise<FailedGeneration[]> {
  const model = modelOf(deps, 'generations');
  const ledger = modelOf(deps, 'credit_transactions');
  const ids = [...new Set(input.ids)];
  return deps.db.transaction(async (tx) => {
    const befores = await lockRecords<Generation>(tx, model, ids, (missing) => `No generation with id ${missing.join(', ')}; nothing was changed.`);
    const settled = befores.filter((r) => !UNSETTLED.has(r.status));
    if (settled.length) {
      const list = settled.map((r) => `${r.id} (${r.status})`).join(', ');
      throw new ConflictError(`Only pending or processing generations can be marked failed; nothing was changed. Already settled: ${list}.`, { ids: settled.map((r) => r.id).join(', ') });
    }
    const out: FailedGeneration[] = [];
    for (const before of befores) {
      const after = await updateRecord<Generation>(tx, model, before.id, { status: 'failed', error: input.reason, completedAt: new Date() });
      const cost = before.credits_cost;
      if (cost > 0) {
        await moveCredits(tx, ledger, {
          userId: before.user_id,
          type: 'refund',
          amount: cost,
          generationId: before.gen_id,
          actorId: actor.actorId,
          description: `Refund of stuck generation ${before.gen_id}: ${input.reason}`,
        });
      }
      const result = { ...after, credits_refunded: cost };
      await writeAudit(tx, actor, { action: 'fail_refund', resource: 'generations', recordId: before.id, before, after: result });
      out.push(result);
    }
    return out;
  });
}
