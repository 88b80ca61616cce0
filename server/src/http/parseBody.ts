import type { Request } from 'express';
import type { z } from 'zod';
import { badRequest, zodFieldErrors } from './errors';

/** Validates a JSON body against a schema; a mismatch is a 400 with per-field errors. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, rename?: (key: string) => string): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest('Invalid input', zodFieldErrors(result.error, rename));
  return result.data;
}

/** Actions with no body accept none or `{}`; anything else is validated like a real body. */
export function bodyOf(req: Request): unknown {
  return req.body === undefined || req.body === null ? {} : req.body;
}

/** An action's body, validated: 400 with per-field errors when it does not fit. */
export function validate<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseBody(schema, bodyOf(req));
}
