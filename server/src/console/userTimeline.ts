import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../db/client';

export const timelineInput = z.object({
  id: z.number().int().positive(),
  limit: z.number({ error: 'A whole number' }).int('A whole number').min(1, 'At least 1').max(500, 'At most 500').default(100),
});

export interface TimelineEntry {
  id: number;
  created_at: string;
  actor_email: string | null;
  action: string;
  resource: string;
  record_id: string | null;
  /** Credits moved by this entry (signed), when it moved any. */
  amount: number | null;
  reason: string | null;
}

type Json = Record<string, unknown> | null;

/** The credits an audited action moved and the reason given, read from the shapes the actions write. */
export function describeEntry(action: string, after: Json): Pick<TimelineEntry, 'amount' | 'reason'> {
  const tx = (after?.transaction ?? null) as Json;
  let amount: number | null = null;
  if (typeof tx?.amount === 'number') amount = tx.amount;
  else if (typeof after?.credits_refunded === 'number') amount = after.credits_refunded;
  else if (typeof after?.credits_reversed === 'number') amount = -after.credits_reversed;
  const reasons = [tx?.description, action === 'ban' ? after?.ban_reason : undefined, action === 'fail_refund' ? after?.error : undefined, after?.reason];
  const reason = reasons.find((r) => typeof r === 'string' && r !== '') as string | undefined;
  return { amount, reason: reason ?? null };
}

// Audit rows are keyed by (resource, record_id); a user's history spans the records that belong to them.
const OWNED = ['orders', 'generations', 'api_keys', 'user_badges', 'affiliates'] as const;

/**
 * Everything the audit log recorded about a user and the records that belong to them (orders and
 * their refunds, generations, API keys, badges, commissions), newest first. Each branch is an
 * index lookup on (resource, record_id).
 */
export async function userTimeline(deps: { db: Db }, _actor: unknown, input: z.input<typeof timelineInput>): Promise<TimelineEntry[]> {
  const { id, limit } = timelineInput.parse(input);
  const owned = OWNED.map((table) => sql`(resource = ${table} and record_id in (select id::text from ${sql.identifier(table)} where user_id = ${id}))`);
  // Raw SQL rows: the driver decides how ids (bigint) and timestamps arrive, so both are normalised below.
  type AuditRow = { id: number | string; created_at: Date | string; actor_email: string | null; action: string; resource: string; record_id: string | null; after: Json };
  const rows = await queryRows<AuditRow>(
    deps.db,
    sql`select id, created_at, actor_email, action, resource, record_id, after from audit_log
      where (resource = 'users' and record_id = ${String(id)}) or ${sql.join(owned, sql` or `)}
      order by created_at desc, id desc limit ${limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    created_at: new Date(r.created_at).toISOString(),
    actor_email: r.actor_email ?? null,
    action: r.action,
    resource: r.resource,
    record_id: r.record_id ?? null,
    ...describeEntry(r.action, r.after),
  }));
}
