import type { StatsQuery } from '../dataProvider';

export const PERIODS = [
  { days: 7, label: '7 days', interval: 'day' },
  { days: 30, label: '30 days', interval: 'day' },
  { days: 90, label: '90 days', interval: 'week' },
  { days: 365, label: '12 months', interval: 'week' },
] as const;

const DAY = 86_400_000;

/** The stats window ending at the start of tomorrow (UTC), so today's bucket is complete. */
export function statsQuery(days: number, now = new Date()): StatsQuery {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY);
  const from = new Date(to.getTime() - days * DAY);
  const interval = PERIODS.find((p) => p.days === days)?.interval ?? 'day';
  return { from: from.toISOString(), to: to.toISOString(), interval };
}
