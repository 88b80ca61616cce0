import { sql } from 'drizzle-orm';
import { USER_SEGMENTS, type SegmentCount } from '../../../contract';
import { userSegments } from '../auth/resources';
import { queryRows, type Db } from '../db/client';
import { users } from '../db/schema';

/**
 * Counted once per this long and shared by every operator: a segment's size moves slowly, and a
 * count joins users with their orders or their last month of activity, which is too much work
 * to redo on each visit to the users list.
 */
export const SEGMENT_COUNT_REUSE_MS = 10 * 60_000;

/**
 * Past this a segment shows no count: on a database this big, counting it costs more than a
 * sidebar label is worth (the filter itself still works, a page at a time).
 */
export const SEGMENT_COUNT_BUDGET_MS = 2_000;

const cached = new WeakMap<Db, { at: number; counts: Promise<SegmentCount[]> }>();

async function countSegment(db: Db, segment: (typeof USER_SEGMENTS)[number]): Promise<SegmentCount> {
  try {
    const n = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${SEGMENT_COUNT_BUDGET_MS}`));
      const [row] = await queryRows<{ n: number | string }>(tx, sql`select count(*) as n from ${users} where ${userSegments[segment]}`);
      return Number(row?.n ?? 0);
    });
    return { segment, count: n, counted_at: new Date().toISOString() };
  } catch (err) {
    // 57014: statement_timeout. Anything else is a real failure and surfaces as one.
    if ((err as { code?: string; cause?: { code?: string } }).code !== '57014' && (err as { cause?: { code?: string } }).cause?.code !== '57014') throw err;
    return { segment, count: null, counted_at: new Date().toISOString(), why_not: `counting took over ${SEGMENT_COUNT_BUDGET_MS / 1000} s on this database` };
  }
}

/** How many users each ready-made segment holds, counted at most every SEGMENT_COUNT_REUSE_MS. */
export async function userSegmentCounts(deps: { db: Db }, _actor: unknown, _input: Record<string, never> = {}): Promise<SegmentCount[]> {
  const known = cached.get(deps.db);
  if (known && performance.now() - known.at < SEGMENT_COUNT_REUSE_MS) return known.counts;
  // One after the other: three heavy joins at once would compete with the operators' own queries.
  const counts = (async () => {
    const out: SegmentCount[] = [];
    for (const segment of USER_SEGMENTS) out.push(await countSegment(deps.db, segment));
    return out;
  })();
  cached.set(deps.db, { at: performance.now(), counts });
  counts.catch(() => cached.delete(deps.db));
  return counts;
}
