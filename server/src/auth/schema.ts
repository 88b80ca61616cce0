import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { USER_ROLES } from '../../../contract/enums';
import { organizations, teams } from '../orgs/schema';

export const userRole = pgEnum('user_role', USER_ROLES);

/**
 * Invite codes come from the database's `generate_invite_code()` (migration 0008), so an app that
 * writes `users` directly gets one too. Its alphabet has no 0/O or 1/I/L: codes survive being read
 * aloud or retyped.
 */
export const INVITE_CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

export const users = pgTable(
  'users',
  {
    id: intId(),
    uuid: uuid('uuid').notNull().unique().defaultRandom(),
    email: text('email').notNull().unique(),
    // Better Auth reads a boolean, Auth.js a timestamp: both are kept, the app's adapter maps one.
    emailVerified: boolean('email_verified').notNull().default(false),
    emailVerifiedAt: tstz('email_verified_at'),
    name: text('name'),
    nickname: text('nickname'),
    avatarUrl: text('avatar_url'),
    role: userRole('role').notNull().default('member'),
    // Only operators (support/admin) sign in to the console with a password; app users use OAuth.
    passwordHash: text('password_hash'),
    banned: boolean('banned').notNull().default(false),
    banReason: text('ban_reason'),
    banExpires: tstz('ban_expires'),
    inviteCode: text('invite_code').notNull().unique().default(sql`generate_invite_code()`),
    invitedBy: integer('invited_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    isAffiliate: boolean('is_affiliate').notNull().default(false),
    locale: text('locale'),
    signinProvider: text('signin_provider'),
    signinIp: text('signin_ip'),
    // How many generations a day the app lets this user start, and whether video models are open to them.
    dailyGenerationLimit: integer('daily_generation_limit').notNull().default(50),
    videoAccess: boolean('video_access').notNull().default(false),
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
    // Auth.js: 'oauth' | 'oidc' | 'email' | 'webauthn'; Better Auth's email/password rows are 'credential'.
    type: text('type').notNull().default('oauth'),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    expiresAt: tstz('expires_at'),
    refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
    tokenType: text('token_type'),
    scope: text('scope'),
    idToken: text('id_token'),
    sessionState: text('session_state'),
    // Better Auth's credential provider keeps the user's password hash here, never in users.
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('accounts_provider_account_uq').on(t.provider, t.providerAccountId),
    index('accounts_user_id_idx').on(t.userId),
  ],
);

/** The app's own sessions, in the shape Auth.js and Better Auth write. Console sign-ins live in operator_sessions. */
export const sessions = pgTable(
  'sessions',
  {
    id: intId(),
    token: text('token').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    impersonatedBy: integer('impersonated_by').references(() => users.id, { onDelete: 'set null' }),
    activeOrganizationId: integer('active_organization_id').references((): AnyPgColumn => organizations.id, { onDelete: 'set null' }),
    activeTeamId: integer('active_team_id').references((): AnyPgColumn => teams.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_expires_at_idx').on(t.expiresAt),
    index('sessions_impersonated_by_idx').on(t.impersonatedBy),
    index('sessions_active_organization_id_idx').on(t.activeOrganizationId).concurrently(),
    index('sessions_active_team_id_idx').on(t.activeTeamId).concurrently(),
  ],
);

/**
 * Console sign-ins. Kept apart from the app's `sessions` so an auth library's adapter never reads,
 * rotates or prunes an operator's session (and opsroom never touches the app's). The token is a
 * SHA-256 of the cookie's bearer token: a leaked table signs nobody in. Triggers (migration 0013)
 * NOTIFY every server task when a row changes, for their in-memory session caches.
 */
export const operatorSessions = pgTable(
  'operator_sessions',
  {
    id: intId(),
    token: text('token').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('operator_sessions_user_id_idx').on(t.userId), index('operator_sessions_expires_at_idx').on(t.expiresAt)],
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

/** Better Auth's verification rows (one `value` per identifier); Auth.js uses verification_tokens. */
export const verifications = pgTable(
  'verifications',
  {
    id: intId(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier), index('verifications_expires_at_idx').on(t.expiresAt)],
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
export type OperatorSession = typeof operatorSessions.$inferSelect;
export type Verification = typeof verifications.$inferSelect;
export type VerificationToken = typeof verificationTokens.$inferSelect;
