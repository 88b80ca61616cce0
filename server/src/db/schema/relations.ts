import { relations } from 'drizzle-orm';
import { apiKeys, generations } from '../../ai/schema';
import { accounts, operatorSessions, sessions, users } from '../../auth/schema';
import { creditTransactions, credits, orders } from '../../billing/schema';
import { assetBrands, assets, assetTags, brands, feedbacks, posts } from '../../content/schema';
import { badges, userBadges, userXp, xpTransactions } from '../../gamification/schema';
import { affiliates } from '../../growth/schema';
import { approvalRequests, authChallenges, operatorPasskeys, operatorRecoveryCodes, operatorTotp, userNotes } from '../../auth/identitySchema';
import { auditLog } from '../../ops/schema';
import { invitations, members, organizations, teamMembers, teams } from '../../orgs/schema';
import { projectImages, projects, projectVideos } from '../../content/projectsSchema';

/**
 * One `one()` per foreign key (and the matching `many()`), so `db.query.x.findMany({ with })`
 * can follow every reference. Where two tables are linked twice, `relationName` tells the links apart.
 */
export const usersRelations = relations(users, ({ one, many }) => ({
  inviter: one(users, { fields: [users.invitedBy], references: [users.id], relationName: 'invites' }),
  invitees: many(users, { relationName: 'invites' }),
  accounts: many(accounts),
  sessions: many(sessions, { relationName: 'session_user' }),
  impersonations: many(sessions, { relationName: 'session_impersonator' }),
  operatorSessions: many(operatorSessions),
  orders: many(orders),
  credits: one(credits),
  creditTransactions: many(creditTransactions, { relationName: 'ledger_user' }),
  creditAdjustments: many(creditTransactions, { relationName: 'ledger_actor' }),
  generations: many(generations),
  apiKeys: many(apiKeys),
  posts: many(posts),
  feedbacks: many(feedbacks),
  brands: many(brands),
  assets: many(assets),
  badges: many(userBadges, { relationName: 'badge_holder' }),
  badgesAwarded: many(userBadges, { relationName: 'badge_awarder' }),
  xp: one(userXp),
  xpTransactions: many(xpTransactions),
  affiliates: many(affiliates),
  ownedOrganizations: many(organizations),
  memberships: many(members),
  teamMemberships: many(teamMembers),
  invitationsSent: many(invitations),
  projects: many(projects),
  auditEntries: many(auditLog),
  notes: many(userNotes, { relationName: 'note_subject' }),
  notesWritten: many(userNotes, { relationName: 'note_author' }),
  authChallenges: many(authChallenges),
  totp: one(operatorTotp),
  recoveryCodes: many(operatorRecoveryCodes),
  passkeys: many(operatorPasskeys),
  approvalsRequested: many(approvalRequests, { relationName: 'approval_requester' }),
  approvalsDecided: many(approvalRequests, { relationName: 'approval_decider' }),
}));

export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));

export const operatorSessionsRelations = relations(operatorSessions, ({ one }) => ({
  user: one(users, { fields: [operatorSessions.userId], references: [users.id] }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id], relationName: 'session_user' }),
  impersonator: one(users, { fields: [sessions.impersonatedBy], references: [users.id], relationName: 'session_impersonator' }),
  activeOrganization: one(organizations, { fields: [sessions.activeOrganizationId], references: [organizations.id] }),
  activeTeam: one(teams, { fields: [sessions.activeTeamId], references: [teams.id] }),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  user: one(users, { fields: [orders.userId], references: [users.id] }),
  creditTransactions: many(creditTransactions),
  affiliate: many(affiliates),
}));

export const creditsRelations = relations(credits, ({ one }) => ({
  user: one(users, { fields: [credits.userId], references: [users.id] }),
}));

export const creditTransactionsRelations = relations(creditTransactions, ({ one }) => ({
  user: one(users, { fields: [creditTransactions.userId], references: [users.id], relationName: 'ledger_user' }),
  actor: one(users, { fields: [creditTransactions.actorId], references: [users.id], relationName: 'ledger_actor' }),
  order: one(orders, { fields: [creditTransactions.orderId], references: [orders.id] }),
}));

export const generationsRelations = relations(generations, ({ one, many }) => ({
  user: one(users, { fields: [generations.userId], references: [users.id] }),
  asset: one(assets, { fields: [generations.assetId], references: [assets.id], relationName: 'generation_result' }),
  assets: many(assets, { relationName: 'asset_source' }),
  xpTransactions: many(xpTransactions),
}));


export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
}));

export const postsRelations = relations(posts, ({ one }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
}));

export const feedbacksRelations = relations(feedbacks, ({ one }) => ({
  user: one(users, { fields: [feedbacks.userId], references: [users.id] }),
}));

export const brandsRelations = relations(brands, ({ one, many }) => ({
  user: one(users, { fields: [brands.userId], references: [users.id] }),
  assets: many(assetBrands),
}));

export const assetsRelations = relations(assets, ({ one, many }) => ({
  user: one(users, { fields: [assets.userId], references: [users.id] }),
  generation: one(generations, { fields: [assets.generationId], references: [generations.id], relationName: 'asset_source' }),
  producedBy: many(generations, { relationName: 'generation_result' }),
  brands: many(assetBrands),
  tags: many(assetTags),
}));

