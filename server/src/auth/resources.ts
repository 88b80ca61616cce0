import { sql } from 'drizzle-orm';
import { BIG_SPENDER_MINOR_UNITS, INACTIVE_DAYS, type USER_SEGMENTS } from '../../../contract';
import { afterUserDelete, afterUserUpdate, beforeUserDelete, beforeUserEdit } from './roleChanges';
import { creditTransactions, generations, orders, users } from '../db/schema';
import { email } from '../resources/refinements';
import { defineResource } from '../resources/types';

const since = sql`now() - make_interval(days => ${INACTIVE_DAYS})`;
/** The ready-made user segments, as `where` conditions on users (`filter={"segment":"payers"}`). */
export const userSegments: Record<(typeof USER_SEGMENTS)[number], ReturnType<typeof sql>> = {
  payers: sql`exists (select 1 from ${orders} o where o.user_id = ${users.id} and o.status = 'paid')`,
  // One aggregate over paid orders the planner hashes, not a sum per user row (20x faster counting).
  big_spenders: sql`${users.id} in (select o.user_id from ${orders} o where o.status = 'paid' group by o.user_id having sum(o.amount) >= ${BIG_SPENDER_MINOR_UNITS})`,
  // The same activity the user page's "last active" reads: generations, ledger entries, orders.
  inactive_30d: sql`${users.createdAt} < ${since}
    and not exists (select 1 from ${generations} g where g.user_id = ${users.id} and g.created_at >= ${since})
    and not exists (select 1 from ${creditTransactions} t where t.user_id = ${users.id} and t.created_at >= ${since})
    and not exists (select 1 from ${orders} o where o.user_id = ${users.id} and o.created_at >= ${since})`,
};

// Bans, credits and badges change through audited actions; the form edits profile fields only.
export const usersResource = defineResource(users, {
  name: 'users',
  search: ['email', 'name', 'nickname'],
  hidden: ['password_hash'],
  creatable: ['email', 'name', 'nickname', 'avatar_url', 'role', 'is_affiliate', 'locale', 'invited_by'],
  updatable: ['email', 'name', 'nickname', 'avatar_url', 'role', 'is_affiliate', 'locale'],
  defaultSort: ['created_at', 'DESC'],
  segments: userSegments,
  refine: { email },
  beforeUpdate: beforeUserEdit,
  afterUpdate: afterUserUpdate,
  beforeDelete: beforeUserDelete,
  afterDelete: afterUserDelete,
});
