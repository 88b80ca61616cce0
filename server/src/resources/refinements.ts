import { z } from 'zod';

// Refinements layered on the schema-derived validators (drizzle-zod knows types, not meaning).
export const email = (s: z.ZodType) => (s as z.ZodString).trim().toLowerCase().email('Enter a valid email address').max(320);
export const nonEmpty = (s: z.ZodType) => (s as z.ZodString).trim().min(1, 'Required').max(500);
export const url = (s: z.ZodType) => (s as z.ZodString).url('Enter a full URL (https://…)').max(2000);
export const slug = (s: z.ZodType) => (s as z.ZodString).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and dashes');

export const DATE_RANGE_MESSAGE = 'Must be a date between 0001-01-01 and 9999-12-31';

/** A date in the range every database and the console can show; an ISO string on the wire. */
export function inDateRange(d: Date): boolean {
  const year = d.getUTCFullYear();
  return !Number.isNaN(d.getTime()) && year >= 1 && year <= 9999;
}

// Replaces drizzle-zod's coerced date, which turned `true` into 1970 and a date beyond Postgres'
// range into "expected date, received Date".
export const isoDate = () =>
  z.string({ error: DATE_RANGE_MESSAGE }).transform((s, ctx) => {
    const d = new Date(s);
    if (inDateRange(d)) return d;
    ctx.addIssue({ code: 'custom', message: DATE_RANGE_MESSAGE });
    return z.NEVER;
  });

export const nonNegative = (s: z.ZodType) => (s as z.ZodNumber).min(0, 'Must be 0 or more');