export const assetBrandsRelations = relations(assetBrands, ({ one }) => ({
  asset: one(assets, { fields: [assetBrands.assetId], references: [assets.id] }),
  brand: one(brands, { fields: [assetBrands.brandId], references: [brands.id] }),
}));

export const assetTagsRelations = relations(assetTags, ({ one }) => ({
  asset: one(assets, { fields: [assetTags.assetId], references: [assets.id] }),
}));

export const badgesRelations = relations(badges, ({ many }) => ({
  awards: many(userBadges),
}));

export const userBadgesRelations = relations(userBadges, ({ one }) => ({
  user: one(users, { fields: [userBadges.userId], references: [users.id], relationName: 'badge_holder' }),
  badge: one(badges, { fields: [userBadges.badgeId], references: [badges.id] }),
  awarder: one(users, { fields: [userBadges.awardedBy], references: [users.id], relationName: 'badge_awarder' }),
}));

export const userXpRelations = relations(userXp, ({ one }) => ({
  user: one(users, { fields: [userXp.userId], references: [users.id] }),
}));

export const xpTransactionsRelations = relations(xpTransactions, ({ one }) => ({
  user: one(users, { fields: [xpTransactions.userId], references: [users.id] }),
  generation: one(generations, { fields: [xpTransactions.generationId], references: [generations.id] }),
}));

export const affiliatesRelations = relations(affiliates, ({ one }) => ({
  user: one(users, { fields: [affiliates.userId], references: [users.id] }),
  order: one(orders, { fields: [affiliates.orderId], references: [orders.id] }),
}));

export const auditLogRelations = relations(auditLog, ({ one }) => ({
  actor: one(users, { fields: [auditLog.actorId], references: [users.id] }),
}));

export const organizationsRelations = relations(organizations, ({ one, many }) => ({
  owner: one(users, { fields: [organizations.ownerId], references: [users.id] }),
  members: many(members),
  teams: many(teams),
  invitations: many(invitations),
  projects: many(projects),
  activeSessions: many(sessions),
}));

export const membersRelations = relations(members, ({ one }) => ({
  organization: one(organizations, { fields: [members.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [members.userId], references: [users.id] }),
}));

export const teamsRelations = relations(teams, ({ one, many }) => ({
  organization: one(organizations, { fields: [teams.organizationId], references: [organizations.id] }),
  members: many(teamMembers),
  invitations: many(invitations),
  activeSessions: many(sessions),
}));

export const teamMembersRelations = relations(teamMembers, ({ one }) => ({
  team: one(teams, { fields: [teamMembers.teamId], references: [teams.id] }),
  user: one(users, { fields: [teamMembers.userId], references: [users.id] }),
}));

export const invitationsRelations = relations(invitations, ({ one }) => ({
  organization: one(organizations, { fields: [invitations.organizationId], references: [organizations.id] }),
  inviter: one(users, { fields: [invitations.inviterId], references: [users.id] }),
  team: one(teams, { fields: [invitations.teamId], references: [teams.id] }),
}));

export const projectsRelations = relations(projects, ({ one, many }) => ({
  organization: one(organizations, { fields: [projects.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [projects.userId], references: [users.id] }),
  images: many(projectImages),
  videos: many(projectVideos),
}));

export const projectImagesRelations = relations(projectImages, ({ one, many }) => ({
  project: one(projects, { fields: [projectImages.projectId], references: [projects.id] }),
  videos: many(projectVideos),
}));

export const projectVideosRelations = relations(projectVideos, ({ one }) => ({
  project: one(projects, { fields: [projectVideos.projectId], references: [projects.id] }),
  sourceImage: one(projectImages, { fields: [projectVideos.sourceImageId], references: [projectImages.id] }),
}));

export const userNotesRelations = relations(userNotes, ({ one }) => ({
  user: one(users, { fields: [userNotes.userId], references: [users.id], relationName: 'note_subject' }),
  author: one(users, { fields: [userNotes.authorId], references: [users.id], relationName: 'note_author' }),
}));

export const authChallengesRelations = relations(authChallenges, ({ one }) => ({
  user: one(users, { fields: [authChallenges.userId], references: [users.id] }),
}));

export const operatorTotpRelations = relations(operatorTotp, ({ one }) => ({
  user: one(users, { fields: [operatorTotp.userId], references: [users.id] }),
}));

export const operatorRecoveryCodesRelations = relations(operatorRecoveryCodes, ({ one }) => ({
  user: one(users, { fields: [operatorRecoveryCodes.userId], references: [users.id] }),
}));

export const operatorPasskeysRelations = relations(operatorPasskeys, ({ one }) => ({
  user: one(users, { fields: [operatorPasskeys.userId], references: [users.id] }),
}));

export const approvalRequestsRelations = relations(approvalRequests, ({ one }) => ({
  requester: one(users, { fields: [approvalRequests.requestedBy], references: [users.id], relationName: 'approval_requester' }),
  decider: one(users, { fields: [approvalRequests.decidedBy], references: [users.id], relationName: 'approval_decider' }),
}));
