import type { RequestHandler } from 'express';
import { badRequest } from './errors';

/**
 * How deep a JSON value may nest. The schema validators (zod's JSON type under drizzle-zod)
 * recurse once per level: 20,000 levels blew the stack (a 500) while 2,000 were stored.
 */
export const MAX_JSON_DEPTH = 32;

/** Keys that would reach Object.prototype through an assignment (`map[key] = …`). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored, if it can't: Postgres text and jsonb reject NUL (a driver error,
 * formerly a 500), and a lone UTF-16 surrogate is silently turned into U+FFFD on the way out.
 */
export function unstorableText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'Must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'Must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/**
 * Everything in a parsed JSON value that no column could hold or that could reach an object's
 * prototype, as `{ field: why }`. Walks with its own stack, so it is safe on input nested far
 * deeper than anything recursive downstream can take; it stops at MAX_JSON_DEPTH.
 */
export function jsonProblems(value: unknown, maxDepth = MAX_JSON_DEPTH): Record<string, string> | undefined {
  // A Map, then fromEntries: a `__proto__` field name must become a key of the answer, not its prototype.
  const problems = new Map<string, string>();
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  const name = (path: string[]) => (path.length ? path.slice(0, 4).join('.') : '_');
  while (stack.length && problems.size < 20) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const why = unstorableText(v);
      if (why && !problems.has(name(path))) problems.set(name(path), why);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.set(name(path), 'Number out of range');
    } else if (v !== null && typeof v === 'object') {
      if (path.length >= maxDepth) {
        problems.set(path[0] ?? '_', `Nested more than ${maxDepth} levels deep`);
        continue;
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, String(i)] });
        continue;
      }
      for (const key of Object.keys(v)) {
        const at = [...path, key];
        if (PROTOTYPE_KEYS.has(key)) problems.set(name(at), path.length ? `The key "${key}" is not allowed` : 'Unknown field');
        else if (unstorableText(key)) problems.set(name(at), `Field names ${unstorableText(key)!.replace(/^Must/, 'must')}`);
        else stack.push({ v: (v as Record<string, unknown>)[key], path: at });
      }
    }
  }
  return problems.size ? Object.fromEntries(problems) : undefined;
}

/** Throws the 400 for a value `jsonProblems` finds fault with. */
export function assertStorableJson(value: unknown, what = 'The request body'): void {
  const problems = jsonProblems(value);
  if (problems) throw badRequest(`${what} has values that cannot be stored.`, problems);
}

/** Runs after express.json on /api: one check for every body, before any handler or validator sees it. */
export const guardJsonBody: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined && req.body !== null) assertStorableJson(req.body);
  next();
};
