import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { INVITATION_STATUSES, MEMBER_ROLES } from '../../../contract/enums';

export const memberRole = pgEnum('member_role', MEMBER_ROLES);
export const invitationStatus = pgEnum('invitation_status', INVITATION_STATUSES);

/** Organizations are also AI Studio's workspaces: the owner is who created it and answers for it. */
export const organizations = pgTable(
  'organizations',
  {
    id: intId(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique(),
    logoUrl: text('logo_url'),
    ownerId: integer('owner_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('organizations_owner_id_idx').on(t.ownerId).concurrently()],
);

export const members = pgTable(
  'members',
  {
    id: intId(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_org_user_uq').on(t.organizationId, t.userId), index('members_user_id_idx').on(t.userId)],
);

export const teams = pgTable(
  'teams',
  {
    id: intId(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('teams_organization_id_idx').on(t.organizationId)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    id: intId(),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('team_members_team_user_uq').on(t.teamId, t.userId), index('team_members_user_id_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: intId(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: memberRole('role').notNull().default('member'),
    status: invitationStatus('status').notNull().default('pending'),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Accepting the invitation also adds the member to this team.
    teamId: integer('team_id').references((): AnyPgColumn => teams.id, { onDelete: 'set null' }),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_organization_id_idx').on(t.organizationId),
    index('invitations_team_id_idx').on(t.teamId).concurrently(),
    index('invitations_inviter_id_idx').on(t.inviterId),
    index('invitations_email_idx').on(t.email),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type Member = typeof members.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
