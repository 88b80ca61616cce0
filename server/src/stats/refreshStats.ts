import type { Tx } from '../db/client';
import { writeAudit } from '../ops/writeAudit';
import type { UseCaseActor, UseCaseDeps } from '../usecases';
import type { BucketUnit, DayFigures, TimeRange } from './queries';
import { DAY, readStored, storeBuckets } from './rollup';

const sameFigures = (a: DayFigures | undefined, b: DayFigures) => {
  if (!a) return false;
  const sameMap = (x: Record<string, number>, y: Record<string, number>) => {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].every((k) => (x[k] ?? 0) === (y[k] ?? 0));
  };
  return (
    a.paidAmount === b.paidAmount &&
    a.refundedAmount === b.refundedAmount &&
    a.signups === b.signups &&
    a.generations === b.generations &&
    a.creditsGranted === b.creditsGranted &&
    a.creditsSpent === b.creditsSpent &&
    sameMap(a.generationsByStatus, b.generationsByStatus) &&
    sameMap(a.generationsByProvider, b.generationsByProvider)
  );
};

/** Recomputes the stored buckets of `unit` in `[lo, hi)` and says which ones changed, with their figures before and after. */
async function refreshBuckets(tx: Tx, unit: BucketUnit, lo: number, hi: number) {
  const before = await readStored(tx, unit, lo, hi);
  const after = await storeBuckets(tx, unit, lo, hi);
  const changed = [...after].filter(([name, f]) => before.has(name) && !sameFigures(before.get(name), f)).map(([name]) => name);
  const pick = (m: Map<string, DayFigures>) => Object.fromEntries(changed.map((name) => [name, m.get(name)]));
  return { count: after.size, changed, before: pick(before), after: pick(after) };
}

/**
 * Recomputes the stored days `[from, to]` (inclusive UTC dates) from the raw rows, and the stored
 * hours in `hours` when given, in one transaction; audits which days and hours changed.
 */
export async function refreshStats(deps: UseCaseDeps, actor: UseCaseActor, input: { from: string; to: string; hours?: TimeRange }) {
  const { from, to, hours } = input;
  return deps.db.transaction(async (tx) => {
    const days = await refreshBuckets(tx, 'day', Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY);
    const hourly = hours ? await refreshBuckets(tx, 'hour', hours.lo.getTime(), hours.hi.getTime()) : undefined;
    await writeAudit(tx, actor, {
      action: 'refresh',
      resource: 'stats_daily',
      recordId: `${from}..${to}`,
      before: { from, to, changed: days.before, ...(hourly && { changed_hours: hourly.before }) },
      after: { from, to, days: days.count, changed: days.after, ...(hourly && { hours: hourly.count, changed_hours: hourly.after }) },
    });
    return { from, to, days: days.count, changed: days.changed, ...(hourly && { hours: hourly.count, changed_hours: hourly.changed }) };
  });
}
