import { describe, expect, it } from 'vitest';
import { parseWindow } from '../../src/stats';
import { planHours, planWindow } from '../../src/stats/rollup';

describe('which days the stats endpoint stores', () => {
  const plan = (now: string, query: Record<string, string> = {}) => planWindow(parseWindow(query, new Date(now)));

  it('a day is stored only once it ended more than an hour ago; today and the day before are live until then', () => {
    const early = plan('2026-03-10T00:30:00Z');
    expect(early.stored.at(-1)).toBe('2026-03-08');
    expect(early.live.map((r) => [r.lo.toISOString(), r.window, r.today])).toEqual([
      ['2026-03-09T00:00:00.000Z', true, false],
      ['2026-03-10T00:00:00.000Z', true, true],
      ['2026-03-10T00:30:00.000Z', false, true],
    ]);
    const later = plan('2026-03-10T01:00:00Z');
    expect(later.stored.at(-1)).toBe('2026-03-09');
    expect(later.stored).toHaveLength(29);
  });

  it('a partial closed day reads the shorter side: its own hours, or the stored day minus the rest', () => {
    const p = plan('2026-03-10T12:00:00Z', { from: '2026-02-01T20:00:00Z', to: '2026-02-20T03:00:00Z' });
    expect(p.stored[0]).toBe('2026-02-02');
    expect(p.stored.at(-1)).toBe('2026-02-19');
    const q = plan('2026-03-10T12:00:00Z', { from: '2026-02-01T03:00:00Z', to: '2026-02-20T20:00:00Z' });
    expect(q.stored[0]).toBe('2026-02-01');
    expect(q.stored.at(-1)).toBe('2026-02-20');
    expect(q.live.filter((r) => r.minus).map((r) => [r.lo.toISOString(), r.hi.toISOString()])).toEqual([
      ['2026-02-01T00:00:00.000Z', '2026-02-01T03:00:00.000Z'],
      ['2026-02-20T20:00:00.000Z', '2026-02-21T00:00:00.000Z'],
    ]);
  });

  it('the days not closed yet read their closed hours; the current hour and the one before stay live', () => {
    const hoursOf = (now: string) => {
      const split = planHours(plan(now).live, new Date(now));
      return { hours: split.hours.map((h) => [h.lo.toISOString(), h.window, h.today]), live: split.live.map((r) => [r.lo.toISOString(), r.hi.toISOString()]) };
    };
    const noon = hoursOf('2026-03-10T12:30:00Z');
    expect(noon.hours).toHaveLength(11);
    expect(noon.hours[0]).toEqual(['2026-03-10T00:00:00.000Z', true, true]);
    expect(noon.hours.at(-1)).toEqual(['2026-03-10T10:00:00.000Z', true, true]);
    expect(noon.live).toEqual([
      ['2026-03-10T11:00:00.000Z', '2026-03-10T12:30:00.000Z'],
      ['2026-03-10T12:30:00.000Z', '2026-03-10T12:30:00.001Z'],
    ]);
    // In yesterday's hour of grace its hours are stored up to 22:00; 23:00 and today are live.
    const early = hoursOf('2026-03-10T00:30:00Z');
    expect(early.hours).toHaveLength(23);
    expect(early.hours.every(([, window, today]) => window && !today)).toBe(true);
    expect(early.live).toEqual([
      ['2026-03-09T23:00:00.000Z', '2026-03-10T00:00:00.000Z'],
      ['2026-03-10T00:00:00.000Z', '2026-03-10T00:30:00.000Z'],
      ['2026-03-10T00:30:00.000Z', '2026-03-10T00:30:00.001Z'],
    ]);
    // A window ending inside an hour leaves that part hour live; closed days are not split.
    const edge = planHours(plan('2026-03-10T12:30:00Z', { from: '2026-03-01T00:00:00Z', to: '2026-03-10T09:20:00Z' }).live, new Date('2026-03-10T12:30:00Z'));
    expect(edge.hours.filter((h) => h.window)).toHaveLength(9);
    expect(edge.live.map((r) => [r.lo.toISOString(), r.window, r.today])).toEqual([
      ['2026-03-10T09:00:00.000Z', true, true],
      ['2026-03-10T09:20:00.000Z', false, true],
      ['2026-03-10T11:00:00.000Z', false, true],
    ]);
  });
});
