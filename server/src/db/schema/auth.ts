import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, intId, tstz, updatedAt } from './columns';
import { USER_ROLES } from '../../../../contract/enums';

export const userRole = pgEnum('user_role', USER_ROLES);

// Crockford-style alphabet: no 0/O or 1/I/L, so codes survive being read aloud or retyped.
const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function generateInviteCode(length = 8): string {
  let code = '';
  for (let i = 0; i < length; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

export const users = pgTable(
  'users',
  {
    id: intId(),
    uuid: uuid('uuid').notNull().unique().defaultRandom(),
    email: text('email').notNull().unique(),
    name: text('name'),
    nickname: text('nickname'),
    avatarUrl: text('avatar_url'),
    role: userRole('role').notNull().default('member'),
    // Only operators (support/admin) sign in to the console with a password; app users use OAuth.
    passwordHash: text('password_hash'),
    banned: boolean('banned').notNull().default(false),
    banReason: text('ban_reason'),
    banExpires: tstz('ban_expires'),
    inviteCode: text('invite_code').notNull().unique().$defaultFn(() => generateInviteCode()),
    invitedBy: integer('invited_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    isAffiliate: boolean('is_affiliate').notNull().default(false),
    locale: text('locale'),
    signinProvider: text('signin_provider'),
    signinIp: text('signin_ip'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('users_created_at_idx').on(t.createdAt),
    index('users_invited_by_idx').on(t.invitedBy),
    index('users_role_idx').on(t.role),
    // Operators search users by fragments of email or name; trigram GIN makes ILIKE '%frag%' indexable.
    index('users_email_trgm_idx').using('gin', t.email.op('gin_trgm_ops')),
    index('users_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    // The search box matches nickname too; without its own index one unindexed branch of the OR
    // turns every search into a sequential scan of users (270 ms at 200k users, seconds at 1M).
    index('users_nickname_trgm_idx').using('gin', t.nickname.op('gin_trgm_ops')).concurrently(),
    index('users_banned_idx').on(t.banned).where(sql`${t.banned}`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    expiresAt: tstz('expires_at'),
    scope: text('scope'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('accounts_provider_account_uq').on(t.provider, t.providerAccountId),
    index('accounts_user_id_idx').on(t.userId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: intId(),
    // A SHA-256 of the bearer token, never the token itself: a leaked table must not log anyone in.
    token: text('token').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    impersonatedBy: integer('impersonated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_expires_at_idx').on(t.expiresAt),
    index('sessions_impersonated_by_idx').on(t.impersonatedBy),
  ],
);

export const verificationTokens = pgTable(
  'verification_tokens',
  {
    id: intId(),
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('verification_tokens_identifier_token_uq').on(t.identifier, t.token)],
);

// Failed and successful console sign-ins, for rate limiting that holds across every app task.
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: intId(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('login_attempts_email_idx').on(t.email, t.createdAt), index('login_attempts_ip_idx').on(t.ip, t.createdAt)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Account = typeof accounts.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type VerificationToken = typeof verificationTokens.$inferSelect;
