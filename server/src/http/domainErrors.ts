import { ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../usecases/domainErrors';
import { HttpError } from './errors';

/** The one mapping from a use case's refusal to an HTTP answer. */
export function fromDomainError(err: DomainError): HttpError {
  if (err instanceof NotFoundError) return new HttpError(404, err.message, err.fields);
  if (err instanceof ConflictError) return new HttpError(409, err.message, err.fields);
  if (err instanceof UnauthenticatedError) return new HttpError(401, err.message, err.fields);
  if (err instanceof ForbiddenError) return new HttpError(403, err.message, err.fields);
  if (err instanceof InvalidInputError) return new HttpError(400, err.message, err.fields);
  return new HttpError(400, err.message, err.fields);
}
