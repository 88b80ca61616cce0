import { aiProviderKeysResource, apiKeysResource, generationsResource } from './definitions/ai';
import { creditsResource, creditTransactionsResource } from './definitions/credits';
import { assetsResource, brandsResource, feedbacksResource, postsResource } from './definitions/content';
import { badgesResource, userBadgesResource, userXpResource, xpTransactionsResource } from './definitions/gamification';
import { affiliatesResource, waitlistResource } from './definitions/growth';
import { auditLogResource } from './definitions/ops';
import orders from './definitions/orders';
import { invitationsResource, membersResource, organizationsResource, teamMembersResource, teamsResource } from './definitions/orgs';
import users from './definitions/users';
import { userNotesResource } from '../notes/resource';
import { ResourceModel } from './model';

/** Every table an operator sees, in one list; the engine builds each route from these. */
export const RESOURCES = [
  users,
  orders,
  creditsResource,
  creditTransactionsResource,
  generationsResource,
  aiProviderKeysResource,
  apiKeysResource,
  affiliatesResource,
  waitlistResource,
  badgesResource,
  userBadgesResource,
  userXpResource,
  xpTransactionsResource,
  postsResource,
  feedbacksResource,
  brandsResource,
  assetsResource,
  organizationsResource,
  membersResource,
  teamsResource,
  teamMembersResource,
  invitationsResource,
  auditLogResource,
  userNotesResource,
];

export function buildModels(): Map<string, ResourceModel> {
  return new Map(RESOURCES.map((r) => [r.name, new ResourceModel(r)]));
}
