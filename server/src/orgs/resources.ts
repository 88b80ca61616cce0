import { invitations, members, organizations, teamMembers, teams } from '../db/schema';
import { email, nonEmpty, slug } from '../resources/refinements';
import { defineResource } from '../resources/types';

export const organizationsResource = defineResource(organizations, {
  name: 'organizations',
  search: ['name', 'slug'],
  creatable: ['name', 'slug', 'logo_url'],
  refine: { name: nonEmpty, slug },
  defaultSort: ['created_at', 'DESC'],
});
export const membersResource = defineResource(members, { name: 'members', creatable: ['organization_id', 'user_id', 'role'], updatable: ['role'], defaultSort: ['created_at', 'DESC'] });
export const teamsResource = defineResource(teams, { name: 'teams', search: ['name'], creatable: ['organization_id', 'name'], updatable: ['name'], refine: { name: nonEmpty } });
export const teamMembersResource = defineResource(teamMembers, { name: 'team_members', creatable: ['team_id', 'user_id'], updatable: [] });
export const invitationsResource = defineResource(invitations, { name: 'invitations', search: ['email'], creatable: ['organization_id', 'email', 'role', 'inviter_id', 'expires_at'], updatable: ['status', 'expires_at'], refine: { email } });
