import type { Request } from 'express';
import type { Operator } from '../auth/sessions';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireOperator for every /api route behind login. */
    operator?: Operator;
    /** The raw session token from the cookie, kept for CSRF checks and logout. */
    sessionToken?: string;
    id: string;
  }
}

export function operatorOf(req: Request): Operator {
  if (!req.operator) throw new Error('route mounted without requireOperator');
  return req.operator;
}

/** Who did what, from where: attached to every audit row. */
export function actorOf(req: Request) {
  const op = operatorOf(req);
  return { actorId: op.id, actorEmail: op.email, ip: req.ip ?? null, requestId: req.id };
}
export type Actor = ReturnType<typeof actorOf>;
