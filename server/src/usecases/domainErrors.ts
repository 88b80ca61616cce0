/**
 * What a use case throws when a rule refuses the request. They carry no HTTP status: the HTTP
 * layer maps them in one place (http/domainErrors.ts), and a CLI or job can catch them by class.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    /** The reason per input field, for forms that show errors under their inputs. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The record the input names does not exist. */
export class NotFoundError extends DomainError {}
/** The record exists but its state forbids this (already banned, not pending, would go negative). */
export class ConflictError extends DomainError {}
/** The input is well-formed but not acceptable (an id that cannot exist, a value out of range). */
export class InvalidInputError extends DomainError {}
/** The proof the actor gave was not accepted or no longer holds (an expired sign-in step, a refused passkey). */
export class UnauthenticatedError extends DomainError {}
/** The actor's role does not allow this (checked by the use case when the rule depends on the record). */
export class ForbiddenError extends DomainError {}
