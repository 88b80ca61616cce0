import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { moveCredits } from '../billing/ledger';
import { reasonSchema, type Row } from '../usecases/support';
import { writeAudit } from '../ops/writeAudit';
import type { Db } from '../db/client';
import { generations } from '../db/schema';
import { conflict, notFound } from '../http/errors';
import type { Actor } from '../http/request';
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

export interface FailGenerationsDeps {
  db: Db;
  models: Map<string, ResourceModel>;
}

export interface FailedGeneration extends Row {
  credits_refunded: number;
}

// A generation the provider never finished: it may still be charged, and nothing else will ever settle it.
const UNSETTLED = new Set(['pending', 'processing']);

/**
 * Marks stuck generations failed and gives back the credits they were charged, all or nothing: every id
 * must exist (404) and still be pending or processing (409 naming the others). Each refund is a ledger
 * entry (type `refund`, carrying the generation's gen_id) so the balance and the ledger agree, and each
 * generation gets one `fail_refund` audit row with the reason.
 */
export async function failGenerations(deps: FailGenerationsDeps, actor: Actor, input: FailGenerationsInput): Promise<FailedGeneration[]> {
  const model = deps.models.get('generations')!;
  const ledger = deps.models.get('credit_transactions')!;
  const ids = [...new Set(input.ids)];
  return deps.db.transaction(async (tx) => {
    const befores = (await tx.select(model.selection).from(generations).where(inArray(generations.id, ids)).orderBy(generations.id).for('update')) as Row[];
    const found = new Set(befores.map((r) => r.id as number));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw notFound(`No generation with id ${missing.join(', ')}; nothing was changed.`);
    const settled = befores.filter((r) => !UNSETTLED.has(r.status as string));
    if (settled.length) {
      const list = settled.map((r) => `${r.id} (${r.status})`).join(', ');
      throw conflict(`Only pending or processing generations can be marked failed; nothing was changed. Already settled: ${list}.`, { ids: settled.map((r) => r.id).join(', ') });
    }
    const out: FailedGeneration[] = [];
    for (const before of befores) {
      const [after] = (await tx
        .update(generations)
        .set({ status: 'failed', error: input.reason, completedAt: new Date() })
        .where(inArray(generations.id, [before.id as number]))
        .returning(model.selection)) as Row[];
      const cost = before.credits_cost as number;
      if (cost > 0) {
        await moveCredits(tx, ledger, {
          userId: before.user_id as number,
          type: 'refund',
          amount: cost,
          generationId: before.gen_id as string,
          actorId: actor.actorId,
          description: `Refund of stuck generation ${before.gen_id as string}: ${input.reason}`,
        });
      }
      const result = { ...after!, credits_refunded: cost };
      await writeAudit(tx, actor, { action: 'fail_refund', resource: 'generations', recordId: before.id as number, before, after: result });
      out.push(result);
    }
    return out;
  });
}
