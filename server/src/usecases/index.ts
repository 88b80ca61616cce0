import type { Db, Tx } from '../db/client';

/** What every use case receives: the database, nothing from HTTP. */
export interface UseCaseDeps {
  /**
   * The pool, or a transaction the caller holds (approving a held action runs it inside the
   * decision's): the use case's own transaction() is then a savepoint within it.
   */
  db: Db | Tx;
}

/** Who asked: an operator (from a console request) or nobody in particular (the app, a job, a script). */
export interface UseCaseActor {
  actorId: number | null;
  actorEmail: string | null;
  ip: string | null;
  requestId: string | null;
}

/** The actor for work nobody clicked: the app's own calls, jobs and scripts. */
export const SYSTEM_ACTOR: UseCaseActor = { actorId: null, actorEmail: 'system', ip: null, requestId: null };

// Use cases refuse with the one family of domain errors; http/domainErrors.ts maps them to statuses.
export { ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from './domainErrors';
