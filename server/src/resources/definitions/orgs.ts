import { invitations, members, organizations, teamMembers, teams } from '../../db/schema';
import { email, nonEmpty, slug } from '../refinements';
import { defineResource } from '../types';

export const organizationsResource = defineResource({
  name: 'organizations',
  table: organizations,
  search: ['name', 'slug'],
  creatable: ['name', 'slug', 'logo_url'],
  refine: { name: nonEmpty, slug },
  defaultSort: ['created_at', 'DESC'],
});
export const membersResource = defineResource({ name: 'members', table: members, creatable: ['organization_id', 'user_id', 'role'], updatable: ['role'], defaultSort: ['created_at', 'DESC'] });
export const teamsResource = defineResource({ name: 'teams', table: teams, search: ['name'], creatable: ['organization_id', 'name'], updatable: ['name'], refine: { name: nonEmpty } });
export const teamMembersResource = defineResource({ name: 'team_members', table: teamMembers, creatable: ['team_id', 'user_id'], updatable: [] });
export const invitationsResource = defineResource({ name: 'invitations', table: invitations, search: ['email'], creatable: ['organization_id', 'email', 'role', 'inviter_id', 'expires_at'], updatable: ['status', 'expires_at'], refine: { email } });
