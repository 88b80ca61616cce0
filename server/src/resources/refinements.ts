import type { z } from 'zod';

// Refinements layered on the schema-derived validators (drizzle-zod knows types, not meaning).
export const email = (s: z.ZodType) => (s as z.ZodString).trim().toLowerCase().email('Enter a valid email address').max(320);
export const nonEmpty = (s: z.ZodType) => (s as z.ZodString).trim().min(1, 'Required').max(500);
export const url = (s: z.ZodType) => (s as z.ZodString).url('Enter a full URL (https://…)').max(2000);
export const slug = (s: z.ZodType) => (s as z.ZodString).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and dashes');
