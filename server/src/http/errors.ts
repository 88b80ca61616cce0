import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError } from '../usecases/domainErrors';
import { isDatabaseUnavailable, pgErrorOf } from '../db/errors';
import type { Logger } from '../logger';
import { fromDomainError } from './domainErrors';
import { zodFieldErrors } from '../usecases/parseInput';

export { zodFieldErrors };

/** An error whose message is safe and useful to show the operator (react-admin displays `message`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, errors?: Record<string, string>) => new HttpError(400, message, errors);
export const notFound = (message = 'Not found') => new HttpError(404, message);
export const conflict = (message: string, errors?: Record<string, string>) => new HttpError(409, message, errors);
export const forbidden = (message = "You don't have permission to do that.") => new HttpError(403, message);
export const unauthorized = (message = 'Sign in to continue.') => new HttpError(401, message);

/** Postgres errors that a client's input caused, mapped to the status a client can act on. */
function fromPostgres(err: unknown): HttpError | undefined {
  const e = pgErrorOf(err);
  const field = e.constraint ? undefined : e.column;
  switch (e.code) {
    case '23505': {
      const m = /Key \(([^)]+)\)=/.exec(e.detail ?? '');
      const key = m?.[1]?.split(',')[0]?.trim() ?? 'id';
      return conflict(`A record with this ${key.replace(/_/g, ' ')} already exists.`, { [key]: 'Already exists' });
    }
    case '23503':
    case '23001': // restrict_violation: ON DELETE RESTRICT
      return conflict('Other records refer to this one (or it refers to a record that does not exist).');
    case '23514':
      return badRequest(`The value breaks a rule of this table (${e.constraint ?? 'check'}).`);
    case '23502':
      return badRequest('A required value is missing.', field ? { [field]: 'Required' } : undefined);
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return badRequest('A value has the wrong type or is out of range.');
    case '40001':
    case '40P01':
      return new HttpError(409, 'The record was busy; try again.');
  }
  return undefined;
}

/** The same for MySQL/MariaDB (adopt mode), whose driver names errors instead of SQLSTATE numbers. */
function fromMysql(err: unknown): HttpError | undefined {
  switch (pgErrorOf(err).code) {
    case 'ER_DUP_ENTRY':
      return conflict('A record with this value already exists.');
    case 'ER_ROW_IS_REFERENCED':
    case 'ER_ROW_IS_REFERENCED_2':
    case 'ER_NO_REFERENCED_ROW':
    case 'ER_NO_REFERENCED_ROW_2':
      return conflict('Other records refer to this one (or it refers to a record that does not exist).');
    case 'ER_CHECK_CONSTRAINT_VIOLATED':
    case 'ER_CONSTRAINT_FAILED':
      return badRequest('The value breaks a rule of this table (check).');
    case 'ER_BAD_NULL_ERROR':
      return badRequest('A required value is missing.');
    case 'ER_DATA_TOO_LONG':
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_DATA_OUT_OF_RANGE':
    case 'ER_INVALID_JSON_TEXT':
      return badRequest('A value has the wrong type or is out of range.');
    case 'ER_LOCK_DEADLOCK':
    case 'ER_LOCK_WAIT_TIMEOUT':
      return new HttpError(409, 'The record was busy; try again.');
  }
  return undefined;
}

/**
 * A 4xx raised below our handlers: body-parser (malformed JSON, oversized bodies, wrong charset) and
 * the router, whose URIError for a path with bad percent-encoding (`/api/users/%ZZ`) carries status
 * 400 but no `expose`, and used to fall through to a 500. Only messages marked safe are shown.
 */
function clientErrorMessage(err: { type?: string; expose?: boolean; message?: string }): string {
  if (err.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  if (err.type === 'entity.too.large') return 'The request body is too large.';
  if (err instanceof URIError) return 'The URL is not valid: it has a malformed percent-encoding.';
  return err.expose ? String(err.message) : 'The request is not valid.';
}

/**
 * What the log gets of an error. Drizzle's DrizzleQueryError puts the bind values in its message
 * and stack ("Failed query: … params: <session token hash>, <email>, …"), so every logged 503 or
 * 500 wrote secrets to the log. Keep the query's text (no values in it) and the database's own
 * message and code; drop the params.
 */
export function loggableError(err: unknown): unknown {
  const e = err as { name?: string; query?: unknown; params?: unknown; cause?: { message?: string; code?: string; stack?: string } };
  if (!e || typeof e.query !== 'string' || !('params' in e)) return err;
  return { type: e.name, query: e.query, message: e.cause?.message, code: e.cause?.code, stack: e.cause?.stack };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = (req as { id?: string }).id;
    let httpErr: HttpError | undefined;
    if (err instanceof HttpError) httpErr = err;
    else if (err instanceof DomainError) httpErr = fromDomainError(err);
    else if (err instanceof ZodError) httpErr = badRequest('Invalid input', zodFieldErrors(err));
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) httpErr = new HttpError(err.status, clientErrorMessage(err));
    else if (isDatabaseUnavailable(err)) {
      const logged = loggableError(err) as { message?: string };
      logger.warn({ requestId, err: logged.message }, 'database unavailable');
      httpErr = new HttpError(503, 'The database is unavailable right now. Try again in a moment.', undefined, { 'Retry-After': '5' });
    } else httpErr = fromPostgres(err) ?? fromMysql(err);

    if (!httpErr) {
      logger.error({ requestId, err: loggableError(err) }, 'unhandled error');
      res.status(500).json({ message: `Something went wrong on our side (request ${requestId}).` });
      return;
    }
    if (httpErr.headers) res.set(httpErr.headers);
    res.status(httpErr.status).json(httpErr.errors ? { message: httpErr.message, errors: httpErr.errors } : { message: httpErr.message });
  };
}
