import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { APPROVAL_STATUSES } from '../../../contract/enums';
import type { StoredInput } from '../approvals/holdForApproval';
import { users } from './schema';
import { bigId, createdAt, intId, tstz, updatedAt } from '../db/schema/columns';

// Operator identity and guarded actions (issue 19): notes on users, second factors, sign-in
// challenges and four-eyes approval requests.

export const userNotes = pgTable(
  'user_notes',
  {
    id: bigId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    // Copied so a note still says who wrote it after that operator is deleted.
    authorEmail: text('author_email').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('user_notes_user_id_idx').on(t.userId, t.createdAt), check('user_notes_body_length', sql`char_length(${t.body}) between 1 and 5000`)],
);

export const authChallengePurpose = pgEnum('auth_challenge_purpose', ['mfa', 'mfa_enrol', 'webauthn_register', 'oidc']);

/**
 * Short-lived, single-use steps of a sign-in: a password that still needs its second factor, a
 * passkey registration, an OpenID Connect round trip. Looked up by the SHA-256 of the token the
 * browser holds; `data` carries what the step needs (a WebAuthn challenge, a PKCE verifier).
 */
export const authChallenges = pgTable(
  'auth_challenges',
  {
    id: intId(),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: authChallengePurpose('purpose').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, string>>().notNull().default({}),
    failures: integer('failures').notNull().default(0),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('auth_challenges_expires_at_idx').on(t.expiresAt)],
);

export const operatorTotp = pgTable('operator_totp', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  // AES-256-GCM envelope from crypto/secretBox, like provider keys.
  encryptedSecret: text('encrypted_secret').notNull(),
  keyVersion: integer('key_version').notNull(),
  // Null until the operator proves the authenticator works; an unconfirmed secret is no factor.
  confirmedAt: tstz('confirmed_at'),
  // The last accepted time step: a code is good once, even inside its 30-second window.
  lastStep: bigint('last_step', { mode: 'number' }),
  createdAt: createdAt(),
});

export const operatorRecoveryCodes = pgTable(
  'operator_recovery_codes',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull().unique(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('operator_recovery_codes_user_id_idx').on(t.userId)],
);

export const operatorPasskeys = pgTable(
  'operator_passkeys',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    credentialId: text('credential_id').notNull().unique(),
    // The credential's public key (COSE, base64url): public by nature, but never sent to the console.
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: jsonb('transports').$type<string[]>().notNull().default([]),
    name: text('name').notNull(),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('operator_passkeys_user_id_idx').on(t.userId)],
);

export const approvalStatus = pgEnum('approval_status', APPROVAL_STATUSES);

/** A guarded action waiting for a second admin: what to run (`action` + `input`) and who asked. */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: intId(),
    action: text('action').notNull(),
    input: jsonb('input').$type<StoredInput>().notNull(),
    summary: text('summary').notNull(),
    resource: text('resource').notNull(),
    recordId: text('record_id'),
    status: approvalStatus('status').notNull().default('pending'),
    requestedBy: integer('requested_by').references(() => users.id, { onDelete: 'set null' }),
    requestedByEmail: text('requested_by_email').notNull(),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedByEmail: text('decided_by_email'),
    decidedAt: tstz('decided_at'),
    decisionNote: text('decision_note'),
    result: jsonb('result').$type<unknown>(),
    error: text('error'),
    // The requester's Idempotency-Key, scoped to the action and the operator: a retry finds this request.
    idempotencyKey: text('idempotency_key'),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('approval_requests_status_idx').on(t.status, t.createdAt),
    index('approval_requests_requested_by_idx').on(t.requestedBy),
    uniqueIndex('approval_requests_idempotency_key_idx').on(t.idempotencyKey),
  ],
);

export type UserNote = typeof userNotes.$inferSelect;
export type AuthChallenge = typeof authChallenges.$inferSelect;
export type OperatorPasskey = typeof operatorPasskeys.$inferSelect;
export type ApprovalRequest = typeof approvalRequests.$inferSelect;
