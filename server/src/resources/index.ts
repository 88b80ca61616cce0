import { aiProviderKeysResource, apiKeysResource, generationsResource } from './definitions/ai';
import { creditsResource, creditTransactionsResource } from './definitions/credits';
import { assetsResource, brandsResource, feedbacksResource, postsResource } from './definitions/content';
import { badgesResource, userBadgesResource, userXpResource, xpTransactionsResource } from './definitions/gamification';
import { affiliatesResource, waitlistResource } from './definitions/growth';
import { auditLogResource } from './definitions/ops';
import orders from './definitions/orders';
import { invitationsResource, membersResource, organizationsResource, teamMembersResource, teamsResource } from './definitions/orgs';
import { projectImagesResource, projectsResource, projectVideosResource } from './definitions/projects';
import users from './definitions/users';
import { userNotesResource } from '../notes/resource';
import { ResourceDefinitionError, ResourceModel } from './model';
import type { AnyResourceConfig } from './types';

/** Every table an operator sees, in one list; the engine builds each route from these. */
export const RESOURCES: AnyResourceConfig[] = [
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
  projectsResource,
  projectImagesResource,
  projectVideosResource,
  auditLogResource,
  userNotesResource,
];

/** Builds (and so validates) every definition; throws a ResourceDefinitionError naming the first bad one. */
export function buildModels(definitions: readonly AnyResourceConfig[] = RESOURCES): Map<string, ResourceModel> {
  const models = new Map<string, ResourceModel>();
  for (const definition of definitions) {
    if (models.has(definition.name)) throw new ResourceDefinitionError(definition.name, 'defined twice');
    models.set(definition.name, new ResourceModel(definition));
  }
  return models;
}

let built: Map<string, ResourceModel> | undefined;

/** The models of RESOURCES, built once per process (at boot, by startServer). */
export const resourceModels = () => (built ??= buildModels());
