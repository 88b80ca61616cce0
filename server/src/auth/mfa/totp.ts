import { randomBytes } from 'node:crypto';
import { and, eq, isNull, or, lt } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { decryptSecret, encryptSecret, sha256, type KeyRing } from '../../crypto/secretBox';
import type { Db, Tx } from '../../db/client';
import { operatorRecoveryCodes, operatorTotp } from '../../db/schema';
import { ConflictError } from '../../usecases/domainErrors';

const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'opsroom';

const totpFor = (secretBase32: string, label: string) => new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });

/** Whether the operator has a working second factor (a confirmed TOTP; passkeys count too). */
export async function hasConfirmedTotp(db: Db | Tx, userId: number): Promise<boolean> {
  const [row] = await db.select({ confirmedAt: operatorTotp.confirmedAt }).from(operatorTotp).where(eq(operatorTotp.userId, userId));
  return !!row?.confirmedAt;
}

/**
 * A new, unconfirmed secret (replacing any earlier unconfirmed one), stored encrypted like a
 * provider key. The plaintext goes back once, for the authenticator app; it is no factor until a
 * code from it is confirmed.
 */
export async function startTotpEnrolment(db: Db, ring: KeyRing, user: { id: number; email: string }) {
  if (await hasConfirmedTotp(db, user.id)) throw new ConflictError('An authenticator app is already set up for this account. Ask an admin to reset it (npm run admin:create -- --reset-mfa) to set up a new one.');
  const secret = new Secret({ size: 20 }).base32;
  const { ciphertext, keyVersion } = encryptSecret(ring, secret);
  await db
    .insert(operatorTotp)
    .values({ userId: user.id, encryptedSecret: ciphertext, keyVersion })
    .onConflictDoUpdate({ target: operatorTotp.userId, set: { encryptedSecret: ciphertext, keyVersion, lastStep: null, createdAt: new Date() } });
  return { secret, otpauth_uri: totpFor(secret, user.email).toString() };
}

/**
 * Checks a 6-digit code against the operator's secret, one step either side for clock drift. A
 * code counts once: the accepted time step is recorded and a step at or before it is refused, in
 * one conditional update, so a code seen over a shoulder cannot be replayed within its window.
 */
export async function checkTotp(db: Db | Tx, ring: KeyRing, user: { id: number; email: string }, code: string, { confirmed }: { confirmed: boolean }): Promise<boolean> {
  const [row] = await db.select().from(operatorTotp).where(eq(operatorTotp.userId, user.id));
  if (!row || !!row.confirmedAt !== confirmed) return false;
  const totp = totpFor(decryptSecret(ring, row.encryptedSecret), user.email);
  const delta = totp.validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
  const taken = await db
    .update(operatorTotp)
    .set({ lastStep: step, ...(confirmed ? {} : { confirmedAt: new Date() }) })
    .where(and(eq(operatorTotp.userId, user.id), or(isNull(operatorTotp.lastStep), lt(operatorTotp.lastStep, step))))
    .returning({ userId: operatorTotp.userId });
  return taken.length === 1;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function recoveryCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
const normalizeRecovery = (code: string) => code.trim().toLowerCase().replace(/\s+/g, '');

/** Ten fresh single-use codes (the old ones void); only their hashes are kept. */
export async function issueRecoveryCodes(db: Db | Tx, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
  await db.delete(operatorRecoveryCodes).where(eq(operatorRecoveryCodes.userId, userId));
  await db.insert(operatorRecoveryCodes).values(codes.map((c) => ({ userId, codeHash: sha256(normalizeRecovery(c)) })));
  return codes;
}

/** Spends one recovery code; false when it is unknown, someone else's, or already used. */
export async function useRecoveryCode(db: Db | Tx, userId: number, code: string): Promise<boolean> {
  const spent = await db
    .update(operatorRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(operatorRecoveryCodes.userId, userId), eq(operatorRecoveryCodes.codeHash, sha256(normalizeRecovery(code))), isNull(operatorRecoveryCodes.usedAt)))
    .returning({ id: operatorRecoveryCodes.id });
  return spent.length === 1;
}

export async function recoveryCodesLeft(db: Db | Tx, userId: number): Promise<number> {
  const rows = await db.select({ id: operatorRecoveryCodes.id }).from(operatorRecoveryCodes).where(and(eq(operatorRecoveryCodes.userId, userId), isNull(operatorRecoveryCodes.usedAt)));
  return rows.length;
}
