import { eq } from 'drizzle-orm';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { OperatorError, type OperatorInput } from '../auth/operators';
import type { Db } from '../db/client';
import { postgresDialect, type AdoptDialect } from './dialect';

/** admin:create on an adopted database: the operator goes to opsroom's operators table, never the app's users. */
export async function upsertAdoptedOperator(db: Db, input: OperatorInput, dialect: AdoptDialect = postgresDialect): Promise<{ id: number; created: boolean }> {
  const { operators } = dialect.opsroom;
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
  const now = new Date();
  const id = await dialect.insertId(db, operators, { email, name: input.name ?? email.split('@')[0], role: input.role, passwordHash, createdAt: now, updatedAt: now });
  return { id, created: true };
}
