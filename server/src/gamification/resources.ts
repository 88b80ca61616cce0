import { reverseBadgeXp } from './revokeBadge';
import { badges, userBadges, userXp, xpTransactions } from '../db/schema';
import { nonEmpty, nonNegative, slug } from '../resources/refinements';
import { defineResource } from '../resources/types';

export const badgesResource = defineResource(badges, {
  name: 'badges',
  search: ['id', 'name', 'description'],
  creatable: ['id', 'name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  updatable: ['name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  refine: { id: (s) => slug(s).max(64), name: nonEmpty, xpReward: nonNegative },
  defaultSort: ['sort_order', 'ASC'],
});

// Awards go through the award-badge action so XP and levels follow; revoking is a delete that
// takes the award's XP back.
export const userBadgesResource = defineResource(userBadges, { name: 'user_badges', defaultSort: ['awarded_at', 'DESC'], beforeDelete: reverseBadgeXp });
export const userXpResource = defineResource(userXp, { name: 'user_xp', readOnly: true, defaultSort: ['total_xp', 'DESC'] });
export const xpTransactionsResource = defineResource(xpTransactions, { name: 'xp_transactions', search: ['description', 'reference_id'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
