import { and, eq, gt } from 'drizzle-orm';
import type { Operator } from '../auth/sessions';
import { sha256 } from '../crypto/secretBox';
import type { Db } from '../db/client';
import type { UseCaseActor } from '../usecases';
import type { AdoptDialect } from './dialect';

/** What sign-in and sessions of an adopted database need: its client and the dialect that holds opsroom's tables there. */
export interface AdoptedAuthDeps {
  db: Db;
  dialect: AdoptDialect;
}

/** The operator a session cookie's token belongs to, unless the session expired or the operator is disabled. */
export async function operatorForToken(deps: AdoptedAuthDeps, token: string): Promise<Operator | undefined> {
  const { operators, operatorSessions } = deps.dialect.opsroom;
  const [row] = await deps.db
    .select({ id: operators.id, email: operators.email, name: operators.name, role: operators.role, disabled: operators.disabled })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(and(eq(operatorSessions.token, sha256(token)), gt(operatorSessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.disabled) return undefined;
  return { id: row.id, email: row.email, name: row.name ?? row.email, role: row.role };
}

export async function signOutAdopted(deps: AdoptedAuthDeps, _actor: UseCaseActor, input: { token: string }): Promise<void> {
  const { operatorSessions } = deps.dialect.opsroom;
  await deps.db.delete(operatorSessions).where(eq(operatorSessions.token, sha256(input.token)));
}
