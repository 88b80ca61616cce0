import { aiProviderKeysResource, apiKeysResource, generationsResource } from '../ai/resources';
import { creditsResource, creditTransactionsResource, ordersResource } from '../billing/resources';
import { assetsResource, brandsResource, feedbacksResource, postsResource, projectImagesResource, projectsResource, projectVideosResource } from '../content/resources';
import { badgesResource, userBadgesResource, userXpResource, xpTransactionsResource } from '../gamification/resources';
import { affiliatesResource, waitlistResource } from '../growth/resources';
import { auditLogResource } from '../ops/resources';
import { invitationsResource, membersResource, organizationsResource, teamMembersResource, teamsResource } from '../orgs/resources';
import { usersResource } from '../auth/resources';
import { userNotesResource } from '../auth/notes/resources';
import { approvalRequestsResource } from '../approvals/resources';
import { ResourceDefinitionError, ResourceModel } from './model';
import type { AnyResourceConfig } from './types';

/** Every table an operator sees, in one list; the engine builds each route from these. */
export const RESOURCES: AnyResourceConfig[] = [
  usersResource,
  ordersResource,
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
  approvalRequestsResource,
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
