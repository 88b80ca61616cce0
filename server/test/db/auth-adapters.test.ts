import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { describeEachEngine } from '../support/testServer';

type Kind = 'text' | 'integer' | 'boolean' | 'timestamp' | 'jsonb';
/** adapter field → [our table, our column, kind]; the app maps the names in its adapter config. */
type Expected = Record<string, Record<string, [string, string, Kind]>>;

/** @auth/drizzle-adapter's PostgreSQL tables (authjs.dev, reference/drizzle-adapter/lib/pg), ids numeric here. */
const AUTH_JS: Expected = {
  user: { id: ['users', 'id', 'integer'], name: ['users', 'name', 'text'], email: ['users', 'email', 'text'], emailVerified: ['users', 'email_verified_at', 'timestamp'], image: ['users', 'avatar_url', 'text'] },
  account: {
    userId: ['accounts', 'user_id', 'integer'], type: ['accounts', 'type', 'text'], provider: ['accounts', 'provider', 'text'], providerAccountId: ['accounts', 'provider_account_id', 'text'],
    refresh_token: ['accounts', 'refresh_token', 'text'], access_token: ['accounts', 'access_token', 'text'],
    // Auth.js stores seconds since the epoch; here it is a timestamp (Better Auth's accessTokenExpiresAt).
    expires_at: ['accounts', 'expires_at', 'timestamp'],
    token_type: ['accounts', 'token_type', 'text'], scope: ['accounts', 'scope', 'text'], id_token: ['accounts', 'id_token', 'text'], session_state: ['accounts', 'session_state', 'text'],
  },
  session: { sessionToken: ['sessions', 'token', 'text'], userId: ['sessions', 'user_id', 'integer'], expires: ['sessions', 'expires_at', 'timestamp'] },
  verificationToken: { identifier: ['verification_tokens', 'identifier', 'text'], token: ['verification_tokens', 'token', 'text'], expires: ['verification_tokens', 'expires_at', 'timestamp'] },
};

/** Better Auth's core schema plus the admin and organization plugins (better-auth.com/docs/concepts/database), with useNumberId. */
const BETTER_AUTH: Expected = {
  user: {
    id: ['users', 'id', 'integer'], name: ['users', 'name', 'text'], email: ['users', 'email', 'text'], emailVerified: ['users', 'email_verified', 'boolean'], image: ['users', 'avatar_url', 'text'],
    createdAt: ['users', 'created_at', 'timestamp'], updatedAt: ['users', 'updated_at', 'timestamp'],
    role: ['users', 'role', 'text'], banned: ['users', 'banned', 'boolean'], banReason: ['users', 'ban_reason', 'text'], banExpires: ['users', 'ban_expires', 'timestamp'],
  },
  session: {
    id: ['sessions', 'id', 'integer'], expiresAt: ['sessions', 'expires_at', 'timestamp'], token: ['sessions', 'token', 'text'], createdAt: ['sessions', 'created_at', 'timestamp'], updatedAt: ['sessions', 'updated_at', 'timestamp'],
    ipAddress: ['sessions', 'ip', 'text'], userAgent: ['sessions', 'user_agent', 'text'], userId: ['sessions', 'user_id', 'integer'], impersonatedBy: ['sessions', 'impersonated_by', 'integer'],
    activeOrganizationId: ['sessions', 'active_organization_id', 'integer'], activeTeamId: ['sessions', 'active_team_id', 'integer'],
  },
  account: {
    id: ['accounts', 'id', 'integer'], accountId: ['accounts', 'provider_account_id', 'text'], providerId: ['accounts', 'provider', 'text'], userId: ['accounts', 'user_id', 'integer'],
    accessToken: ['accounts', 'access_token', 'text'], refreshToken: ['accounts', 'refresh_token', 'text'], idToken: ['accounts', 'id_token', 'text'],
    accessTokenExpiresAt: ['accounts', 'expires_at', 'timestamp'], refreshTokenExpiresAt: ['accounts', 'refresh_token_expires_at', 'timestamp'], scope: ['accounts', 'scope', 'text'],
    password: ['accounts', 'password', 'text'], createdAt: ['accounts', 'created_at', 'timestamp'], updatedAt: ['accounts', 'updated_at', 'timestamp'],
  },
  verification: {
    id: ['verifications', 'id', 'integer'], identifier: ['verifications', 'identifier', 'text'], value: ['verifications', 'value', 'text'], expiresAt: ['verifications', 'expires_at', 'timestamp'],
    createdAt: ['verifications', 'created_at', 'timestamp'], updatedAt: ['verifications', 'updated_at', 'timestamp'],
  },
  organization: { id: ['organizations', 'id', 'integer'], name: ['organizations', 'name', 'text'], slug: ['organizations', 'slug', 'text'], logo: ['organizations', 'logo_url', 'text'], metadata: ['organizations', 'metadata', 'jsonb'], createdAt: ['organizations', 'created_at', 'timestamp'] },
  member: { id: ['members', 'id', 'integer'], organizationId: ['members', 'organization_id', 'integer'], userId: ['members', 'user_id', 'integer'], role: ['members', 'role', 'text'], createdAt: ['members', 'created_at', 'timestamp'] },
  invitation: {
    id: ['invitations', 'id', 'integer'], organizationId: ['invitations', 'organization_id', 'integer'], email: ['invitations', 'email', 'text'], role: ['invitations', 'role', 'text'],
    status: ['invitations', 'status', 'text'], expiresAt: ['invitations', 'expires_at', 'timestamp'], inviterId: ['invitations', 'inviter_id', 'integer'], teamId: ['invitations', 'team_id', 'integer'],
  },
  team: { id: ['teams', 'id', 'integer'], name: ['teams', 'name', 'text'], organizationId: ['teams', 'organization_id', 'integer'], createdAt: ['teams', 'created_at', 'timestamp'], updatedAt: ['teams', 'updated_at', 'timestamp'] },
  teamMember: { id: ['team_members', 'id', 'integer'], teamId: ['team_members', 'team_id', 'integer'], userId: ['team_members', 'user_id', 'integer'], createdAt: ['team_members', 'created_at', 'timestamp'] },
};

const kindOf = (dataType: string): Kind | string =>
  ({ text: 'text', 'character varying': 'text', 'USER-DEFINED': 'text', integer: 'integer', bigint: 'integer', boolean: 'boolean', 'timestamp with time zone': 'timestamp', jsonb: 'jsonb' })[dataType] ?? dataType;

describeEachEngine('auth library adapters', (server) => {
  for (const [library, expected] of [['Auth.js', AUTH_JS], ['Better Auth', BETTER_AUTH]] as const) {
    it(`every column ${library}'s adapter reads exists with a compatible type`, async () => {
      const columns = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
        server().ctx.database.db,
        sql`select table_name, column_name, data_type from information_schema.columns where table_schema = 'public'`,
      );
      const actual = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, kindOf(c.data_type)]));
      const wrong: string[] = [];
      for (const [model, fields] of Object.entries(expected)) {
        for (const [field, [table, column, kind]] of Object.entries(fields)) {
          const found = actual.get(`${table}.${column}`);
          if (found !== kind) wrong.push(`${model}.${field} → ${table}.${column}: ${found ?? 'missing'} (want ${kind})`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

});
