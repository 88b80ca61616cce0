import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client';
import type { UseCaseActor, UseCaseDeps } from '../usecases';

/** The actions the audit log holds, for the audit list's dropdown: what was written, not a list kept by hand. */
export async function auditActions(deps: UseCaseDeps, _actor: UseCaseActor): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(deps.db, sql`select distinct action from audit_log order by action`);
  return rows.map((r) => r.action);
}
