import { eq } from 'drizzle-orm';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { OperatorError, type OperatorInput } from '../auth/operators';
import type { Db } from '../db/client';
import { operators } from './schema';

/** admin:create on an adopted database: the operator goes to opsroom.operators, never the app's users. */
export async function upsertAdoptedOperator(db: Db, input: OperatorInput): Promise<{ id: number; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new OperatorError(`"${input.email}" is not an email address.`);
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new OperatorError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, email)).limit(1);
  if (existing) {
    if (!input.reset) throw new OperatorError(`${email} already exists. Pass --reset to set a new password and role.`);
    await db.update(operators).set({ passwordHash, role: input.role, disabled: false, ...(input.name ? { name: input.name } : {}) }).where(eq(operators.id, existing.id));
    return { id: existing.id, created: false };
  }
  const [row] = await db.insert(operators).values({ email, name: input.name ?? email.split('@')[0], role: input.role, passwordHash }).returning({ id: operators.id });
  return { id: row!.id, created: true };
}
