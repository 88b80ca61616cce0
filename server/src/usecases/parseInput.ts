import type { z } from 'zod';
import { InvalidInputError } from './domainErrors';

/** Zod issues → `{ field: why }`, with paths renamed to the API's field names. */
export function zodFieldErrors(err: z.ZodError, rename: (key: string) => string = (k) => k): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of err.issues) {
    const field = issue.path.length ? issue.path.map((p) => (typeof p === 'string' ? rename(p) : String(p))).join('.') : '_';
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Validates a use case's input against a schema; a mismatch is an InvalidInputError with per-field reasons. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, rename?: (key: string) => string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError('Invalid input', zodFieldErrors(result.error, rename));
  return result.data;
}
